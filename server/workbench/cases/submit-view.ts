import { CATEGORY_LABELS } from '../../http/view-engine.js';
import type { FormValues } from '../tasks/drafts.js';
import { ATTESTED_BY_LABELS, MEASURE_LABELS, PARTY_TYPE_LABELS } from './labels.js';
import type { FieldErrors } from './submit-packet.js';

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export const DEFAULT_STATEMENT = '本人承诺所报送材料真实、准确、完整，并对其真实性、准确性、完整性负责。';

const choices = (labels: Record<string, string>, selected: string) =>
  Object.entries(labels).map(([value, label]) => ({ value, label, selected: value === selected }));

/** Paired inputs of a repeated group (evidence, legal basis), with each cell's error; never fewer than one row. */
function rowsOf(values: FormValues, errors: FieldErrors, a: string, b: string) {
  const left = many(values[a]);
  const right = many(values[b]);
  const n = Math.max(1, left.length, right.length);
  return Array.from({ length: n }, (_, i) => ({
    index: i,
    a: left[i] ?? '',
    b: right[i] ?? '',
    aError: errors[`${a}.${i}`],
    bError: errors[`${b}.${i}`],
  }));
}

export interface PacketFormOptions {
  officers: { id: string; name: string }[];
  /** Materials the catalogue item asks for (or those the packet lists when there is no item). */
  catalogueMaterials: { name: string; required: boolean }[];
  /** Case number and category are fixed once a case exists (correction). */
  lockIdentity: boolean;
  defaultOfficerId?: string;
  /** The department's 裁量基准: one group per item, one option per circumstance. */
  benchmark?: BenchmarkGroup[];
}

export interface BenchmarkGroup {
  label: string;
  options: { value: string; label: string }[];
}

/** What the packet form partial shows: every input's value and error, option lists with the selection. */
export function packetFormView(values: FormValues, errors: FieldErrors, o: PacketFormOptions) {
  const v = (name: string) => one(values[name]);
  const officerIds =
    values.officerIds === undefined && o.defaultOfficerId ? [o.defaultOfficerId] : many(values.officerIds);
  const declared = many(values.materials);
  const listed = new Set(o.catalogueMaterials.map((m) => m.name));
  const other = [...declared.filter((m) => !listed.has(m)), ...one(values.materialsOther).split(/\r?\n/)]
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    v: {
      caseNumber: v('caseNumber'),
      title: v('title'),
      partyName: v('partyName'),
      partyIdCode: v('partyIdCode'),
      partyAddress: v('partyAddress'),
      factsFound: v('factsFound'),
      discretionBenchmark: v('discretionBenchmark'),
      discretionPosition: v('discretionPosition'),
      discretionBaseAmount: v('discretionBaseAmount'),
      discretionExplanation: v('discretionExplanation'),
      proposedDecision: v('proposedDecision'),
      attestationStatement: values.attestationStatement === undefined ? DEFAULT_STATEMENT : v('attestationStatement'),
      materialsOther: [...new Set(other)].join('\n'),
    },
    e: errors,
    lockIdentity: o.lockIdentity,
    categoryName: CATEGORY_LABELS[v('category')] ?? '',
    categories: choices(CATEGORY_LABELS, v('category')),
    partyTypes: choices(PARTY_TYPE_LABELS, v('partyType')),
    hearing: [
      { value: 'false', label: '否', selected: v('hearingHeld') !== 'true' },
      { value: 'true', label: '是', selected: v('hearingHeld') === 'true' },
    ],
    attestedBy: choices(ATTESTED_BY_LABELS, v('attestedBy') || 'officer'),
    evidence: rowsOf(values, errors, 'evidenceName', 'evidenceDescription'),
    legalBasis: rowsOf(values, errors, 'basisLaw', 'basisArticle'),
    officers: o.officers.map((u) => ({ ...u, checked: officerIds.includes(u.id) })),
    materials: o.catalogueMaterials.map((m) => ({ ...m, checked: declared.includes(m.name) })),
    benchmark: (o.benchmark ?? []).map((g) => ({
      ...g,
      options: g.options.map((x) => ({ ...x, selected: x.value === v('discretionChoice') })),
    })),
  };
}

/** The catalogue facts inputs of the submit form. */
export function factsFormView(values: FormValues) {
  const v = (name: string) => one(values[name]);
  const flag = (name: string, label: string) => ({ name, label, checked: v(name) === 'true' });
  return {
    amount: v('amount'),
    measures: choices(MEASURE_LABELS, v('measure') || 'fine'),
    flags: [
      flag('thirdPartyAffected', '直接关系当事人或者第三人重大权益'),
      flag('complex', '案件情况疑难复杂、涉及多个法律关系'),
      flag('publicInterest', '涉及重大公共利益'),
      flag('socialImpact', '可能造成重大社会影响或者引发社会风险'),
    ],
    requestReview: v('requestReview') === 'true',
  };
}
