import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchPublished } from '../server/publicity/portal/search.js';
import { bigramTokens } from '../server/publicity/portal/search-tokens.js';
import { createTestApp, type TestApp } from './helpers/app.js';

// Party search reads the matching parties' decisions through publicity_parties and party_ref
// (migration 20261125100000_party_search); these rows are written directly, as publication writes them.
const PARTIES = [
  '盐城市亭湖区恒达贸易有限公司',
  '盐城市大丰区华泰食品有限公司',
  '李某某',
  '盐城市东台市恒达建材有限公司',
];
// 500 decisions of these parties, then 2,100 newer ones of another: the recent window (the newest 2,000) holds
// none of them, so the party phase is the one answering.
const ROWS = 500;
const FILLER = 2100;

let t: TestApp;
let deptId: string;

beforeAll(async () => {
  t = await createTestApp();
  deptId = (await t.newDepartment({ name: '当事人检索测试局' })).id;
  const parties = JSON.stringify(PARTIES.map((name, n) => ({ n, name, tokens: bigramTokens(name) })));
  await sql`
    INSERT INTO disclosures (department_id, category, decision_number, decision_date, party_type, original, redacted,
      status, due_at, published_at, retention_until, search_text, party_doc, search_doc)
    SELECT ${deptId}::uuid, 'penalty', '测罚〔2026〕' || g || '号', date '2020-01-01' + (g % 1500),
      'organization', jsonb_build_object('party', p.name), jsonb_build_object('party', p.name),
      'published', now(), now(), date '2030-01-01', lower(p.name), array_to_tsvector(p.tokens), array_to_tsvector(p.tokens)
    FROM generate_series(1, ${ROWS}) g
    JOIN jsonb_to_recordset(${parties}::jsonb) AS p(n int, name text, tokens text[]) ON p.n = g % ${PARTIES.length}`.execute(
    t.db,
  );
  const filler = bigramTokens('盐城市射阳县聚福物流有限公司');
  await sql`
    INSERT INTO disclosures (department_id, category, decision_number, decision_date, party_type, original, redacted,
      status, due_at, published_at, retention_until, search_text, party_doc, search_doc)
    SELECT ${deptId}::uuid, 'penalty', '测罚〔2026〕x' || g || '号', date '2025-01-01' + (g % 300),
      'organization', '{"party":"盐城市射阳县聚福物流有限公司"}', '{"party":"盐城市射阳县聚福物流有限公司"}',
      'published', now(), now(), date '2030-01-01', '盐城市射阳县聚福物流有限公司', array_to_tsvector(${filler}::text[]),
      array_to_tsvector(${filler}::text[])
    FROM generate_series(1, ${FILLER}) g`.execute(t.db);
});
afterAll(() => t.close());

/** The same search done the plain way: every matching row, newest first. */
async function reference(party: string, limit: number, offset: number) {
  const tsq = party
    .split('')
    .slice(0, -1)
    .map((c, i) => `'${c}${party[i + 1]}'`)
    .join(' & ');
  const rows = await sql<{ id: string }>`
    SELECT id FROM disclosures WHERE status = 'published' AND party_doc @@ ${party.length === 1 ? `'${party}'` : tsq}::tsquery
    ORDER BY decision_date DESC, id DESC LIMIT ${limit} OFFSET ${offset}`.execute(t.db);
  return rows.rows.map((r) => r.id);
}

describe('party search', () => {
  it('finds a party by a two-character fragment and by its full name, in the same order as a plain scan', async () => {
    const byFragment = await searchPublished(t.db, { party: '恒达', limit: 20, offset: 0 });
    expect(byFragment.items).toHaveLength(20);
    expect(byFragment.hasMore).toBe(true);
    expect(new Set(byFragment.items.map((x) => x.party))).toEqual(
      new Set(['盐城市亭湖区恒达贸易有限公司', '盐城市东台市恒达建材有限公司']),
    );
    expect(byFragment.items.map((x) => x.id)).toEqual(await reference('恒达', 20, 0));

    const byName = await searchPublished(t.db, { party: '盐城市大丰区华泰食品有限公司', limit: 20, offset: 40 });
    expect(byName.items.every((x) => x.party === '盐城市大丰区华泰食品有限公司')).toBe(true);
    expect(byName.items.map((x) => x.id)).toEqual(await reference('盐城市大丰区华泰食品有限公司', 20, 40));

    const person = await searchPublished(t.db, { party: '李某某', limit: 5, offset: 0 });
    expect(person.items.map((x) => x.party)).toEqual(Array(5).fill('李某某'));
    expect((await searchPublished(t.db, { party: '恒泰', limit: 20, offset: 0 })).items).toEqual([]);
  });

  it('leaves out withdrawn decisions and follows a changed party', async () => {
    const [first] = (await searchPublished(t.db, { party: '华泰食品', limit: 1, offset: 0 })).items;
    await sql`UPDATE disclosures SET status = 'withdrawn', withdrawn_at = now(), withdrawal_reason = '撤销'
      WHERE id = ${first.id}`.execute(t.db);
    const after = await searchPublished(t.db, { party: '华泰食品', limit: 20, offset: 0 });
    expect(after.items.map((x) => x.id)).not.toContain(first.id);
    expect(after.items.map((x) => x.id)).toEqual(await reference('华泰食品', 20, 0));

    const [other] = (await searchPublished(t.db, { party: '恒达建材', limit: 1, offset: 0 })).items;
    await sql`UPDATE disclosures SET party_doc = array_to_tsvector(${bigramTokens('盐城市新世纪环保有限公司')}::text[])
      WHERE id = ${other.id}`.execute(t.db);
    const moved = await searchPublished(t.db, { party: '新世纪环保', limit: 20, offset: 0 });
    expect(moved.items.map((x) => x.id)).toEqual([other.id]);
    expect(
      (await searchPublished(t.db, { party: '恒达建材', limit: 20, offset: 0 })).items.map((x) => x.id),
    ).not.toContain(other.id);
  });
});
