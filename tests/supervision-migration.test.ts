import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, up } from '../migrations/20261212200000_supervision_basis_and_breached_rules.js';
import { createTestApp, type TestApp } from './helpers/app.js';

// Items issued before the one 依据 was split keep the meaning their signed document gave it.
let t: TestApp;
let ids: { opinion: string; correction: string };

beforeAll(async () => {
  t = await createTestApp();
  const agency = await t.newDepartment({ name: '迁移测试市场监督管理局' });
  const bureau = await t.newDepartment({ name: '迁移测试司法局' });
  const supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  const issue = async (kind: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/supervision/opinions',
      headers: t.as(supervisor),
      payload: {
        kind,
        departmentId: agency.id,
        subject: '执法工作监督检查',
        findings: '未按期公开行政处罚决定。',
        requirements: '限期公开。',
        supervisionBasis: '《中华人民共和国行政处罚法》第七十五条',
        breachedRules: '《中华人民共和国行政处罚法》第四十八条',
        workingDays: 5,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  ids = { opinion: await issue('opinion'), correction: await issue('correction') };
});
afterAll(() => t.close());

const rows = () =>
  t.db
    .selectFrom('supervision_items')
    .select(['id', 'supervision_basis', 'breached_rules', 'legal_basis'])
    .where('id', 'in', [ids.opinion, ids.correction])
    .execute();

describe('separating 监督依据 from 违反的规定 (migration)', () => {
  it("files each earlier item's 依据 under what its document printed it as, and back", async () => {
    const db = t.db as unknown as Kysely<unknown>;
    await down(db);
    const before = await sql<{ id: string; legal_basis: string | null }>`
      SELECT id, legal_basis FROM supervision_items`.execute(db);
    expect(before.rows).toEqual(
      expect.arrayContaining([
        { id: ids.opinion, legal_basis: '《中华人民共和国行政处罚法》第七十五条' },
        { id: ids.correction, legal_basis: '《中华人民共和国行政处罚法》第四十八条' },
      ]),
    );
    await up(db);
    const after = new Map((await rows()).map((r) => [r.id, r]));
    expect(after.get(ids.opinion)).toMatchObject({
      supervision_basis: '《中华人民共和国行政处罚法》第七十五条',
      breached_rules: null,
      legal_basis: '《中华人民共和国行政处罚法》第七十五条',
    });
    expect(after.get(ids.correction)).toMatchObject({
      supervision_basis: null,
      breached_rules: '《中华人民共和国行政处罚法》第四十八条',
      legal_basis: '《中华人民共和国行政处罚法》第四十八条',
    });
  });
});
