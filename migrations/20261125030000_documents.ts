import { type Kysely, sql } from 'kysely';

// PGlite runs one statement per query. The trigger function's body holds semicolons, so the statements are
// listed one by one instead of splitting a script on them.
async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const KINDS = `('review_opinion', 'correction_notice', 'coordination_record', 'chief_decision')`;

/** Written documents of the review (书面审核意见 etc.): their numbers, department templates and stored files. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `ALTER TABLE departments ADD COLUMN document_abbr text
       CHECK (document_abbr IS NULL OR length(document_abbr) BETWEEN 1 AND 20)`,

    `CREATE TABLE document_sequences (
       department_id uuid NOT NULL REFERENCES departments(id),
       kind text NOT NULL CHECK (kind IN ${KINDS}),
       year integer NOT NULL CHECK (year BETWEEN 1900 AND 2199),
       last_number integer NOT NULL CHECK (last_number >= 1),
       PRIMARY KEY (department_id, kind, year)
     )`,

    // Every upload is kept: who changed a department's template and when stays on record.
    // A row whose source is NULL reverts the department to the standard template.
    `CREATE TABLE document_templates (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       department_id uuid NOT NULL REFERENCES departments(id),
       kind text NOT NULL CHECK (kind IN ${KINDS}),
       source text CHECK (source IS NULL OR length(source) BETWEEN 1 AND 65536),
       created_by uuid NOT NULL REFERENCES users(id),
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX document_templates_current_idx ON document_templates (department_id, kind, id DESC)`,

    `CREATE TABLE documents (
       id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
       department_id uuid NOT NULL REFERENCES departments(id),
       case_id uuid,
       kind text NOT NULL CHECK (kind IN ${KINDS}),
       number text NOT NULL,
       year integer NOT NULL,
       file_name text NOT NULL,
       content bytea NOT NULL,
       sm3 text NOT NULL CHECK (sm3 ~ '^[0-9a-f]{64}$'),
       size integer NOT NULL CHECK (size = octet_length(content)),
       created_by uuid REFERENCES users(id),
       created_at timestamptz NOT NULL DEFAULT now(),
       signed_by uuid REFERENCES users(id),
       signed_at timestamptz,
       signed_sm3 text CHECK (signed_sm3 IS NULL OR signed_sm3 ~ '^[0-9a-f]{64}$'),
       CHECK ((signed_by IS NULL) = (signed_at IS NULL) AND (signed_at IS NULL) = (signed_sm3 IS NULL)),
       UNIQUE (department_id, kind, number)
     )`,
    `CREATE INDEX documents_case_idx ON documents (case_id, created_at)`,

    // Issued documents are records (防删改): the file never changes, a signature is given once, nothing is deleted.
    `CREATE FUNCTION documents_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'DELETE' THEN
         RAISE EXCEPTION 'documents are never deleted (document %)', OLD.id;
       END IF;
       IF NEW.content IS DISTINCT FROM OLD.content OR NEW.sm3 IS DISTINCT FROM OLD.sm3
          OR NEW.number IS DISTINCT FROM OLD.number OR NEW.kind IS DISTINCT FROM OLD.kind
          OR NEW.department_id IS DISTINCT FROM OLD.department_id OR NEW.case_id IS DISTINCT FROM OLD.case_id
          OR NEW.created_by IS DISTINCT FROM OLD.created_by OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
         RAISE EXCEPTION 'an issued document does not change (document %)', OLD.id;
       END IF;
       IF OLD.signed_at IS NOT NULL AND (NEW.signed_at IS DISTINCT FROM OLD.signed_at
          OR NEW.signed_by IS DISTINCT FROM OLD.signed_by OR NEW.signed_sm3 IS DISTINCT FROM OLD.signed_sm3) THEN
         RAISE EXCEPTION 'a signature is given once (document %)', OLD.id;
       END IF;
       RETURN NEW;
     END
     $$`,
    `CREATE TRIGGER documents_immutable BEFORE UPDATE OR DELETE ON documents
       FOR EACH ROW EXECUTE FUNCTION documents_immutable()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP TABLE documents',
    'DROP FUNCTION documents_immutable()',
    'DROP TABLE document_templates',
    'DROP TABLE document_sequences',
    'ALTER TABLE departments DROP COLUMN document_abbr',
  ]);
}
