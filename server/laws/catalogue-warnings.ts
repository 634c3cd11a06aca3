import type { BaseElement } from 'bpmn-moddle';
import { basisText, type CatalogueItem, readCatalogue } from '../../workflows/lint/catalogue.js';
import type { Database } from '../database/connect.js';
import { shortTitle } from './segment.js';
import { type CitationStatus, checkCitations } from './service.js';

/** A problem of a catalogue item's legal basis: told to the legal admin, never a reason to refuse the deployment. */
export interface CatalogueWarning {
  code: 'BASIS_UNRESOLVED';
  /** The process that holds the catalogue (catalogue items have no id of their own). */
  elementId: string | null;
  elementType: string | null;
  itemCode: string;
  message: string;
}

const PROBLEMS: Record<Exclude<CitationStatus, 'ok'>, string> = {
  unknown_law: '法律法规库中没有这部法律法规（名称有误、已失效或未收录）',
  unknown_article: '现行版本中没有所引的条、款、项',
  not_in_force: '该法律法规现已失效或尚未施行',
  invalid: '无法识别的条款写法（应写明《法律法规名称》第N条，或填写结构化的法律依据）',
};

/**
 * The catalogue's legal bases parsed and resolved against the law library on `date` (the day of the check: a
 * catalogue applies from its deployment). Each unresolved reference is one warning naming the item by its code.
 * Nothing while the library is empty (it has not been imported: no basis could be judged).
 */
export async function catalogueBasisWarnings(
  db: Database,
  processId: string,
  items: readonly CatalogueItem[],
  date: string,
): Promise<CatalogueWarning[]> {
  const texts = items.map((item) => ({
    item,
    citations: item.bases?.length ? item.bases.map(basisText) : item.basis ? [item.basis] : [],
  }));
  const all = [...new Set(texts.flatMap((t) => t.citations))];
  if (all.length === 0 || !(await db.selectFrom('law_laws').select('id').limit(1).executeTakeFirst())) return [];
  const results = await checkCitations(db, all, date);
  const known = await knownLaws(db, all);
  const warnings: CatalogueWarning[] = [];
  for (const { item, citations } of texts) {
    for (const citation of citations) {
      const refs = results.filter((x) => x.input === citation);
      for (const r of refs.filter((x) => x.status !== 'ok')) {
        const article = (r as { article?: number | null }).article;
        // A basis naming several articles: say which of them is the problem.
        const which = refs.length > 1 && article ? `（第${article}条）` : '';
        const problem =
          r.status === 'invalid'
            ? wholeLawProblem(citation, known)
            : PROBLEMS[r.status as Exclude<CitationStatus, 'ok'>];
        warnings.push({
          code: 'BASIS_UNRESOLVED',
          elementId: processId,
          elementType: 'process',
          itemCode: item.code,
          message: `目录清单事项“${item.code}”的法律依据“${citation}”${which}：${problem}`,
        });
      }
    }
  }
  return warnings;
}

const lawsNamed = (text: string) => [...text.matchAll(/《([^》]+)》/g)].map((m) => shortTitle(m[1]));

/** The short titles, among those the citations name in 《》, that the library holds. */
async function knownLaws(db: Database, citations: string[]) {
  const keys = [...new Set(citations.flatMap(lawsNamed))];
  if (!keys.length) return new Set<string>();
  const rows = await db.selectFrom('law_laws').select('short_title').where('short_title', 'in', keys).execute();
  return new Set(rows.map((r) => r.short_title));
}

/** A basis that names a law but no article (《排污许可管理条例》): say so, and whether the library knows the law. */
function wholeLawProblem(citation: string, known: Set<string>) {
  const laws = lawsNamed(citation);
  if (!laws.length) return PROBLEMS.invalid;
  const unknown = laws.some((l) => !known.has(l));
  return `未写明具体条款（应写明第N条）${unknown ? '；法律法规库中也没有这部法律法规（名称有误、已失效或未收录）' : ''}`;
}

/** The warnings of a validated document: its executable process's catalogue, checked as above. */
export async function documentBasisWarnings(
  db: Database,
  root: BaseElement,
  processKey: string,
  date: string,
): Promise<CatalogueWarning[]> {
  const elements = ((root as Record<string, unknown>).rootElements ?? []) as BaseElement[];
  const process = elements.find((e) => e.$type === 'bpmn:Process' && e.id === processKey);
  return process ? catalogueBasisWarnings(db, processKey, readCatalogue(process), date) : [];
}
