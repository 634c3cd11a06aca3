import type { DisclosureRow } from '../tables.js';
import { detectPersonalData, type FindingKind } from './redaction.js';

/** What each kind of personal data the detector finds is called in a refusal. */
export const PERSONAL_DATA_LABELS: Record<FindingKind, string> = {
  id_card: '身份证号码',
  mobile: '手机号码',
  landline: '固定电话',
  bank_card: '银行卡号',
  email: '电子邮箱',
  address: '详细地址',
  person_name: '自然人姓名',
};

export interface RemainingPersonalData {
  field: string;
  kind: FindingKind;
  text: string;
}

/**
 * Personal data the detector finds in texts about to be published (`redaction.ts`), the decision's party being
 * known by name: a natural person's name is found wherever it stands, an organisation's is kept.
 */
export function personalDataIn(
  d: Pick<DisclosureRow, 'party_type' | 'original'>,
  texts: Record<string, string>,
): RemainingPersonalData[] {
  const known = {
    personNames: d.party_type === 'person' ? [d.original.party] : [],
    organizationNames: d.party_type === 'organization' ? [d.original.party] : [],
  };
  return Object.entries(texts).flatMap(([field, text]) =>
    detectPersonalData(text, known).map((x) => ({ field, kind: x.kind, text: x.text })),
  );
}

/** The kinds found, named once each in the order found: 身份证号码、手机号码. */
export function describeKinds(found: readonly RemainingPersonalData[]): string {
  return [...new Set(found.map((x) => PERSONAL_DATA_LABELS[x.kind] ?? x.kind))].join('、');
}
