import type { Transaction } from 'kysely';
import { expectedDecision } from '../cases/decision-record.js';
import { personFor } from '../cases/people.js';
import { CATEGORY_LABELS } from '../cases/review-points.js';
import type { CaseRow } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import { CIRCUMSTANCE_LABELS } from '../discretion/vocabulary.js';
import type { DocumentDataByKind } from '../documents/kinds.js';
import { issueDocument, signDocument } from '../documents/service.js';
import type { TemplateSource } from '../documents/template-source.js';
import { actingUnit, unitName } from '../identity/directory.js';
import type { DocumentSigner } from '../records/signatures.js';
import { dayNumber, formatDay } from '../workdays/days.js';
import type { StageEventInput } from './schemas.js';
import { leftAtDomicile, type ServedDocument } from './service-rules.js';
import type { HearingDetails } from './state.js';

/** The documents capability as the lifecycle uses it: the process's templates and SM2 signer. */
export interface LifecycleDocuments {
  templates: TemplateSource;
  signer: DocumentSigner;
}

export interface StageDocument {
  documentId: string;
  kind: 'penalty_notice' | 'hearing_notice' | 'service_receipt';
  number: string;
  sm3: string;
  by: { userId: string; name: string; unit: string; position: string };
}

type Details = Record<string, unknown>;

/** What a recorded fact issues: 事先告知 → 事先告知书, 听证通知 → 听证通知书, 送达 → 送达回证; else nothing. */
const KIND_OF = {
  notice_served: 'penalty_notice',
  hearing_notified: 'hearing_notice',
  served: 'service_receipt',
} as const;

/**
 * Issues the document of a lifecycle event in its transaction, from the case's current packet and what the event
 * established (deadlines, hearing date), signed (SM2) by the officer who recorded it, like every document of a case.
 */
export async function issueStageDocument(
  docs: LifecycleDocuments,
  trx: Transaction<DB>,
  c: CaseRow,
  e: StageEventInput,
  details: Details,
  actorId: string,
  now: Date,
): Promise<StageDocument | null> {
  if (!(e.type in KIND_OF)) return null;
  const kind = KIND_OF[e.type as keyof typeof KIND_OF];
  const department = await trx
    .selectFrom('departments')
    .select('name')
    .where('id', '=', c.department_id)
    .executeTakeFirstOrThrow();
  const person = await personFor(trx, actorId, c.department_id, 'handling');
  const handlingUnit = (await unitName(trx, c.handling_unit_id))?.name ?? department.name;
  const reviewUnit =
    (await unitName(trx, c.review_unit_id))?.name ??
    (await actingUnit(trx, null, c.department_id, 'legal_review'))?.name ??
    department.name;
  const issuer = {
    name: person?.name ?? '',
    position: person?.position ?? '执法人员',
    unit: person?.unit ?? handlingUnit,
  };
  const p = c.packet;
  const caseInfo = {
    number: c.case_number,
    title: c.title,
    party: p.party.name,
    category: CATEGORY_LABELS[c.category],
    handlingUnit,
    reviewUnit,
  };
  const data = dataOf(kind, e, details, c, caseInfo, issuer);
  const doc = await issueDocument(trx, docs.templates, {
    kind,
    data,
    departmentId: c.department_id,
    caseId: c.id,
    createdBy: actorId,
    at: now,
    // Dated with the event's own date: a 告知 or 送达 recorded after the fact is not dated the day it was typed in.
    issuedOn: e.date,
  } as Parameters<typeof issueDocument>[2]);
  await signDocument(trx, doc.id, actorId, now, { signer: docs.signer });
  return { documentId: doc.id, kind, number: doc.number, sm3: doc.sm3, by: { userId: actorId, ...issuer } };
}

/**
 * The penalty the party is told of (第四十四条) and heard on: the chief's modified decision (修改后作出决定) when the
 * chief modified it, else the proposal as submitted — the content a decision must then agree with (第六十二条).
 */
export function proposalToNotify(c: Pick<CaseRow, 'chief_decision' | 'packet'>): string {
  return expectedDecision(c)?.content ?? c.packet.proposedDecision;
}

/** 二、理由: the 裁量基准 applied, the 裁量情节 chosen (从轻、从重 …), the position in its range, and why it departs. */
function reasonsOf(d: CaseRow['packet']['discretion']): string {
  const circumstance = d.circumstance ? `裁量情节：${CIRCUMSTANCE_LABELS[d.circumstance] ?? d.circumstance}` : null;
  return [d.benchmark, circumstance, d.position, d.explanation].filter((s) => s?.trim()).join('；');
}

function dataOf(
  kind: StageDocument['kind'],
  e: StageEventInput,
  d: Details,
  c: CaseRow,
  caseInfo: DocumentDataByKind['penalty_notice']['case'],
  issuer: DocumentDataByKind['penalty_notice']['issuer'],
) {
  const p = c.packet;
  if (kind === 'penalty_notice') {
    const data: DocumentDataByKind['penalty_notice'] = {
      case: caseInfo,
      party: { name: p.party.name, idCode: p.party.idCode, address: p.party.address },
      facts: p.factsFound,
      reasons: reasonsOf(p.discretion),
      legalBasis: p.legalBasis.map((b) => `《${b.law.replace(/^《|》$/g, '')}》${b.article}`).join('、'),
      proposal: proposalToNotify(c),
      noticeDate: e.date,
      statementWorkingDays: d.statementWorkingDays as number,
      statementDue: d.statementDue as string,
      hearingRight: d.hearingRight as boolean,
      hearingRequestDue: (d.hearingRequestDue as string | null) ?? null,
      issuer,
    };
    return data;
  }
  if (kind === 'hearing_notice') {
    const h = d as unknown as HearingDetails;
    const n = e as Extract<StageEventInput, { type: 'hearing_notified' }>;
    const data: DocumentDataByKind['hearing_notice'] = {
      case: caseInfo,
      proposal: proposalToNotify(c),
      requestedOn: h.requestedOn,
      notifiedOn: n.date,
      hearingDate: n.hearingDate,
      hearingTime: n.hearingTime,
      place: n.place,
      presider: h.presider ?? '',
      issuer,
    };
    return data;
  }
  const s = e as Extract<StageEventInput, { type: 'served' }>;
  const served = (d.documents as ServedDocument[]).map((x) => ({ name: x.name, number: x.number }));
  const numbers = served.flatMap((x) => (x.number ? [x.number] : []));
  const servedOn = (d.deemedServedOn as string | undefined) ?? s.date;
  const witness = s.method === 'left' ? ((d.witness as string | null) ?? null) : null;
  const refusal = s.method === 'left' ? ((d.refusalReason as string | null) ?? null) : null;
  const data: DocumentDataByKind['service_receipt'] = {
    case: caseInfo,
    documents: served,
    documentName: served.map((x) => x.name).join('、'),
    documentNumber: numbers.length ? numbers.join('、') : null,
    recipient: p.party.name,
    // Where it was actually served, as recorded; else the party's 住所 (not for an electronic or public service).
    address:
      (d.place as string | null | undefined) ??
      (s.method === 'electronic' || s.method === 'public_notice' ? null : p.party.address || null),
    method: d.methodLabel as string,
    // 公告送达: the day the notice was published, and the day it counts as served (民事诉讼法第九十五条).
    publishedOn: s.method === 'public_notice' ? s.date : null,
    servedOn,
    signer: s.method === 'left' || s.method === 'public_notice' ? null : (s.recipient ?? null),
    refused: s.method === 'left',
    witness,
    note: serviceNote(s.method, {
      witness,
      refusal,
      place: (d.place as string | null | undefined) ?? null,
      atDomicile: leftAtDomicile(d.place as string | null | undefined, p.party.address),
      rolled: servedOn !== formatDay(dayNumber(s.date) + 30),
      provisional: d.deemedProvisional === true,
    }),
    issuer,
  };
  return data;
}

/** 备注 of the 送达回证: how a 留置、电子 or 公告 送达 was done, as the law asks it to be written down. */
function serviceNote(
  method: string,
  n: {
    witness: string | null;
    refusal: string | null;
    place: string | null;
    atDomicile: boolean;
    rolled: boolean;
    provisional: boolean;
  },
): string | null {
  if (method === 'left') {
    // Left where the service was recorded to have taken place, else at the party's 住所.
    const where = n.place ? '上述送达地点' : '受送达人住所';
    const refused = n.refusal ? `拒收事由：${n.refusal}。` : '';
    const witnessed = n.witness ? '见证人到场，' : '';
    // Elsewhere than the 住所 only the photo or video makes it served (checkLeftService refuses it otherwise). The
    // interpretation is cited by its usual short name: with its full one the receipt runs onto a second page.
    if (!n.atDomicile) {
      return `${refused}${witnessed}文书已留置于${where}，送达过程已拍照、录像（《民诉法解释》第一百三十一条第二款）。`;
    }
    return n.witness
      ? `${refused}见证人到场，文书已留置于${where}（民事诉讼法第八十九条）。`
      : `${refused}文书已留置于${where}，并以拍照、录像方式记录送达过程（民事诉讼法第八十九条）。`;
  }
  if (method === 'public_notice') {
    return `${SERVICE_NOTES.public_notice}${n.rolled ? ROLLED_NOTE : ''}${n.provisional ? PROVISIONAL_NOTE : ''}`;
  }
  return SERVICE_NOTES[method] ?? null;
}

const ROLLED_NOTE = '第三十日为法定休假日，顺延至休假日后的第一日（民事诉讼法第八十五条）。';
const PROVISIONAL_NOTE = '该年度节假日安排尚未载入，视为送达日期暂仅按双休日顺延。';

const SERVICE_NOTES: Partial<Record<string, string>> = {
  electronic: '当事人已同意并签订确认书，以电子方式送达（《中华人民共和国行政处罚法》第六十一条第二款）。',
  public_notice:
    '受送达人下落不明或者用其他方式无法送达，公告送达；自发出公告之日起经过三十日视为送达（民事诉讼法第九十五条）。',
};
