import type { ColumnType } from 'kysely';

/** One row: whether the shared reviewer pool is open city-wide (the justice bureau's switch). */
export interface ReviewerPoolSettingsTable {
  id: ColumnType<boolean, boolean | undefined, never>;
  /** Off (the seed's rule): a department borrows only reviewers of its own enforcement system (本系统内). */
  citywide: boolean;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  updated_by: string | null;
}

export interface PoolSettingsTables {
  reviewer_pool_settings: ReviewerPoolSettingsTable;
}
