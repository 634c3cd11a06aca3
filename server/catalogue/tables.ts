import type { ColumnType, Generated, Selectable } from 'kysely';
import type { CatalogueCategory } from './vocabulary.js';

/** One situation of the city-wide floor catalogue (全市法制审核底线目录), kept by the justice bureau. */
export interface ReviewFloorItemsTable {
  code: string;
  /** The situation as the law names it, e.g. 涉及重大公共利益. */
  situation: string;
  /** FEEL over the case facts, as a department catalogue item's condition. */
  condition: string;
  categories: CatalogueCategory[];
  review_working_days: number;
  basis: string | null;
  /** A situation the law names: it can be given more time, never removed or narrowed. */
  statutory: Generated<boolean>;
  sort_order: number;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: string | null;
}

export interface CatalogueTables {
  review_floor_items: ReviewFloorItemsTable;
}

export type FloorRow = Selectable<ReviewFloorItemsTable>;
