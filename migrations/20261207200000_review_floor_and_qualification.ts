import { type Kysely, sql } from 'kysely';

async function run(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const ALL = "ARRAY['licensing','penalty','coercion','levy']";
const ART58 = '《行政处罚法》第五十八条';
const GUIDE = '国办发〔2018〕118号';

/**
 * The city-wide floor of the review catalogue (全市法制审核底线目录): the situations that 行政处罚法 art. 58 and the
 * three-systems plan name, for all four categories, kept by the justice bureau and applied whatever a department's
 * own catalogue says. Reviewers' legal qualification (法律职业资格, art. 58(2)), each department's enforcement
 * system (执法系统) that bounds the shared reviewer pool (本系统内人才库), and the justice bureau's switch that opens
 * the pool city-wide.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    `CREATE TABLE review_floor_items (
       code text PRIMARY KEY,
       situation text NOT NULL,
       condition text NOT NULL,
       categories text[] NOT NULL,
       review_working_days integer NOT NULL CHECK (review_working_days BETWEEN 1 AND 60),
       basis text,
       statutory boolean NOT NULL DEFAULT false,
       sort_order integer NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now(),
       updated_by uuid REFERENCES users(id)
     )`,
    `INSERT INTO review_floor_items (code, situation, condition, categories, review_working_days, basis, statutory, sort_order) VALUES
       ('DX-01', '涉及重大公共利益', 'publicInterest', ${ALL}, 5, '${ART58}第一款第（一）项；${GUIDE}', true, 10),
       ('DX-02', '可能造成重大社会影响或引发社会风险', 'socialImpact', ${ALL}, 5, '${GUIDE}', true, 20),
       ('DX-03', '直接关系当事人或第三人重大权益', 'thirdPartyAffected', ${ALL}, 5, '${ART58}第一款第（二）项；${GUIDE}', true, 30),
       ('DX-04', '经过听证程序作出决定', 'hearingHeld', ${ALL}, 5, '${ART58}第一款第（二）项；${GUIDE}', true, 40),
       ('DX-05', '案件情况疑难复杂、涉及多个法律关系', 'complex', ${ALL}, 5, '${ART58}第一款第（三）项；${GUIDE}', true, 50)`,
    `CREATE TABLE reviewer_pool_settings (
       id boolean PRIMARY KEY DEFAULT true CHECK (id),
       citywide boolean NOT NULL DEFAULT false,
       updated_at timestamptz NOT NULL DEFAULT now(),
       updated_by uuid REFERENCES users(id)
     )`,
    'INSERT INTO reviewer_pool_settings (id, citywide) VALUES (true, false)',
    'ALTER TABLE departments ADD COLUMN enforcement_system text',
    'ALTER TABLE users ADD COLUMN legal_qualification_number text',
    'ALTER TABLE users ADD COLUMN legal_qualification_date date',
    'ALTER TABLE users ADD COLUMN first_time_reviewer boolean NOT NULL DEFAULT false',
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await run(db, [
    'ALTER TABLE users DROP COLUMN first_time_reviewer',
    'ALTER TABLE users DROP COLUMN legal_qualification_date',
    'ALTER TABLE users DROP COLUMN legal_qualification_number',
    'ALTER TABLE departments DROP COLUMN enforcement_system',
    'DROP TABLE reviewer_pool_settings',
    'DROP TABLE review_floor_items',
  ]);
}
