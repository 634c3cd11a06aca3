import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../server/cases/tables.js';
import { parseLibrary, readLibrary } from '../server/laws/library.js';
import { importVersions } from '../server/laws/queries.js';
import { createSegmenter } from '../server/laws/segment.js';
import { similarCaseHints } from '../server/similar/hints.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { packet } from './helpers/review.js';

let t: TestApp;
let deptA: { id: string };
let deptB: { id: string };
let officerA: TestUser;
let officerB: TestUser;
const LAWS = ['中华人民共和国产品质量法', '中华人民共和国食品安全法', '中华人民共和国行政处罚法'];

beforeAll(async () => {
  t = await createTestApp();
  deptA = await t.newDepartment({ name: '市市场监督管理局' });
  deptB = await t.newDepartment({ name: '某区市场监督管理局' });
  officerA = await t.newUser({ departmentId: deptA.id, roles: ['officer'] });
  officerB = await t.newUser({ departmentId: deptB.id, roles: ['officer'] });
  const { versions } = parseLibrary(await readLibrary());
  await importVersions(
    t.db,
    createSegmenter(),
    versions.filter((v) => LAWS.includes(v.title)),
  );
});
afterAll(() => t.close());

let seq = 0;
/** A case row as the review leaves it: `decided` with its recorded decision, or still under review. */
async function newCase(
  dept: { id: string },
  by: TestUser,
  p: Partial<Packet> & Record<string, unknown>,
  decided?: { content: string; date: string },
) {
  const pk = packet({ caseNumber: `XS-${++seq}`, ...p }) as unknown as Packet;
  const row = await t.db
    .insertInto('cases')
    .values({
      department_id: dept.id,
      case_number: pk.caseNumber,
      title: pk.title,
      category: pk.category,
      facts: JSON.stringify({}),
      packet: JSON.stringify(pk),
      review_mandatory: true,
      review_requested: false,
      catalogue_reason: '',
      status: decided ? 'decided' : 'reviewing',
      decision: decided
        ? JSON.stringify({ number: `决-${seq}`, ...decided, recordedBy: by.id, recordedAt: new Date().toISOString() })
        : null,
      submitted_by: by.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const api = (user: TestUser, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: t.as(user), payload });

const PRODUCT_FACTS = '经查，当事人在电热水壶中掺杂掺假，以不合格产品冒充合格产品销售，货值金额六万四千元。';

describe('article suggestion (精准推送)', () => {
  it('ranks the article that governs the facts first', async () => {
    const res = await api(officerA, 'POST', '/api/laws/suggest', { facts: PRODUCT_FACTS, category: 'penalty' });
    expect(res.statusCode).toBe(200);
    const [first] = res.json().items;
    expect(first).toMatchObject({ lawTitle: '中华人民共和国产品质量法', article: '第五十条' });
    expect(first.excerpt).toContain('不合格产品冒充合格产品');
    const bad = await api(officerA, 'POST', '/api/laws/suggest', { facts: '', category: 'penalty' });
    expect(bad.statusCode).toBe(400);
  });
});
