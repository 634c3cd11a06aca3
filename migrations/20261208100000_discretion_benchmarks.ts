import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * 行政处罚裁量基准: a department's benchmark items (one per violation, code unique per department, with the legal
 * basis as law and article text) and, per item, the range of each circumstance (从轻, 一般, 从重, 减轻, 不予处罚):
 * a fixed amount in 元, a multiple of 货值金额 or of 违法所得, or no penalty. Every change is also written to
 * discretion_changes with who, when, and the item before and after, so the history survives later edits.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE discretion_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments(id),
      code text NOT NULL CHECK (char_length(code) BETWEEN 1 AND 50),
      violation text NOT NULL CHECK (char_length(violation) BETWEEN 1 AND 300),
      basis_law text CHECK (char_length(basis_law) <= 200),
      basis_article text CHECK (char_length(basis_article) <= 100),
      sort_order integer NOT NULL DEFAULT 0 CHECK (sort_order BETWEEN 0 AND 999999),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid REFERENCES users(id),
      UNIQUE (department_id, code)
    )`,
    'CREATE INDEX discretion_items_order_idx ON discretion_items (department_id, sort_order, code)',
    `CREATE TABLE discretion_ranges (
      item_id uuid NOT NULL REFERENCES discretion_items(id) ON DELETE CASCADE,
      circumstance text NOT NULL CHECK (circumstance IN ('lighter', 'general', 'heavier', 'mitigated', 'exempt')),
      kind text NOT NULL CHECK (kind IN ('fixed', 'goods_value', 'illegal_gains', 'none')),
      min_value double precision CHECK (min_value >= 0),
      max_value double precision CHECK (max_value >= 0),
      note text CHECK (char_length(note) <= 500),
      PRIMARY KEY (item_id, circumstance),
      CHECK ((kind = 'none') = (circumstance = 'exempt')),
      CHECK (kind = 'none' OR (min_value IS NOT NULL AND max_value IS NOT NULL AND min_value <= max_value))
    )`,
    `CREATE TABLE discretion_changes (
      id bigserial PRIMARY KEY,
      department_id uuid NOT NULL REFERENCES departments(id),
      item_id uuid,
      code text,
      action text NOT NULL CHECK (action IN ('created', 'updated', 'deleted', 'imported')),
      summary text NOT NULL,
      before jsonb,
      after jsonb,
      actor_id uuid NOT NULL REFERENCES users(id),
      at timestamptz NOT NULL DEFAULT now()
    )`,
    'CREATE INDEX discretion_changes_department_idx ON discretion_changes (department_id, at DESC, id DESC)',
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, ['DROP TABLE discretion_changes', 'DROP TABLE discretion_ranges', 'DROP TABLE discretion_items']);
}
