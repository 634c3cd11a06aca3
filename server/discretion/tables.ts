import type { ColumnType, Generated } from 'kysely';
import type { Circumstance, RangeKind } from './vocabulary.js';

/** One benchmark item: a violation (违法行为) of a department's 裁量基准, with its legal basis. */
export interface DiscretionItemsTable {
  id: Generated<string>;
  department_id: string;
  code: string;
  violation: string;
  basis_law: string | null;
  basis_article: string | null;
  sort_order: ColumnType<number, number | undefined, number>;
  created_at: ColumnType<Date, Date | undefined, Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: string | null;
}

/** The range of one circumstance of an item: 元, a multiple of 货值金额 or 违法所得, or none (不予处罚). */
export interface DiscretionRangesTable {
  item_id: string;
  circumstance: Circumstance;
  kind: RangeKind;
  min_value: number | null;
  max_value: number | null;
  note: string | null;
}

/** Who changed which item how and when, with the item before and after (null for an import's summary row). */
export interface DiscretionChangesTable {
  id: Generated<string>;
  department_id: string;
  item_id: string | null;
  code: string | null;
  action: 'created' | 'updated' | 'deleted' | 'imported';
  summary: string;
  before: ColumnType<unknown, string | null, string | null>;
  after: ColumnType<unknown, string | null, string | null>;
  actor_id: string;
  at: ColumnType<Date, Date | undefined, Date>;
}

export interface DiscretionTables {
  discretion_items: DiscretionItemsTable;
  discretion_ranges: DiscretionRangesTable;
  discretion_changes: DiscretionChangesTable;
}
