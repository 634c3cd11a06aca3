import { type Kysely, sql } from 'kysely';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * Party search at scale (issue 8). A party's search tokens (party_doc) repeat across its decisions, so the
 * distinct token sets are kept once in publicity_parties (searched by their own small GIN index) and each
 * disclosure points at its set (party_ref, kept by a trigger whenever party_doc is written). A party search
 * then finds the few matching parties and reads each one's newest published decisions from a
 * (party_ref, decision_date, id) index, instead of fetching every matching decision's row and sorting them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE publicity_parties (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      doc tsvector NOT NULL UNIQUE
    )`,
    'CREATE INDEX publicity_parties_doc_idx ON publicity_parties USING gin (doc)',
    'ALTER TABLE disclosures ADD COLUMN party_ref bigint REFERENCES publicity_parties(id)',
    `CREATE FUNCTION disclosures_party_ref() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.party_doc = ''::tsvector THEN
        NEW.party_ref := NULL;
      ELSIF TG_OP = 'INSERT' OR NEW.party_doc IS DISTINCT FROM OLD.party_doc OR NEW.party_ref IS NULL THEN
        SELECT id INTO NEW.party_ref FROM publicity_parties WHERE doc = NEW.party_doc;
        IF NEW.party_ref IS NULL THEN
          INSERT INTO publicity_parties (doc) VALUES (NEW.party_doc) ON CONFLICT (doc) DO NOTHING;
          SELECT id INTO NEW.party_ref FROM publicity_parties WHERE doc = NEW.party_doc;
        END IF;
      END IF;
      RETURN NEW;
    END $$`,
    `CREATE TRIGGER disclosures_party_ref BEFORE INSERT OR UPDATE OF party_doc, party_ref ON disclosures
      FOR EACH ROW EXECUTE FUNCTION disclosures_party_ref()`,
    `INSERT INTO publicity_parties (doc) SELECT DISTINCT party_doc FROM disclosures WHERE party_doc <> ''::tsvector`,
    `UPDATE disclosures d SET party_ref = p.id FROM publicity_parties p WHERE p.doc = d.party_doc`,
    `CREATE INDEX disclosures_public_party_idx ON disclosures (party_ref, decision_date DESC, id DESC)
      WHERE status = 'published'`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'DROP INDEX disclosures_public_party_idx',
    'DROP TRIGGER disclosures_party_ref ON disclosures',
    'DROP FUNCTION disclosures_party_ref()',
    'ALTER TABLE disclosures DROP COLUMN party_ref',
    'DROP TABLE publicity_parties',
  ]);
}
