import type { ColumnType, Generated } from 'kysely';

/** A change of an exported row, noted by a trigger; `seq` is given by the sequencer once it is visible. */
export interface ExportChangesTable {
  id: Generated<number>;
  entity: string;
  row_id: string;
  deleted: Generated<boolean>;
  seq: ColumnType<number | null, number | null | undefined, number>;
}

/** A consumer of the export (e.g. the city's data-sharing platform); only its token's SM3 hash is kept. */
export interface ExportConsumersTable {
  id: Generated<string>;
  name: string;
  token_hash: string;
  /** 有条件使用: entitled to parties' personal data (names of natural persons, ID numbers, addresses). */
  personal_data: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ExportTables {
  export_changes: ExportChangesTable;
  export_consumers: ExportConsumersTable;
}
