import type { Packet } from '../../cases/tables.js';
import type { DiscretionAssessment } from '../../discretion/assess.js';
import { CATEGORY_LABELS } from '../../http/view-engine.js';
import { formatDateZh } from '../../infra/date-format.js';
import type { BasisCheck } from './basis-check.js';
import { ATTESTED_BY_LABELS, PARTY_TYPE_LABELS } from './labels.js';

/** One line of the packet as the case page shows it: a text, or a list of items. */
export interface PacketRow {
  label: string;
  text?: string;
  items?: string[];
  long?: boolean;
  /** The legal bases checked against the law library (the 法律依据 row only). */
  basis?: BasisCheck;
  /** The proposal checked against the chosen 裁量基准 item and circumstance (the 裁量基准 row only). */
  discretion?: DiscretionView;
}

export interface DiscretionView {
  ok: boolean;
  tag: string;
  message: string;
  basis: string;
  explanation: string | null;
}

/** The benchmark check as the case page and the review step show it beside 裁量. */
export function discretionView(a: DiscretionAssessment): DiscretionView {
  const unknown = a.status === 'item_missing' || a.status === 'circumstance_missing' || a.status === 'missing_base';
  return {
    ok: !a.deviation && !unknown,
    tag: a.deviation ? '偏离裁量基准' : unknown ? '无法核对' : '在裁量幅度内',
    message: a.message,
    basis: a.basis,
    explanation: a.explanation,
  };
}

export type UserName = (id: unknown) => string;

const evidenceText = (e: { name: string; description?: string }) =>
  e.description ? `${e.name}（${e.description}）` : e.name;
const basisText = (b: { law: string; article: string }) => `${b.law}${b.article}`;
const yesNo = (v: unknown) => (v ? '是' : '否');

/** The packet, field by field, in the order a reviewer reads it. */
export function packetRows(
  p: Packet,
  userName: UserName,
  basis?: BasisCheck,
  discretion?: DiscretionAssessment | null,
): PacketRow[] {
  return [
    { label: '案件编号', text: p.caseNumber },
    { label: '案件名称', text: p.title },
    { label: '决定类别', text: CATEGORY_LABELS[p.category] ?? p.category },
    { label: '当事人', text: `${p.party.name}（${PARTY_TYPE_LABELS[p.party.type] ?? p.party.type}）` },
    { label: '证件号码', text: p.party.idCode },
    { label: '住所或地址', text: p.party.address },
    { label: '认定的事实', text: p.factsFound, long: true },
    { label: '证据清单', items: p.evidence.map(evidenceText) },
    { label: '法律依据', items: p.legalBasis.map(basisText), basis },
    { label: '违法行为发生日期', text: p.conductDate ? formatDateZh(p.conductDate) : '未填写' },
    {
      label: '适用的裁量基准',
      text: p.discretion.benchmark,
      discretion: discretion ? discretionView(discretion) : undefined,
    },
    { label: '裁量幅度中的位置', text: p.discretion.position },
    { label: '拟作出的决定', text: p.proposedDecision, long: true },
    { label: '是否经过听证', text: yesNo(p.hearingHeld) },
    { label: '承办执法人员', text: p.officerIds.map(userName).join('、') || '—' },
    { label: '已提交的送审材料', items: p.materials },
    {
      label: '真实性承诺',
      text: `${ATTESTED_BY_LABELS[p.attestation.attestedBy] ?? ''}：${p.attestation.statement}`,
    },
  ];
}

/** A field's value as text, for showing what changed between two rounds. */
function valueItems(field: string, v: unknown, userName: UserName): string[] {
  if (v == null) return [];
  switch (field) {
    case 'evidence':
      return (v as Packet['evidence']).map(evidenceText);
    case 'legalBasis':
      return (v as Packet['legalBasis']).map(basisText);
    case 'officerIds':
      return (v as string[]).map(userName);
    case 'materials':
      return v as string[];
    case 'party': {
      const p = v as Packet['party'];
      return [`${p.name}（${PARTY_TYPE_LABELS[p.type] ?? p.type}），${p.idCode}，${p.address}`];
    }
    case 'discretion': {
      const d = v as Packet['discretion'];
      return [`${d.benchmark}；${d.position}${d.explanation ? `；偏离理由：${d.explanation}` : ''}`];
    }
    case 'attestation': {
      const a = v as Packet['attestation'];
      return [`${ATTESTED_BY_LABELS[a.attestedBy] ?? ''}：${a.statement}`];
    }
    case 'hearingHeld':
      return [yesNo(v)];
    default:
      return [String(v)];
  }
}

const LIST_FIELDS = new Set(['evidence', 'legalBasis', 'officerIds', 'materials']);

export interface ChangeView {
  label: string;
  list: boolean;
  added: string[];
  removed: string[];
  before: string;
  after: string;
}

/** What changed in a round: for lists the items added and removed, otherwise the text before and after. */
export function changeView(
  c: { field: string; label?: string; before: unknown; after: unknown },
  userName: UserName,
): ChangeView {
  const before = valueItems(c.field, c.before, userName);
  const after = valueItems(c.field, c.after, userName);
  const list = LIST_FIELDS.has(c.field);
  return {
    label: c.label ?? c.field,
    list,
    added: list ? after.filter((x) => !before.includes(x)) : [],
    removed: list ? before.filter((x) => !after.includes(x)) : [],
    before: list ? '' : before.join('；'),
    after: list ? '' : after.join('；'),
  };
}
