import type { PublicDecision } from './search.js';

const CATEGORY_LABELS: Record<string, string> = {
  licensing: '行政许可',
  penalty: '行政处罚',
  coercion: '行政强制',
  levy: '行政征收征用',
  inspection: '行政检查',
};

export function categoryLabel(c: string): string {
  return CATEGORY_LABELS[c] ?? c;
}

export { CATEGORY_LABELS };

/** RFC 4180 CSV with a BOM so that spreadsheet programs read UTF-8 Chinese correctly. */
export function toCsv(header: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    // A leading = + - @ would be a formula in a spreadsheet: neutralise (CSV injection).
    const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function decisionsCsv(items: PublicDecision[]): string {
  return toCsv(
    [
      '执法机关',
      '决定书文号',
      '决定日期',
      '类别',
      '当事人',
      '统一社会信用代码',
      '案由',
      '主要事实',
      '法律依据',
      '决定内容',
      '公开时间',
    ],
    items.map((d) => [
      d.agency,
      d.decisionNumber,
      d.decisionDate,
      categoryLabel(d.category),
      d.party,
      d.partyCode,
      d.title,
      d.facts,
      d.legalBasis,
      d.decision,
      d.publishedAt,
    ]),
  );
}

const XML_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

/** Escapes text for XML and drops the control characters XML 1.0 cannot carry. */
const xml = (s: string) =>
  [...s]
    .filter((c) => {
      const code = c.charCodeAt(0);
      return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
    })
    .map((c) => XML_ENTITIES[c] ?? c)
    .join('');

/** Atom 1.0 feed of the latest public decisions. */
export function decisionsAtom(base: string, items: PublicDecision[], updated: Date): string {
  const entries = items
    .map(
      (d) => `  <entry>
    <id>urn:uuid:${d.id}</id>
    <title>${xml(`${d.agency} ${d.decisionNumber} ${d.title}`)}</title>
    <link href="${xml(`${base}/public/decisions/${d.id}`)}"/>
    <updated>${d.publishedAt}</updated>
    <author><name>${xml(d.agency)}</name></author>
    <category term="${d.category}" label="${categoryLabel(d.category)}"/>
    <summary>${xml(`当事人：${d.party}。${d.decision}`)}</summary>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(`${base}/public/feed.atom`)}</id>
  <title>行政执法决定公示</title>
  <link rel="self" href="${xml(`${base}/public/feed.atom`)}"/>
  <link href="${xml(`${base}/public`)}"/>
  <updated>${updated.toISOString()}</updated>
${entries}
</feed>
`;
}
