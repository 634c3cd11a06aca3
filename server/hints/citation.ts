import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.js';
import { type CitationStatus, checkCitations } from '../laws/service.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import type { HintInput, HintSource } from './types.js';

const PROBLEMS: Record<Exclude<CitationStatus, 'ok'>, string> = {
  unknown_law: '法律法规库中没有这部法律法规（名称有误、已失效或未收录）',
  unknown_article: '这部法律法规在该日施行的版本中没有所引的条、款、项',
  not_in_force: '该日期没有施行中的版本（尚未施行、已被修订或已废止）',
  invalid: '无法识别的条款写法（应写明《法律法规名称》第N条）',
};

/** `《产品质量法》第四十九条` from a packet row, whether or not the officer typed the book-title marks. */
const citationText = (b: { law: string; article: string }) =>
  `《${b.law.trim().replace(/^《|》$/g, '')}》${b.article.trim()}`;

/** Law ids by title, for links to the cited article. */
async function lawIds(db: Kysely<DB>, titles: string[]) {
  if (!titles.length) return new Map<string, string>();
  const rows = await db.selectFrom('law_laws').select(['id', 'title']).where('title', 'in', titles).execute();
  return new Map(rows.map((r) => [r.title, r.id]));
}

/**
 * 引用问题: each legal basis of the packet that does not resolve to an article in force on the day of the conduct
 * (行政处罚法 第三十七条：适用违法行为发生时的法律、法规、规章), or on the submission day when the packet gives none.
 * Nothing while the library is empty.
 */
export const citationHints: HintSource = async (db, c) => {
  const date = c.packet.conductDate ?? instantToShanghaiDate(c.created_at);
  const dateNote = c.packet.conductDate
    ? `违法行为发生之日（${date}）`
    : `送审之日（${date}，送审材料未填写违法行为发生日期）`;
  const texts = [...new Set((c.packet.legalBasis ?? []).map(citationText))];
  if (!texts.length) return [];
  // An empty library (not yet imported) would flag every basis as unknown: it says nothing about the packet.
  if (!(await db.selectFrom('law_laws').select('id').limit(1).executeTakeFirst())) return [];
  const results = await checkCitations(db, texts, date);
  const named = results.map((r) => (r as { law?: string | null }).law).filter((l): l is string => !!l);
  const ids = await lawIds(db, [...new Set(named)]);
  const hints: HintInput[] = [];
  for (const r of results) {
    if (r.status === 'ok') continue;
    const found = r as { law?: string | null; article?: number | null };
    const id = found.law ? ids.get(found.law) : undefined;
    // The law's page lists its versions with their dates: where the article or the version is missing.
    const href = id ? `/api/laws/${id}` : undefined;
    const problem = PROBLEMS[r.status];
    hints.push({
      kind: 'citation',
      point: 'law',
      key: `citation:${r.input}:${found.article ?? ''}:${r.status}`,
      title: `法律依据“${r.input}”需核实：${problem}`,
      detail:
        `送审材料引用的法律依据“${r.input}”，按${dateNote}施行的版本在法律法规库中核对，${problem}。` +
        '请承办机构核实所引法律法规的名称、条款序号及其施行状态后更正。',
      ...(href && { href }),
    });
  }
  return hints;
};
