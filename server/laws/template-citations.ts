import type { Database } from '../database/connect.js';
import { type CitationStatus, checkCitations } from './service.js';

const N = '[一二三四五六七八九十百千零〇两\\d]+';
const ONE = `第${N}条(?:之${N})?(?:第${N}款)?(?:第[（(]?${N}[)）]?项)?`;
/** 《…》第N条…, with further articles of the same law joined by 、 和 及 至 (the forms the citation parser reads). */
const CITATION = new RegExp(`《[^《》{}\\n]{2,60}》${ONE}(?:[、和及至](?:${ONE}|${N}条))*`, 'g');

const PROBLEMS: Record<Exclude<CitationStatus, 'ok'>, string> = {
  unknown_law: '法律法规库中没有这部法律法规（名称有误、已失效或未收录）',
  unknown_article: '这部法律法规现行版本中没有所引的条、款、项',
  not_in_force: '今日没有施行中的版本（尚未施行、已被修订或已废止）',
  invalid: '无法识别的条款写法',
};

export interface TemplateCitationWarning {
  code: 'CITATION_UNRESOLVED';
  citation: string;
  /** 1-based line of the template source where it stands. */
  line: number;
  message: string;
}

/**
 * The legal bases a document template states in its own text (e.g. 《中华人民共和国行政处罚法》第四十五条 in a
 * notice), checked against the law library in the version in force today: what does not resolve is a warning to
 * the legal admin who uploads it, never a refusal. Nothing while the library is empty (not yet imported).
 */
export async function templateCitationWarnings(
  db: Database,
  source: string,
  today: string,
): Promise<TemplateCitationWarning[]> {
  const found: { citation: string; line: number }[] = [];
  source.split('\n').forEach((text, i) => {
    // Handlebars expressions are filled per case (the packet's own bases are checked on the case).
    for (const m of text.replace(/\{\{[^}]*\}\}/g, ' ').matchAll(CITATION)) found.push({ citation: m[0], line: i + 1 });
  });
  if (!found.length) return [];
  if (!(await db.selectFrom('law_laws').select('id').limit(1).executeTakeFirst())) return [];
  const results = await checkCitations(db, [...new Set(found.map((f) => f.citation))], today);
  const warnings: TemplateCitationWarning[] = [];
  for (const f of found) {
    const bad = results.filter((r) => r.input === f.citation && r.status !== 'ok');
    const reasons = [...new Set(bad.map((r) => PROBLEMS[r.status as Exclude<CitationStatus, 'ok'>]))];
    if (reasons.length) {
      warnings.push({
        code: 'CITATION_UNRESOLVED',
        citation: f.citation,
        line: f.line,
        message: `第 ${f.line} 行引用的${f.citation}：${reasons.join('；')}`,
      });
    }
  }
  return warnings;
}
