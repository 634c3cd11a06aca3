import { type Kysely, sql } from 'kysely';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * The seal (印章) each department prints on the documents it issues: one current PNG per department, replaced
 * by a new upload and deleted on removal. Issued documents embed the image, so they never depend on this row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE department_seals (
       department_id uuid PRIMARY KEY REFERENCES departments(id) ON DELETE CASCADE,
       image bytea NOT NULL,
       sm3 text NOT NULL CHECK (sm3 ~ '^[0-9a-f]{64}$'),
       size integer NOT NULL CHECK (size = octet_length(image) AND size BETWEEN 1 AND 524288),
       width integer NOT NULL CHECK (width BETWEEN 1 AND 10000),
       height integer NOT NULL CHECK (height BETWEEN 1 AND 10000),
       uploaded_by uuid NOT NULL REFERENCES users(id),
       uploaded_at timestamptz NOT NULL DEFAULT now()
     )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, ['DROP TABLE department_seals']);
}
