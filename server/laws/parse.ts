import { parseNumeral } from './numerals.js';

/** One 款 of an article and its 项 （一）（二）... */
export interface ParsedParagraph {
  text: string;
  items: string[];
}

export interface ParsedArticle {
  /** 第N条 -> N; 第N条之一 -> N with sub 1. */
  number: number;
  sub: number;
  label: string;
  chapter: string | null;
  paragraphs: ParsedParagraph[];
}

export type EventKind = 'adopted' | 'amended' | 'revised' | 'published' | 'effective' | 'other';

export interface ParsedLaw {
  title: string;
  subtitle: string | null;
  events: { date: string; kind: EventKind; text: string }[];
  /** The date of this version: the latest adoption or amendment in the preamble (or the file name's date). */
  versionDate: string | null;
  effectiveDate: string | null;
  /** How the effective date was found: 'preamble' (施行 line), 'body' (本法自…起施行), or assumed = versionDate. */
  effectiveSource: 'preamble' | 'body' | 'assumed' | 'admin' | null;
  articles: ParsedArticle[];
}

const DATE = /(\d{4})年(\d{1,2})月(\d{1,2})日/g;
const NUM = '[零〇一二两三四五六七八九十百千0-9０-９]+';
const ARTICLE = new RegExp(`^第(${NUM})条(?:之(${NUM}))?(?:[\\s\\u3000]+|$)`);
const ITEM = /^[（(][一二三四五六七八九十]+[）)]/;

const iso = (y: string, m: string, d: string) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;

function kindOf(text: string): EventKind {
  if (/施行/.test(text)) return 'effective';
  if (/修订/.test(text)) return 'revised';
  if (/修正|修改/.test(text)) return 'amended';
  if (/通过|批准|制定/.test(text)) return 'adopted';
  if (/公布|发布|印发/.test(text)) return 'published';
  return 'other';
}

/** Dated events of the preamble; a line can hold several (…第一次修正根据2009年8月27日…第二次修正). */
function events(header: string[]): ParsedLaw['events'] {
  const out: ParsedLaw['events'] = [];
  for (const line of header) {
    if (!/^\d{4}年/.test(line)) continue;
    const hits = [...line.matchAll(DATE)];
    hits.forEach((m, i) => {
      const end = i + 1 < hits.length ? hits[i + 1].index : line.length;
      const text = line.slice(m.index, end).trim();
      out.push({ date: iso(m[1], m[2], m[3]), kind: kindOf(text.slice(m[0].length)), text });
    });
  }
  return out;
}

/** Parses one Markdown file of the library (format: /work/shared/laws/法律法规模版.md). Throws on no title. */
export function parseLawMarkdown(markdown: string, fileDate: string | null = null): ParsedLaw {
  const lines = markdown
    .replace(/^\uFEFF/, '')
    .replace(/^---[\s\S]*?\n---\n/, '')
    .split(/\r?\n/);
  const titles: string[] = [];
  const header: string[] = [];
  let i = 0;
  const hasInfoEnd = lines.some((l) => l.includes('<!-- INFO END -->'));
  for (; i < lines.length; i++) {
    const line = lines[i].replace(/<!--.*?-->/g, '').trim();
    if (lines[i].includes('<!-- INFO END -->')) {
      i++;
      break;
    }
    if (!hasInfoEnd && (/^##/.test(line) || ARTICLE.test(line))) break;
    if (/^# /.test(line)) titles.push(line.slice(2).trim());
    else if (line) header.push(line);
  }
  if (!titles[0]) throw new Error('没有标题行（# 标题）');
  const articles: ParsedArticle[] = [];
  const headings: string[] = [];
  let current: ParsedArticle | null = null;
  let bodyEffective: string | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i]
      .replace(/<!--.*?-->/g, '')
      .replace(/[\s\u3000]+$/, '')
      .replace(/^[\s\u3000]+/, '');
    if (!line) continue;
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      const level = h[1].length;
      headings.length = Math.max(0, level - 2);
      headings[level - 2] = h[2].trim();
      current = null;
      continue;
    }
    const a = ARTICLE.exec(line);
    if (a) {
      const number = parseNumeral(a[1]);
      if (number !== null) {
        const sub = a[2] ? (parseNumeral(a[2]) ?? 0) : 0;
        current = {
          number,
          sub,
          label: a[0].trim(),
          chapter: headings.filter(Boolean).join(' ') || null,
          paragraphs: [{ text: line.slice(a[0].length).trim(), items: [] }],
        };
        articles.push(current);
        const eff = /自(\d{4})年(\d{1,2})月(\d{1,2})日起(?:施行|生效)/.exec(line);
        if (eff) bodyEffective = iso(eff[1], eff[2], eff[3]);
        continue;
      }
    }
    if (!current) continue;
    if (ITEM.test(line) && current.paragraphs.length)
      current.paragraphs[current.paragraphs.length - 1].items.push(line);
    else current.paragraphs.push({ text: line, items: [] });
  }
  const ev = events(header);
  const dated = ev.filter((e) => e.kind !== 'effective' && e.kind !== 'other').map((e) => e.date);
  const versionDate = dated.sort().at(-1) ?? fileDate;
  const preambleEffective =
    ev
      .filter((e) => e.kind === 'effective')
      .map((e) => e.date)
      .sort()
      .at(-1) ?? null;
  let effectiveDate: string | null = null;
  let effectiveSource: ParsedLaw['effectiveSource'] = null;
  if (preambleEffective && (!versionDate || preambleEffective >= versionDate)) {
    [effectiveDate, effectiveSource] = [preambleEffective, 'preamble'];
  } else if (bodyEffective && (!versionDate || bodyEffective >= versionDate)) {
    [effectiveDate, effectiveSource] = [bodyEffective, 'body'];
  } else if (versionDate) {
    [effectiveDate, effectiveSource] = [versionDate, 'assumed'];
  }
  return {
    title: titles[0],
    subtitle: titles[1] ?? null,
    events: ev,
    versionDate,
    effectiveDate,
    effectiveSource,
    articles,
  };
}

/** The full text of an article as printed: 款 on their own lines, 项 under their 款. */
export function articleText(a: Pick<ParsedArticle, 'paragraphs'>): string {
  return a.paragraphs.map((p) => [p.text, ...p.items].join('\n')).join('\n');
}
