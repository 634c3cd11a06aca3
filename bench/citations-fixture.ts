/**
 * Writes bench/citations.json: citation strings built from the shipped library (seeded, reproducible) plus
 * hand-written hard cases, each with the expected outcome. `npx tsx bench/citations-fixture.ts`
 */
import { writeFile } from 'node:fs/promises';
import { parseLibrary, readLibrary } from '../server/laws/library.js';
import { toNumeral } from '../server/laws/numerals.js';
import { shortTitle } from '../server/laws/segment.js';

export interface Case {
  input: string;
  date: string;
  expect: { status: string; law?: string; article?: number }[];
}

let seed = 15;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};

const { versions } = parseLibrary(await readLibrary());
const byShort = new Map<string, Set<string>>();
for (const v of versions)
  byShort.set(shortTitle(v.title), (byShort.get(shortTitle(v.title)) ?? new Set()).add(v.title));
// Only laws with one version and an unambiguous short title: the expected version is then certain.
const titles = new Map<string, number>();
for (const v of versions) titles.set(v.title, (titles.get(v.title) ?? 0) + 1);
const plain = versions.filter(
  (v) => titles.get(v.title) === 1 && byShort.get(shortTitle(v.title))!.size === 1 && v.parsed.effectiveDate,
);
const cases: Case[] = [];
const after = (d: string) => `${Number(d.slice(0, 4)) + 1}${d.slice(4)}`;
for (let i = 0; i < 320; i++) {
  const v = plain[rnd(plain.length)];
  const a = v.articles[rnd(v.articles.length)];
  if (a.sub) continue;
  const date = after(v.parsed.effectiveDate!);
  const name = rnd(2) ? v.title : shortTitle(v.title);
  const num = rnd(3) ? toNumeral(a.number) : String(a.number);
  let tail = '';
  if (a.paragraphs.length > 1 && rnd(2)) tail = `第${toNumeral(1 + rnd(a.paragraphs.length))}款`;
  const p = a.paragraphs.find((x) => x.items.length);
  if (!tail && p && rnd(2))
    tail = `第${toNumeral(a.paragraphs.indexOf(p) + 1)}款第（${toNumeral(1 + rnd(p.items.length))}）项`;
  cases.push({
    input: `《${name}》第${num}条${tail}`,
    date,
    expect: [{ status: 'ok', law: v.title, article: a.number }],
  });
  if (i % 8 === 0) {
    const max = v.articles.at(-1)!.number;
    cases.push({
      input: `《${name}》第${toNumeral(max + 5)}条`,
      date,
      expect: [{ status: 'unknown_article', law: v.title }],
    });
    const before = `${Number(v.parsed.effectiveDate!.slice(0, 4)) - 1}-01-01`;
    cases.push({ input: `《${name}》第${num}条`, date: before, expect: [{ status: 'not_in_force', law: v.title }] });
  }
  if (i % 10 === 0 && a.number > 1 && v.articles.some((x) => x.number === a.number - 1)) {
    cases.push({
      input: `《${name}》第${toNumeral(a.number - 1)}条、第${toNumeral(a.number)}条`,
      date,
      expect: [a.number - 1, a.number].map((n) => ({ status: 'ok', law: v.title, article: n })),
    });
  }
}
const hand: Case[] = [
  { input: '《中华人民共和国产品质量法》第四十九条', date: '2024-01-01', expect: [{ status: 'ok', article: 49 }] },
  { input: '《产品质量法》第49条第一款', date: '2024-01-01', expect: [{ status: 'ok', article: 49 }] },
  {
    input: '《行政处罚法》第十条至第十二条',
    date: '2024-01-01',
    expect: [10, 11, 12].map((article) => ({ status: 'ok', article })),
  },
  { input: '《行政处罚法》第十条', date: '2021-03-01', expect: [{ status: 'not_in_force' }] },
  {
    input: '《产品质量法》第四十九条；《行政处罚法》第二十八条第二款',
    date: '2024-01-01',
    expect: [
      { status: 'ok', article: 49 },
      { status: 'ok', article: 28 },
    ],
  },
  { input: '《城市绿化管理办法》第三条', date: '2024-01-01', expect: [{ status: 'unknown_law' }] },
  { input: '《中华人民共和国不存在法》第一条', date: '2024-01-01', expect: [{ status: 'unknown_law' }] },
  { input: '《产品质量法》第九百九十条', date: '2024-01-01', expect: [{ status: 'unknown_article' }] },
  { input: '《产品质量法》第四十九条第九款', date: '2024-01-01', expect: [{ status: 'unknown_article' }] },
  { input: '产品质量法第四十九条', date: '2024-01-01', expect: [{ status: 'invalid' }] },
  { input: '《产品质量法》', date: '2024-01-01', expect: [{ status: 'invalid' }] },
  { input: '', date: '2024-01-01', expect: [{ status: 'invalid' }] },
];
await writeFile(new URL('./citations.json', import.meta.url), `${JSON.stringify([...cases, ...hand], null, 0)}\n`);
console.log(`${cases.length} generated + ${hand.length} hand-written cases`);
