import type { Kysely } from 'kysely';
import type { Packet } from '../../cases/tables.js';
import type { DB } from '../../database/schema.js';
import { type CitationStatus, checkCitations } from '../../laws/service.js';
import { instantToShanghaiDate } from '../../workdays/days.js';

const STATUS_LABELS: Record<CitationStatus, string> = {
  ok: '已核对',
  unknown_law: '法律法规库中没有这部法律法规',
  unknown_article: '这部法律法规没有此条',
  not_in_force: '该日期不在施行期内（尚未施行、已被修订或已废止）',
  invalid: '无法识别的条款写法',
};

export interface BasisCheck {
  /** The date the articles were read on, and why that date. */
  date: string;
  dateNote: string;
  items: {
    text: string;
    results: { ok: boolean; statusLabel: string; law?: string; version?: string; articleText?: string }[];
  }[];
  problems: number;
}

/** `《产品质量法》第四十九条` from a packet row, whether or not the officer typed the book-title marks. */
export const citationText = (b: { law: string; article: string }) =>
  `《${b.law.trim().replace(/^《|》$/g, '')}》${b.article.trim()}`;

/**
 * The packet's legal bases checked against the law library, for the officer after submitting and for the
 * reviewer beside the 法律适用 point. The bases are the substantive provisions the decision rests on, so they are
 * read in the version in force on the day of the conduct (行政处罚法 art. 37: 适用违法行为发生时的法律、法规、规章；
 * procedure follows the law in force when the step is taken); without a conduct date the submission day is used,
 * and the page says so.
 */
export async function basisCheck(db: Kysely<DB>, packet: Packet, submittedAt: Date): Promise<BasisCheck> {
  const conduct = packet.conductDate;
  const date = conduct ?? instantToShanghaiDate(submittedAt);
  const texts = packet.legalBasis.map(citationText);
  const results = await checkCitations(db, [...new Set(texts)], date);
  const items = texts.map((text) => ({
    text,
    results: results
      .filter((r) => r.input === text)
      .map((r) => {
        const found = r as { law?: unknown; version?: unknown; text?: unknown; reason?: unknown; repealedOn?: unknown };
        const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
        return {
          ok: r.status === 'ok',
          statusLabel:
            found.reason === 'repealed'
              ? `已废止（自${str(found.repealedOn) ?? ''}起不再施行）`
              : found.reason === 'not_yet_effective'
                ? '该日期不在施行期内（尚未施行）'
                : STATUS_LABELS[r.status],
          law: str(found.law),
          version: str(found.version),
          articleText: str(found.text),
        };
      }),
  }));
  return {
    date,
    dateNote: conduct ? '按违法行为发生之日施行的版本核对' : '未填写违法行为发生日期，按送审之日施行的版本核对',
    items,
    problems: items.reduce((n, i) => n + i.results.filter((r) => !r.ok).length, 0),
  };
}
