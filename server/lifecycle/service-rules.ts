import type { Kysely, Transaction } from 'kysely';
import { CATEGORY_LABELS } from '../cases/review-points.js';
import type { CaseRow } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import { KINDS } from '../documents/kinds.js';
import type { WorkingCalendar } from '../workdays/calendar.js';
import { dayNumber, formatDay, instantToShanghaiDate } from '../workdays/days.js';
import { addCalendarDays } from '../workdays/deadlines.js';
import { earliestHearingOn, latestNoticeOn } from './hearing.js';
import type { Stage } from './queries.js';
import * as q from './queries.js';
import type { StageEventInput } from './schemas.js';
import { invalid } from './scope.js';

type Served = Extract<StageEventInput, { type: 'served' }>;

/** One document handed over in a 送达, as the stage and the 送达回证 name it. */
export interface ServedDocument {
  /** `decision` (the recorded 行政处罚决定书) or the id of a document Fashen issued for this case. */
  ref: string;
  name: string;
  number: string | null;
}

/** The documents of a case that are served on the party (the others are internal: opinions, records, receipts). */
const SERVABLE = ['penalty_notice', 'hearing_notice'] as const;

/** The recorded decision's document as it is called for the case's category (行政处罚决定书 for a penalty). */
export const decisionName = (c: Pick<CaseRow, 'category'>) => `${CATEGORY_LABELS[c.category]}决定书`;

/** What a 送达 hands over, as refs in the order given; none given means the decision, as before one could choose. */
export const servedRefs = (e: Served) => [...new Set(e.servedDocuments ?? ['decision'])];

/** Whether a recorded 送达 served the decision (one recorded before the documents were listed always did). */
export const servedTheDecision = (stage: Pick<Stage, 'kind' | 'details'>) => {
  if (stage.kind !== 'service') return false;
  const documents = stage.details.documents;
  return !Array.isArray(documents) || (documents as ServedDocument[]).some((d) => d.ref === 'decision');
};

/**
 * The documents a 送达 hands over, in the order given: the decision (行政处罚决定书 with the recorded number) and
 * the notices issued for this case. A notice cannot be served before the day it was issued: the 送达回证 would
 * state a service that did not happen. A 听证通知书 must reach the party 七日 before the hearing it sets.
 */
export async function servedDocumentsOf(
  trx: Transaction<DB>,
  calendar: WorkingCalendar,
  c: CaseRow,
  e: Served,
): Promise<ServedDocument[]> {
  const refs = servedRefs(e);
  const ids = refs.filter((r) => r !== 'decision');
  const rows = ids.length
    ? await trx
        .selectFrom('documents')
        .select(['id', 'kind', 'number', 'created_at'])
        .where('case_id', '=', c.id)
        .where('id', 'in', ids)
        .execute()
    : [];
  const issued = ids.length ? await issuedNotices(trx, c.id) : new Map<string, IssuedNotice>();
  return refs.map((ref) => {
    if (ref === 'decision') {
      return { ref, name: decisionName(c), number: c.decision?.number ?? null };
    }
    const row = rows.find((r) => r.id === ref);
    if (!row || !(SERVABLE as readonly string[]).includes(row.kind)) {
      throw invalid('servedDocuments', '所选文书不是本案向当事人出具的文书');
    }
    const name = KINDS[row.kind as (typeof SERVABLE)[number]].name;
    const notice = issued.get(row.id);
    const issuedOn = notice?.issuedOn ?? instantToShanghaiDate(row.created_at);
    if (e.date < issuedOn) {
      throw invalid('date', `送达日期早于${name}（${row.number}）的出具日期（${issuedOn}），不能记录在此之前送达`, {
        documentId: row.id,
        issuedOn,
      });
    }
    const doc = { ref, name, number: row.number };
    if (notice?.hearingOn) mustReachBeforeHearing(calendar, e, doc, notice.hearingOn);
    return doc;
  });
}

/**
 * 公告送达: served when thirty days have passed since publication (民事诉讼法第九十五条), the period's last day moved
 * past a 法定休假日 (第八十五条).
 */
export const deemedService = (calendar: WorkingCalendar, publishedOn: string) =>
  addCalendarDays(calendar, publishedOn, 30, true);

/** The day a 公告 published on `publishedOn` counts as served (deemedService's day). */
export const deemedServedOn = (calendar: WorkingCalendar, publishedOn: string) =>
  deemedService(calendar, publishedOn).due;

/**
 * 第六十四条第（二）项: the party is notified of the hearing when the 听证通知书 reaches them — the day it is served,
 * or for a 公告送达 the day it counts as served — and that is at least 七日 before the hearing this very notice sets
 * (a later notice that moved the hearing sets its own), by the rule the notice's own date is held to.
 */
function mustReachBeforeHearing(calendar: WorkingCalendar, e: Served, doc: ServedDocument, hearingOn: string) {
  const reachesOn = e.method === 'public_notice' ? deemedServedOn(calendar, e.date) : e.date;
  if (earliestHearingOn(calendar, reachesOn) <= hearingOn) return;
  const latest = latestNoticeOn(calendar, hearingOn);
  const rule = `应在举行听证的七日前通知当事人：${doc.name}（${doc.number}）通知的听证定于${hearingOn}举行，最迟应于${latest}送达`;
  const details = { documentId: doc.ref, hearingDate: hearingOn, latestServiceDate: latest };
  if (e.method !== 'public_notice') throw invalid('date', `${rule}（行政处罚法第六十四条第（二）项）`, details);
  const publishBy = latestPublicationOn(calendar, latest);
  throw invalid(
    'date',
    `${rule}；公告送达自发出公告之日起经过三十日视为送达，${e.date}发出的公告于${reachesOn}方视为送达，最迟应于${publishBy}发出公告（行政处罚法第六十四条第（二）项、民事诉讼法第九十五条）`,
    { ...details, deemedServedOn: reachesOn, latestPublicationDate: publishBy },
  );
}

/** The last day a 公告 may be published to count as served by `servedBy`: the deemed-service rule, counted back. */
function latestPublicationOn(calendar: WorkingCalendar, servedBy: string): string {
  let day = dayNumber(servedBy) - 30;
  while (deemedServedOn(calendar, formatDay(day)) > servedBy) day -= 1;
  return formatDay(day);
}

/** A notice of the case as issued: the day it bears and, for a 听证通知书, the hearing date it sets. */
interface IssuedNotice {
  issuedOn: string;
  hearingOn: string | null;
}

/**
 * Each notice of the case by its id, from the 告知 or 听证通知 that issued it: the event's date (the notice bears it)
 * and the hearing date that event set (each 听证通知书 keeps its own, even after a later one moved the hearing).
 */
async function issuedNotices(trx: Transaction<DB>, caseId: string): Promise<Map<string, IssuedNotice>> {
  const events = await q.listEvents(trx, caseId);
  const notices = new Map<string, IssuedNotice>();
  for (const ev of events) {
    const details = ev.details as { document?: { id?: unknown }; scheduledOn?: unknown };
    if (typeof details.document?.id !== 'string') continue;
    const hearingOn =
      ev.type === 'hearing_notified' && typeof details.scheduledOn === 'string' ? details.scheduledOn : null;
    notices.set(details.document.id, { issuedOn: ev.occurred_on, hearingOn });
  }
  return notices;
}

const isPhotoOrVideo = (mediaType: string) => mediaType.startsWith('image/') || mediaType.startsWith('video/');

const bare = (s: string) => s.replace(/[\s,，。、;；:：()（）\-—]/g, '');

/**
 * Whether a document refused at `place` was left at the party's 住所: no place recorded (the receipt then names the
 * 住所), or a place that states the 住所 as the packet gives it.
 */
export function leftAtDomicile(place: string | null | undefined, domicile: string | null | undefined): boolean {
  const at = bare(place ?? '');
  if (!at) return true;
  const home = bare(domicile ?? '');
  return home.length > 0 && at.includes(home);
}

/** Where the law for leaving a refused document elsewhere than the 住所 is. */
export const LEFT_ELSEWHERE_BASIS = '《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第一百三十一条第二款';

/**
 * 留置送达 (民事诉讼法第八十九条, applied by 行政处罚法第六十一条): the representative of the 基层组织 or the party's unit
 * witnesses it and the refusal is written on the 送达回证; or the leaving is recorded by photo or video. Either a
 * named witness with the refusal, or a photo or video among the event's files (known by content, not by name).
 * Article 89 leaves the document at the party's 住所 only. Refused elsewhere (the party's shop, this agency's office),
 * the service counts only when the process is recorded by photo or video (民诉法解释第一百三十一条第二款): a witness
 * alone does not make it.
 */
export async function checkLeftService(trx: Transaction<DB>, c: CaseRow, e: Served) {
  if (e.method !== 'left') return;
  const atDomicile = leftAtDomicile(e.servicePlace, c.packet.party.address);
  if (e.witness?.trim()) {
    if (!e.refusalReason?.trim()) {
      throw invalid('refusalReason', '留置送达由见证人到场的，须在送达回证上记明拒收事由（民事诉讼法第八十九条）');
    }
    if (atDomicile) return;
  }
  const files = e.attachmentIds?.length ? await q.attachmentsOfCase(trx, c.id, e.attachmentIds) : [];
  if (files.some((f) => isPhotoOrVideo(f.media_type))) return;
  if (!atDomicile) {
    throw invalid(
      'attachmentIds',
      `在受送达人住所（${c.packet.party.address || '未载明'}）以外留置送达的，须以拍照、录像等方式记录送达过程（${LEFT_ELSEWHERE_BASIS}；民事诉讼法第八十九条的见证人留置限于受送达人住所）：请附上送达过程的照片、录像`,
    );
  }
  throw invalid(
    'witness',
    '留置送达须邀请有关基层组织或者所在单位的代表到场见证，或者以拍照、录像等方式记录送达过程（民事诉讼法第八十九条）：请填写见证人和拒收事由，或附上送达过程的照片、录像',
  );
}

/** What the 送达 form offers: the decision (once recorded) and the notices issued for the case, newest last. */
export async function servableDocuments(db: Kysely<DB>, c: CaseRow) {
  const rows = await db
    .selectFrom('documents')
    .select(['id', 'kind', 'number'])
    .where('case_id', '=', c.id)
    .where('kind', 'in', [...SERVABLE])
    .orderBy('created_at')
    .execute();
  return [
    ...(c.decision ? [{ ref: 'decision', name: decisionName(c), number: c.decision.number ?? null }] : []),
    ...rows.map((r) => ({ ref: r.id, name: KINDS[r.kind as (typeof SERVABLE)[number]].name, number: r.number })),
  ];
}
