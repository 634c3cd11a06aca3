import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const POWER_CATEGORIES = `('licensing', 'penalty', 'coercion', 'levy', 'requisition', 'benefit', 'inspection',
  'confirmation', 'reward', 'adjudication', 'other')`;

/** Who last changed a row, and when: every disclosure table carries it. */
const STAMP = `created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by uuid REFERENCES users(id)`;

/**
 * What an agency discloses before enforcement (事前公开), maintained by its legal unit: the powers list
 * (职权事项清单, code unique per department), its remedies (救济途径, one row per department), service guides
 * (办事指南) and the random-inspection list (随机抽查事项清单). Every change is also written to
 * agency_profile_changes, so who changed what and when stays known after later edits and deletions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE agency_powers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments(id),
      code text NOT NULL CHECK (char_length(code) BETWEEN 1 AND 50),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
      category text NOT NULL CHECK (category IN ${POWER_CATEGORIES}),
      legal_basis text NOT NULL CHECK (char_length(legal_basis) BETWEEN 1 AND 4000),
      implementing_unit text CHECK (char_length(implementing_unit) <= 200),
      sort_order integer NOT NULL DEFAULT 0 CHECK (sort_order BETWEEN 0 AND 999999),
      ${STAMP},
      UNIQUE (department_id, code)
    )`,
    'CREATE INDEX agency_powers_order_idx ON agency_powers (department_id, sort_order, code)',
    `CREATE TABLE agency_remedies (
      department_id uuid PRIMARY KEY REFERENCES departments(id),
      reconsideration_organ text NOT NULL CHECK (char_length(reconsideration_organ) BETWEEN 1 AND 200),
      reconsideration_address text CHECK (char_length(reconsideration_address) <= 300),
      reconsideration_phone text CHECK (char_length(reconsideration_phone) <= 50),
      reconsideration_time_limit text NOT NULL CHECK (char_length(reconsideration_time_limit) BETWEEN 1 AND 500),
      court_name text NOT NULL CHECK (char_length(court_name) BETWEEN 1 AND 200),
      court_address text CHECK (char_length(court_address) <= 300),
      court_phone text CHECK (char_length(court_phone) <= 50),
      litigation_time_limit text NOT NULL CHECK (char_length(litigation_time_limit) BETWEEN 1 AND 500),
      notes text CHECK (char_length(notes) <= 2000),
      ${STAMP}
    )`,
    `CREATE TABLE agency_service_guides (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments(id),
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
      matter text NOT NULL CHECK (char_length(matter) BETWEEN 1 AND 500),
      materials text CHECK (char_length(materials) <= 4000),
      procedure text NOT NULL CHECK (char_length(procedure) BETWEEN 1 AND 4000),
      time_limit text CHECK (char_length(time_limit) <= 200),
      fees text CHECK (char_length(fees) <= 500),
      place_hours text CHECK (char_length(place_hours) <= 500),
      phone text CHECK (char_length(phone) <= 50),
      sort_order integer NOT NULL DEFAULT 0 CHECK (sort_order BETWEEN 0 AND 999999),
      ${STAMP}
    )`,
    'CREATE INDEX agency_service_guides_order_idx ON agency_service_guides (department_id, sort_order, created_at)',
    `CREATE TABLE agency_inspection_items (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      department_id uuid NOT NULL REFERENCES departments(id),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
      objects text NOT NULL CHECK (char_length(objects) BETWEEN 1 AND 500),
      method text NOT NULL CHECK (char_length(method) BETWEEN 1 AND 200),
      basis text NOT NULL CHECK (char_length(basis) BETWEEN 1 AND 2000),
      inspecting_unit text CHECK (char_length(inspecting_unit) <= 200),
      ratio text NOT NULL CHECK (char_length(ratio) BETWEEN 1 AND 200),
      sort_order integer NOT NULL DEFAULT 0 CHECK (sort_order BETWEEN 0 AND 999999),
      ${STAMP}
    )`,
    'CREATE INDEX agency_inspection_items_order_idx ON agency_inspection_items (department_id, sort_order, created_at)',
    `CREATE TABLE agency_profile_changes (
      id bigserial PRIMARY KEY,
      department_id uuid NOT NULL REFERENCES departments(id),
      section text NOT NULL CHECK (section IN ('powers', 'remedies', 'service_guides', 'inspection_items')),
      item_id uuid,
      action text NOT NULL CHECK (action IN ('created', 'updated', 'deleted', 'imported')),
      summary text NOT NULL CHECK (char_length(summary) BETWEEN 1 AND 300),
      actor_id uuid REFERENCES users(id),
      at timestamptz NOT NULL DEFAULT now()
    )`,
    'CREATE INDEX agency_profile_changes_department_idx ON agency_profile_changes (department_id, id DESC)',
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP TABLE agency_profile_changes, agency_inspection_items, agency_service_guides, agency_remedies, agency_powers',
  ]);
}
