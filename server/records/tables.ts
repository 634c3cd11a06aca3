import type { ColumnType, Generated, Selectable } from 'kysely';

type Bigint = ColumnType<number, number | bigint, never>;

/**
 * One entry of a case's hash chain: hash = SM3(prev_hash ‖ body), body the canonical JSON of the entry. Everything
 * shown about an entry is read from its body; the columns only order and find it.
 */
export interface CaseRecordsTable {
  id: Generated<number>;
  case_id: string;
  seq: number;
  body: string;
  prev_hash: string;
  hash: string;
}

/** The position of a record in the global Merkle tree, assigned by the sequencer. */
export interface RecordLeavesTable {
  leaf_index: Bigint;
  record_id: Bigint;
  case_id: string;
  seq: number;
}

/** A perfect subtree of the global tree (level 0 = leaf hashes), stored once complete. */
export interface RecordTreeNodesTable {
  level: number;
  idx: Bigint;
  hash: string;
}

export interface RecordCheckpointsTable {
  tree_size: Bigint;
  root: string;
  body: string;
  key_id: string;
  signature: string;
  created_at: Generated<Date>;
}

/** The system SM2 keys: the current one (retired_at null) and every retired one, which stays trusted. */
export interface SystemSigningKeysTable {
  key_id: string;
  public_key: string;
  /** Null when the key is given as RECORD_SIGNING_KEY: its private half is never stored. */
  sealed_private_key: string | null;
  source: 'generated' | 'config' | 'imported';
  created_at: Generated<Date>;
  retired_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface UserSigningKeysTable {
  key_id: string;
  user_id: string;
  public_key: string;
  sealed_private_key: string;
  certificate: string;
  certificate_signature: string;
  created_at: Generated<Date>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface DocumentSignaturesTable {
  id: Generated<number>;
  document_id: string;
  user_id: string;
  key_id: string;
  message: string;
  signature: string;
  signed_at: Date;
}

/** A chunked upload in progress; its bytes so far are a file under DATA_DIR/uploads. */
export interface AttachmentUploadsTable {
  id: Generated<string>;
  case_id: string;
  file_name: string;
  size: Bigint;
  created_by: string;
  created_at: Generated<Date>;
  attachment_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RecordTables {
  attachment_uploads: AttachmentUploadsTable;
  case_records: CaseRecordsTable;
  record_leaves: RecordLeavesTable;
  record_tree_nodes: RecordTreeNodesTable;
  record_checkpoints: RecordCheckpointsTable;
  user_signing_keys: UserSigningKeysTable;
  system_signing_keys: SystemSigningKeysTable;
  document_signatures: DocumentSignaturesTable;
}

export type CaseRecordRow = Selectable<CaseRecordsTable>;
export type CheckpointRow = Selectable<RecordCheckpointsTable>;
