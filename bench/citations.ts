/**
 * Citation check: accuracy against bench/citations.json (built by bench/citations-fixture.ts) and throughput of
 * parse + resolve over an in-memory catalogue of the whole library, against a plain regex scan of the same
 * strings measured in the same run.  `npx tsx bench/citations.ts`
 */
import { readFile } from 'node:fs/promises';
import { parseCitation } from '../server/laws/citations.js';
import { parseLibrary, readLibrary } from '../server/laws/library.js';
import { type Catalogue, catalogueKey, resolveRef } from '../server/laws/resolve.js';
import type { Case } from './citations-fixture.js';

const cases = JSON.parse(await readFile(new URL('./citations.json', import.meta.url), 'utf8')) as Case[];
const { versions } = parseLibrary(await readLibrary());
const catalogue: Catalogue = new Map();
for (const v of [...versions].sort((a, b) => (a.level === 'law' ? 1 : 0) - (b.level === 'law' ? 1 : 0))) {
  const key = catalogueKey(v.title);
  const law = catalogue.get(key);
  const entry = {
    versionDate: v.parsed.versionDate!,
    effectiveOn: v.parsed.effectiveDate!,
    articles: new Map(v.articles.map((a) => [`${a.number}.${a.sub}`, a.paragraphs])),
  };
  if (law && law.title === v.title) law.versions.push(entry);
  else catalogue.set(key, { title: v.title, repealedOn: null, versions: [entry] }); // a law outranks a namesake
}
for (const law of catalogue.values()) law.versions.sort((a, b) => a.effectiveOn.localeCompare(b.effectiveOn));

function check(c: Case): { status: string; law?: string; article?: number }[] {
  const refs = parseCitation(c.input);
  if (!refs) return [{ status: 'invalid' }];
  return refs.map((r) => ({ ...resolveRef(catalogue, r, c.date), article: r.article }));
}

let right = 0;
const wrong: string[] = [];
for (const c of cases) {
  const got = check(c);
  const ok =
    got.length === c.expect.length &&
    c.expect.every(
      (e, i) =>
        e.status === got[i].status &&
        (e.law === undefined || e.law === (got[i] as { law?: string }).law) &&
        (e.article === undefined || e.article === got[i].article),
    );
  if (ok) right++;
  else wrong.push(`${c.input} @${c.date}: expected ${JSON.stringify(c.expect)} got ${JSON.stringify(got)}`);
}

function rate(fn: (s: Case) => unknown): number {
  const rounds = 50;
  const start = performance.now();
  for (let r = 0; r < rounds; r++) for (const c of cases) fn(c);
  return (rounds * cases.length) / ((performance.now() - start) / 1000);
}
const SCAN = /《[^》]+》第[^条]+条/g;
const baseline = rate((c) => c.input.match(SCAN));
const ours = rate(check);
console.log(`cases ${cases.length}, accuracy ${((100 * right) / cases.length).toFixed(1)} % (target >= 98 %)`);
for (const w of wrong.slice(0, 10)) console.log(`  wrong: ${w}`);
console.log(
  `throughput ${Math.round(ours)} citations/s (target >= 10,000); regex scan baseline ${Math.round(baseline)}/s; ratio ${(ours / baseline).toFixed(3)}`,
);
