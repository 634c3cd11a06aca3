import { type Static, type TSchema, Type } from 'typebox';
import { date, text } from './kind-fields.js';
import {
  HearingNoticeData,
  PenaltyNoticeData,
  RectificationNoticeData,
  ServiceReceiptData,
  SupervisionOpinionData,
  TransferNoticeData,
} from './lifecycle-kinds.js';
import {
  ChiefDecisionData,
  CollectiveRecordData,
  CoordinationRecordData,
  CorrectionNoticeData,
  pointFields,
  ReviewOpinionData,
} from './review-kinds.js';

// What each kind of document says: the review's documents in review-kinds.ts, the supervision and case lifecycle
// documents in lifecycle-kinds.ts, the field helpers they share in kind-fields.ts; the table of kinds here.
// Importers keep importing this module.
export { CATEGORIES } from './kind-fields.js';
export * from './lifecycle-kinds.js';
export * from './review-kinds.js';

/** The documents (文书) the review's flows issue (fashen:documentTemplate names one of these). */
export const REVIEW_DOCUMENT_KINDS = [
  'review_opinion',
  'correction_notice',
  'coordination_record',
  'chief_decision',
] as const;

/**
 * Every document Fashen issues, each with its own template, numbering and variables: the review's, and the
 * justice bureau's supervision documents (监督意见书, 纠正通知书), which no flow issues.
 */
export const DOCUMENT_KINDS = [
  ...REVIEW_DOCUMENT_KINDS,
  'supervision_opinion',
  'rectification_notice',
  'transfer_notice',
  'collective_record',
  'penalty_notice',
  'hearing_notice',
  'service_receipt',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** The data a caller gives for each kind. */
export interface DocumentDataByKind {
  review_opinion: ReviewOpinionData;
  correction_notice: CorrectionNoticeData;
  coordination_record: CoordinationRecordData;
  chief_decision: ChiefDecisionData;
  supervision_opinion: SupervisionOpinionData;
  rectification_notice: RectificationNoticeData;
  transfer_notice: TransferNoticeData;
  collective_record: CollectiveRecordData;
  penalty_notice: PenaltyNoticeData;
  hearing_notice: HearingNoticeData;
  service_receipt: ServiceReceiptData;
}
export type DocumentData = { [K in DocumentKind]: { kind: K; data: DocumentDataByKind[K] } }[DocumentKind];

/** Added to every kind's data by the service; templates see these at the top level too. */
export const CommonFields = Type.Object({
  number: text('文号，如 市监法审〔2026〕12号'),
  year: Type.Integer({ description: '文号年份' }),
  department: Type.Object(
    { name: text('机关名称'), abbr: text('机关代字（未设置时为机关代码）') },
    { description: '发文机关' },
  ),
  issuedOn: date('成文日期（YYYY-MM-DD，北京时间）'),
});
export type CommonFields = Static<typeof CommonFields>;

/** Fields the service adds to one item of `points` before the template sees it. */
export const ReviewPointView = Type.Object({
  no: Type.Integer({ description: '序号，从 1 起' }),
  ...pointFields,
  name: text('要点名称（审核时的名称，如 执法主体合法）'),
});

/** 市监 + 法审 + 〔2026〕 + 12号: GB/T 9704 document numbers, year in 六角括号, no leading zeros. */
export function formatDocumentNumber(abbr: string, kind: DocumentKind, year: number, n: number): string {
  return `${abbr}${KINDS[kind].numberSuffix}〔${year}〕${n}号`;
}

export interface KindInfo {
  kind: DocumentKind;
  name: string;
  numberSuffix: string;
  schema: TSchema;
}

export const KINDS: Record<DocumentKind, KindInfo> = {
  review_opinion: { kind: 'review_opinion', name: '法制审核意见书', numberSuffix: '法审', schema: ReviewOpinionData },
  correction_notice: {
    kind: 'correction_notice',
    name: '补正材料通知书',
    numberSuffix: '补正',
    schema: CorrectionNoticeData,
  },
  coordination_record: {
    kind: 'coordination_record',
    name: '协调意见',
    numberSuffix: '协调',
    schema: CoordinationRecordData,
  },
  chief_decision: { kind: 'chief_decision', name: '负责人决定记录', numberSuffix: '决定', schema: ChiefDecisionData },
  supervision_opinion: {
    kind: 'supervision_opinion',
    name: '行政执法监督意见书',
    numberSuffix: '执监意',
    schema: SupervisionOpinionData,
  },
  rectification_notice: {
    kind: 'rectification_notice',
    name: '行政执法监督纠正通知书',
    numberSuffix: '执监纠',
    schema: RectificationNoticeData,
  },
  transfer_notice: {
    kind: 'transfer_notice',
    name: '涉嫌犯罪案件移送书',
    numberSuffix: '移送',
    schema: TransferNoticeData,
  },
  collective_record: {
    kind: 'collective_record',
    name: '集体讨论记录',
    numberSuffix: '集讨',
    schema: CollectiveRecordData,
  },
  penalty_notice: {
    kind: 'penalty_notice',
    name: '行政处罚事先告知书',
    numberSuffix: '罚告',
    schema: PenaltyNoticeData,
  },
  hearing_notice: { kind: 'hearing_notice', name: '听证通知书', numberSuffix: '听通', schema: HearingNoticeData },
  service_receipt: { kind: 'service_receipt', name: '送达回证', numberSuffix: '送回', schema: ServiceReceiptData },
};
