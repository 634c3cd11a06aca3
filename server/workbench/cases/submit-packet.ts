import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { PacketSchema, SubmittedFactsSchema } from '../../cases/schemas.js';
import type { Packet } from '../../cases/tables.js';
import type { FormValues } from '../tasks/drafts.js';

/** Field errors of a page form: input name (rows as `evidenceName.2`) → message in Chinese. */
export type FieldErrors = Record<string, string>;

export const PACKET_LABELS: Record<string, string> = {
  caseNumber: '案件编号',
  title: '案件名称',
  category: '决定类别',
  partyType: '当事人类型',
  partyName: '当事人姓名或名称',
  partyIdCode: '身份证号码或统一社会信用代码',
  partyAddress: '住所或地址',
  factsFound: '认定的事实',
  evidence: '证据清单',
  evidenceName: '证据名称',
  evidenceDescription: '证据说明',
  legalBasis: '法律依据',
  basisLaw: '法律法规名称',
  basisArticle: '条款',
  discretionBenchmark: '适用的裁量基准',
  discretionPosition: '在裁量幅度中的位置',
  discretionChoice: '裁量基准事项和情节',
  discretionBaseAmount: '货值金额或违法所得',
  discretionExplanation: '偏离裁量基准的理由',
  proposedDecision: '拟作出的决定',
  hearingHeld: '是否经过听证',
  officerIds: '承办执法人员',
  materials: '送审材料',
  attestedBy: '承诺人',
  attestationStatement: '真实性承诺',
  amount: '涉案金额',
  measure: '拟作出的决定或措施',
};

const PATTERN_MESSAGES: Record<string, string> = {
  caseNumber: '请填写案件编号（不能含空格）',
  partyIdCode: '应为 8 至 30 位字母或数字（身份证号码或统一社会信用代码）',
  measure: '请选择拟作出的决定或措施',
};

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const lines = (v: string) =>
  v
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Rows of a repeated group with every cell blank are dropped, so an added-but-unused row is no error. */
function rows<K extends string>(body: FormValues, names: Record<K, string>): Record<K, string>[] {
  const columns = Object.entries(names).map(([k, name]) => [k, many(body[name as string])] as const);
  const count = Math.max(0, ...columns.map(([, v]) => v.length));
  const out: Record<K, string>[] = [];
  for (let i = 0; i < count; i++) {
    const row = Object.fromEntries(columns.map(([k, v]) => [k, (v[i] ?? '').trim()])) as Record<K, string>;
    if (Object.values(row).some((x) => x !== '')) out.push(row);
  }
  return out;
}

/**
 * The structured benchmark choice of the form: one select `discretionChoice` (`<itemId>:<circumstance>`), the base
 * amount for a multiple (-1 when it is no number, so validation names it) and the explanation of a deviation.
 * Keys left blank are left out, so a packet without a benchmark choice stays as packets always were.
 */
function discretionChoiceFrom(body: FormValues): Partial<Packet['discretion']> {
  const [itemId, circumstance] = one(body.discretionChoice).trim().split(':');
  const base = one(body.discretionBaseAmount).replace(/[,，\s]/g, '');
  const explanation = one(body.discretionExplanation).trim();
  const amount = /^[0-9]+(\.[0-9]+)?$/.test(base) ? Number(base) : -1;
  return {
    ...(itemId ? { benchmarkItemId: itemId } : {}),
    ...(circumstance ? { circumstance: circumstance as Packet['discretion']['circumstance'] } : {}),
    ...(base ? { baseAmount: amount } : {}),
    ...(explanation ? { explanation } : {}),
  };
}

/** The packet a page form describes, as the cases capability takes it. */
export function packetFrom(body: FormValues): Packet {
  const materials = [...many(body.materials), ...lines(one(body.materialsOther))];
  return {
    caseNumber: one(body.caseNumber).trim(),
    title: one(body.title).trim(),
    category: one(body.category) as Packet['category'],
    party: {
      type: one(body.partyType) as Packet['party']['type'],
      name: one(body.partyName).trim(),
      idCode: one(body.partyIdCode).trim(),
      address: one(body.partyAddress).trim(),
    },
    factsFound: one(body.factsFound).trim(),
    evidence: rows(body, { name: 'evidenceName', description: 'evidenceDescription' }).map((r) =>
      r.description ? r : { name: r.name },
    ),
    legalBasis: rows(body, { law: 'basisLaw', article: 'basisArticle' }),
    ...(one(body.conductDate).trim() ? { conductDate: one(body.conductDate).trim() } : {}),
    discretion: {
      benchmark: one(body.discretionBenchmark).trim(),
      position: one(body.discretionPosition).trim(),
      ...discretionChoiceFrom(body),
    },
    proposedDecision: one(body.proposedDecision).trim(),
    hearingHeld: one(body.hearingHeld) === 'true',
    officerIds: many(body.officerIds),
    materials: [...new Set(materials)],
    attestation: {
      attestedBy: one(body.attestedBy) as Packet['attestation']['attestedBy'],
      statement: one(body.attestationStatement).trim(),
    },
  };
}

/** The case facts the catalogue is judged on; category, party type and hearing come from the packet. */
export function factsFrom(body: FormValues) {
  const amount = Number(one(body.amount).replace(/[,，\s]/g, '') || '0');
  const flag = (name: string) => one(body[name]) === 'true';
  return {
    amount: Number.isFinite(amount) ? amount : -1,
    measure: one(body.measure),
    thirdPartyAffected: flag('thirdPartyAffected'),
    complex: flag('complex'),
    publicInterest: flag('publicInterest'),
    socialImpact: flag('socialImpact'),
  };
}

/** The page form's values for a packet, for editing it again (correction) or re-rendering it. */
export function packetValues(p: Packet): FormValues {
  return {
    caseNumber: p.caseNumber,
    title: p.title,
    category: p.category,
    partyType: p.party.type,
    partyName: p.party.name,
    partyIdCode: p.party.idCode,
    partyAddress: p.party.address,
    factsFound: p.factsFound,
    evidenceName: p.evidence.map((e) => e.name),
    evidenceDescription: p.evidence.map((e) => e.description ?? ''),
    basisLaw: p.legalBasis.map((b) => b.law),
    basisArticle: p.legalBasis.map((b) => b.article),
    conductDate: p.conductDate ?? '',
    discretionBenchmark: p.discretion.benchmark,
    discretionPosition: p.discretion.position,
    discretionChoice: p.discretion.benchmarkItemId
      ? `${p.discretion.benchmarkItemId}:${p.discretion.circumstance ?? ''}`
      : '',
    discretionBaseAmount: p.discretion.baseAmount === undefined ? '' : String(p.discretion.baseAmount),
    discretionExplanation: p.discretion.explanation ?? '',
    proposedDecision: p.proposedDecision,
    hearingHeld: String(p.hearingHeld),
    officerIds: p.officerIds,
    materials: p.materials,
    attestedBy: p.attestation.attestedBy,
    attestationStatement: p.attestation.statement,
  };
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv, ['uuid']);
const validatePacket = ajv.compile(PacketSchema);
const validateFacts = ajv.compile(SubmittedFactsSchema);

const PATHS: Record<string, string> = {
  '/party/type': 'partyType',
  '/party/name': 'partyName',
  '/party/idCode': 'partyIdCode',
  '/party/address': 'partyAddress',
  '/discretion/benchmark': 'discretionBenchmark',
  '/discretion/position': 'discretionPosition',
  '/discretion/benchmarkItemId': 'discretionChoice',
  '/discretion/circumstance': 'discretionChoice',
  '/discretion/baseAmount': 'discretionBaseAmount',
  '/discretion/explanation': 'discretionExplanation',
  '/attestation/attestedBy': 'attestedBy',
  '/attestation/statement': 'attestationStatement',
};

/** The form input an Ajv error is about: `/evidence/2/name` → `evidenceName.2`. */
function inputOf(e: ErrorObject): string {
  const path = e.instancePath;
  const row = /^\/(evidence|legalBasis)\/(\d+)\/(\w+)$/.exec(path);
  if (row) {
    const names: Record<string, string> = { name: 'evidenceName', description: 'evidenceDescription' };
    const basis: Record<string, string> = { law: 'basisLaw', article: 'basisArticle' };
    return `${(row[1] === 'evidence' ? names : basis)[row[3]]}.${row[2]}`;
  }
  if (PATHS[path]) return PATHS[path];
  return path.split('/')[1] ?? '';
}

function messageOf(e: ErrorObject, input: string): string {
  const label = PACKET_LABELS[input.split('.')[0]] ?? input;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
    case 'minLength':
      return `请填写${label}`;
    case 'maxLength':
      return `${label}不能超过 ${params.limit} 个字`;
    case 'minItems':
      return `至少列出一项${label}`;
    case 'maxItems':
      return `${label}最多 ${params.limit} 项`;
    case 'pattern':
      return PATTERN_MESSAGES[input] ?? `${label}的格式不正确`;
    case 'minimum':
      return `${label}不能小于 ${params.limit}`;
    default:
      return input === 'partyType' || input === 'category' || input === 'attestedBy' || input === 'hearingHeld'
        ? `请选择${label}`
        : `${label}填写有误`;
  }
}

function collect(errors: ErrorObject[] | null | undefined, out: FieldErrors) {
  for (const e of errors ?? []) {
    // A union (category, party type) reports once per branch; the first message per input is enough.
    const input = inputOf(e);
    if (!out[input]) out[input] = messageOf(e, input);
  }
}

export function packetErrors(packet: Packet): FieldErrors {
  const out: FieldErrors = {};
  if (!validatePacket(packet)) collect(validatePacket.errors, out);
  return out;
}

export function factsErrors(facts: ReturnType<typeof factsFrom>): FieldErrors {
  const out: FieldErrors = {};
  if (facts.amount < 0) out.amount = '涉案金额应为不小于 0 的数字（单位：元）';
  else if (!validateFacts(facts)) collect(validateFacts.errors, out);
  return out;
}

/** The form input a refusal of the cases capability names in `details.field` (a packet path), if any. */
const REFUSAL_INPUTS: Record<string, string> = {
  'discretion.benchmarkItemId': 'discretionChoice',
  'discretion.circumstance': 'discretionChoice',
  'discretion.baseAmount': 'discretionBaseAmount',
  'discretion.explanation': 'discretionExplanation',
};

export function refusalInput(details: unknown): string | undefined {
  const field = (details as { field?: unknown } | undefined)?.field;
  return typeof field === 'string' ? REFUSAL_INPUTS[field] : undefined;
}
