import { type Kysely, sql } from 'kysely';

// One statement per query (PGlite).
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const withinLimit = (column: string) => `${column} IS NULL OR length(${column}) BETWEEN 1 AND 2000`;

/**
 * A supervision item had one 依据 that the two documents read differently: the opinion printed it as the basis
 * of the supervision (根据…开展了行政执法监督), the correction notice as the rule the conduct breached (不符合…的
 * 规定). It becomes two: supervision_basis (监督依据) and breached_rules (违反的规定), each filled from the old
 * value by what its document printed. legal_basis stays, derived, for the data-element export, which reports the
 * single 依据 as before: the opinion's basis of supervision, the notice's rule breached.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `ALTER TABLE supervision_items ADD COLUMN supervision_basis text CHECK (${withinLimit('supervision_basis')})`,
    `ALTER TABLE supervision_items ADD COLUMN breached_rules text CHECK (${withinLimit('breached_rules')})`,
    `UPDATE supervision_items SET supervision_basis = legal_basis WHERE kind = 'opinion' AND legal_basis IS NOT NULL`,
    `UPDATE supervision_items SET breached_rules = legal_basis WHERE kind = 'correction' AND legal_basis IS NOT NULL`,
    'ALTER TABLE supervision_items DROP COLUMN legal_basis',
    `ALTER TABLE supervision_items ADD COLUMN legal_basis text GENERATED ALWAYS AS
      (CASE kind WHEN 'opinion' THEN supervision_basis ELSE breached_rules END) STORED`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'ALTER TABLE supervision_items DROP COLUMN legal_basis',
    `ALTER TABLE supervision_items ADD COLUMN legal_basis text CHECK (${withinLimit('legal_basis')})`,
    `UPDATE supervision_items SET legal_basis = CASE kind WHEN 'opinion' THEN supervision_basis ELSE breached_rules END`,
    'ALTER TABLE supervision_items DROP COLUMN breached_rules',
    'ALTER TABLE supervision_items DROP COLUMN supervision_basis',
  ]);
}
