import type { ColumnType, Generated, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null | undefined, string | null>;

export type CaseStatus =
  | 'not_required'
  | 'accepting'
  | 'completing'
  | 'reviewing'
  | 'correcting'
  | 'contesting'
  | 'rereviewing'
  | 'coordinating'
  | 'deciding'
  | 'recording'
  | 'decided'
  | 'not_approved'
  | 'withdrawn'
  | 'transferred';

export type Conclusion = 'approve' | 'approve_with_changes' | 'return' | 'disapprove' | 'transfer';
/** A point's finding; the crime point (涉嫌犯罪移送) is answered no_crime 否 / transfer_required 是（需移送）. */
export type Finding = 'conform' | 'nonconform' | 'not_applicable' | 'no_crime' | 'transfer_required';

export interface OpinionFinding {
  point: string;
  label: string;
  finding: Finding;
  note: string;
}

export interface Party {
  type: 'person' | 'organization';
  name: string;
  idCode: string;
  address: string;
}

/** 送审材料: what the handling unit submits and answers for (truth, accuracy, completeness). */
export interface Packet {
  caseNumber: string;
  title: string;
  category: 'licensing' | 'penalty' | 'coercion' | 'levy';
  party: Party;
  factsFound: string;
  evidence: { name: string; description?: string }[];
  legalBasis: { law: string; article: string }[];
  /** 违法行为发生日期: the day whose law the substantive bases are read in (行政处罚法 art. 37). */
  conductDate?: string;
  discretion: {
    benchmark: string;
    position: string;
    /** The department's benchmark item (裁量基准事项) the proposal applies; absent in packets from before it existed. */
    benchmarkItemId?: string;
    /** The circumstance of that item: 从轻 lighter, 一般 general, 从重 heavier, 减轻 mitigated, 不予处罚 exempt. */
    circumstance?: 'mitigated' | 'lighter' | 'general' | 'heavier' | 'exempt';
    /** 货值金额 or 违法所得 in 元, when the circumstance's range is a multiple of it. */
    baseAmount?: number;
    /** Why the proposal departs from the benchmark's range (required when it does). */
    explanation?: string;
  };
  proposedDecision: string;
  hearingHeld: boolean;
  officerIds: string[];
  materials: string[];
  attestation: { attestedBy: 'officer' | 'chief'; statement: string };
}

export interface ChiefDecision {
  decision: 'approve' | 'approve_modified' | 'reject' | 'transfer';
  /** The chief's written reasons, kept whether or not the decision departs from an opinion. */
  reasons: string;
  /** The decision as the chief modified it (修改后作出决定); absent otherwise. */
  modifiedContent?: string | null;
  overrides: ('review' | 'proposal')[];
  decidedBy: string;
  decidedAt: string;
  documentId: string | null;
}

/** How a coordination (协调) ended, on which round: agreement either way, or the chief decides. */
export interface Coordination {
  outcome: 'agree_with_review' | 'agree_with_handling' | 'escalate';
  round: number;
  documentId: string | null;
  recordedBy: string | null;
  recordedAt: string;
  /** The day and place the coordination was held, as the step gave them (null: not given; absent before asked). */
  heldOn?: string | null;
  place?: string | null;
  /** Who confirmed the agreed conclusion for each unit, and when (an agreement only; absent before they existed). */
  confirmations?: CoordinationConfirmation[];
}

export interface CoordinationConfirmation {
  side: 'handling' | 'review';
  userId: string;
  name: string;
  at: string;
}

export interface CoordinationConfirmationsTable {
  case_id: string;
  round: number;
  side: 'handling' | 'review';
  outcome: 'agree_with_review' | 'agree_with_handling';
  user_id: string;
  confirmed_at: Date;
}

export interface RecordedDecision {
  number: string;
  date: string;
  content: string;
  /** Why the recorded content differs from what was reviewed (or the chief's modified decision); null if it does not. */
  deviationReason?: string | null;
  recordedBy: string;
  recordedAt: string;
}

export interface CasesTable {
  id: Generated<string>;
  department_id: string;
  case_number: string;
  title: string;
  category: Packet['category'];
  facts: Json<Record<string, unknown>>;
  packet: Json<Packet>;
  review_mandatory: boolean;
  review_requested: boolean;
  catalogue_item: NullableJson<Record<string, unknown>>;
  catalogue_reason: string;
  status: CaseStatus;
  review_passed: Generated<boolean>;
  current_round: Generated<number>;
  reviewer_id: ColumnType<string | null, string | null | undefined, string | null>;
  instance_id: ColumnType<string | null, string | null | undefined, string | null>;
  chief_decision: NullableJson<ChiefDecision>;
  decision: NullableJson<RecordedDecision>;
  coordination: NullableJson<Coordination>;
  submitted_by: string;
  /** The 承办机构 that handled the case: the submitting officer's unit at submission. */
  handling_unit_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The 法制审核机构 that reviewed it: the assigned reviewer's unit (or the department's review unit). */
  review_unit_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface CaseRoundsTable {
  id: Generated<string>;
  case_id: string;
  round: number;
  packet: Json<Packet>;
  changes: Json<{ field: string; before: unknown; after: unknown }[]>;
  note: string | null;
  submitted_by: string;
  submitted_at: Generated<Date>;
}

export interface ReviewOpinionsTable {
  id: Generated<string>;
  case_id: string;
  round: number;
  kind: 'review' | 'rereview';
  reviewer_id: string;
  findings: Json<OpinionFinding[]>;
  conclusion: Conclusion;
  reasons: string;
  suggestions: string | null;
  document_id: string | null;
  created_at: Generated<Date>;
}

export interface CaseAttachmentsTable {
  id: Generated<string>;
  case_id: string;
  round: number;
  file_name: string;
  media_type: string;
  size: ColumnType<number, number, number>;
  sm3: string;
  storage_key: string;
  uploaded_by: string;
  uploaded_at: Generated<Date>;
}

export interface ReviewerPoolTable {
  user_id: string;
  note: string | null;
  added_by: string | null;
  added_at: Generated<Date>;
}

export interface CaseConflictsTable {
  case_id: string;
  user_id: string;
  reason: string;
  declared_by: string | null;
  declared_at: Generated<Date>;
}

/** A department's own review points (item_code '' for the whole department, else one catalogue item's). */
export interface ReviewPointListsTable {
  department_id: string;
  item_code: ColumnType<string, string | undefined, string>;
  points: Json<{ key: string; label: string }[]>;
  omitted: Json<string[]>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

/** Each saved list, with who saved it and when (the list as saved; an empty item list is a removal). */
export interface ReviewPointListChangesTable {
  id: Generated<string>;
  department_id: string;
  item_code: string;
  points: Json<{ key: string; label: string }[]>;
  omitted: Json<string[]>;
  changed_by: string;
  changed_at: Generated<Date>;
}

export interface CaseTables {
  cases: CasesTable;
  case_rounds: CaseRoundsTable;
  review_opinions: ReviewOpinionsTable;
  case_attachments: CaseAttachmentsTable;
  reviewer_pool: ReviewerPoolTable;
  case_conflicts: CaseConflictsTable;
  coordination_confirmations: CoordinationConfirmationsTable;
  review_point_lists: ReviewPointListsTable;
  review_point_list_changes: ReviewPointListChangesTable;
}

export type CaseRow = Selectable<CasesTable>;
