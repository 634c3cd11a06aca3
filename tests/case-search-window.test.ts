import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases, TEXT_SEARCH_WINDOW } from '../server/cases/queries.js';
import { supervisedCases } from '../server/cases/reads.js';
import { createTestApp, type TestApp } from './helpers/app.js';

// A case list's text search reads the newest cases first and the bigram index only when they do not fill the
// page (bench/million.ts, issue 17). Both ways must give the page a plain ILIKE over every case gives.
let t: TestApp;
let dept: string;
let other: string;

beforeAll(async () => {
  t = await createTestApp();
  dept = (await t.newDepartment()).id;
  other = (await t.newDepartment()).id;
  const officer = await t.newUser({ departmentId: dept, roles: ['officer'] });
  // More cases than the window: a common word in one title of three (all ages), a rare one in old cases only,
  // and the other department's cases (a search within a department must not see them).
  const n = TEXT_SEARCH_WINDOW + 300;
  await sql`
    INSERT INTO cases (department_id, case_number, title, category, facts, packet, review_mandatory,
      review_requested, catalogue_reason, status, submitted_by, updated_at)
    SELECT CASE WHEN g % 10 = 0 THEN ${other}::uuid ELSE ${dept}::uuid END, '测〔2026〕' || g || '号',
      CASE WHEN g % 3 = 0 THEN '未经许可擅自经营案' WHEN g < 40 THEN '违法占道堆放物料案' ELSE '销售过期食品案' END,
      'penalty', '{}', '{}', true, false, '目录', 'decided', ${officer.id},
      timestamptz '2026-01-01' + g * interval '1 minute' + (g % 7) * interval '1 second'
    FROM generate_series(1, ${n}) g`.execute(t.db);
});
afterAll(() => t.close());

async function expected(q: string, departmentId: string | undefined, limit: number, offset: number) {
  const r = await sql<{ id: string }>`
    SELECT id FROM cases WHERE (${departmentId ?? null}::uuid IS NULL OR department_id = ${departmentId ?? null}::uuid)
      AND (title ILIKE ${`%${q}%`} OR case_number ILIKE ${`%${q}%`})
    ORDER BY updated_at DESC, id LIMIT ${limit} OFFSET ${offset}`.execute(t.db);
  return r.rows.map((x) => x.id);
}

describe('case text search', () => {
  it('gives the same pages from the newest cases as from the whole list, within a department and city-wide', async () => {
    for (const [q, offset] of [
      ['许可', 0],
      ['许可', 100],
      ['许可', 300],
      ['占道', 0],
      ['食品', 150],
    ] as const) {
      const own = await listCases(t.db, { departmentId: dept, q, limit: 50, offset });
      expect(own.map((c) => c.id)).toEqual(await expected(q, dept, 50, offset));
      expect(own.every((c) => c.department_id === dept)).toBe(true);
      const all = await supervisedCases(t.db, { q, limit: 50, offset });
      expect(all.map((c) => c.id)).toEqual(await expected(q, undefined, 50, offset));
    }
    // The rare word's cases are all older than the window: found through the index.
    expect((await listCases(t.db, { departmentId: dept, q: '占道', limit: 50, offset: 0 })).length).toBe(
      (await expected('占道', dept, 500, 0)).length,
    );
    expect(await listCases(t.db, { departmentId: other, q: '占道', limit: 50, offset: 0 })).toHaveLength(
      (await expected('占道', other, 500, 0)).length,
    );
  });
});
