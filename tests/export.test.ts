import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm3Hex } from '../server/records/sm3.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { BACKEND } from './helpers/database.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { type Crew, submitCase, tempDataDir } from './helpers/records.js';

let t: TestApp;
let crew: Crew;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ DATA_DIR: tempDataDir() });
  const d = await t.newDepartment();
  crew = {
    officer: await t.newUser({ departmentId: d.id, roles: ['officer'] }),
    reviewers: [await t.newUser({ departmentId: d.id, roles: ['reviewer'] })],
    chief: await t.newUser({ departmentId: d.id, roles: ['chief'] }),
    legal: await t.newUser({ departmentId: d.id, roles: ['legal_admin'] }),
  };
  admin = await t.newUser({ departmentId: d.id, roles: ['admin'] });
  await deploy(t, crew.legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

interface Item {
  seq: string;
  entity: string;
  id: string;
  op: string;
  data?: Record<string, unknown>;
}

async function issue(personalData: boolean) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/export/consumers',
    headers: t.as(admin),
    payload: { name: personalData ? '市政务数据共享平台（授权）' : '市政务数据共享平台', personalData },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; token: string };
}

const feedPage = (token: string, cursor?: string) =>
  t.app.inject({
    url: `/api/export/feed?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
    headers: { authorization: `Bearer ${token}` },
  });

/** Reads the feed from `cursor` to its end; returns the items and the cursor to continue from. */
async function readAll(token: string, cursor?: string) {
  const items: Item[] = [];
  let c = cursor;
  for (;;) {
    const res = await feedPage(token, c);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    items.push(...page.items);
    c = page.cursor;
    if (!page.hasMore) return { items, cursor: c as string };
  }
}

const PERSON = { type: 'person', name: '王小明', idCode: '320902199001011234', address: '盐城市亭湖区某小区3栋201室' };

describe('the data-element export', () => {
  it('serves its schema, and the feed validates against it', async () => {
    const res = await t.app.inject({ url: '/api/export/schema' });
    expect(res.statusCode).toBe(200);
    const schema = res.json();
    expect(schema.$defs.case.properties.partyName).toMatchObject({
      title: '当事人名称（姓名）',
      'x-personal-data': true,
    });
    expect(schema.$defs.agency['x-element-class']).toBe('组织机构类');
    const { token } = await issue(false);
    await submitCase(t, crew, {
      party: PERSON,
      factsFound: `经查，当事人王小明（身份证号码320902199001011234，电话13912345678）销售不合格产品。`,
    });
    const { items } = await readAll(token);
    expect(new Set(items.map((i) => i.entity))).toEqual(new Set(['agency', 'officer', 'case', 'stage']));
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const ok = validate({ items, cursor: '1', hasMore: false });
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('accepts only tokens the admin issued and has not revoked, and keeps only their hash', async () => {
    expect((await feedPage('')).statusCode).toBe(401);
    expect((await feedPage(`fxp_${'0'.repeat(64)}`)).statusCode).toBe(401);
    const c = await issue(false);
    expect((await feedPage(c.token)).statusCode).toBe(200);
    const row = await t.db.selectFrom('export_consumers').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sm3Hex(`fashen-export-token:${c.token}`));
    expect(JSON.stringify(row)).not.toContain(c.token.slice(4));
    const officer = await t.app.inject({
      method: 'POST',
      url: '/api/export/consumers',
      headers: t.as(crew.officer),
      payload: { name: 'x', personalData: true },
    });
    expect(officer.statusCode).toBe(403);
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/export/consumers/${c.id}/revoke`,
      headers: t.as(admin),
    });
    expect(revoke.statusCode).toBe(200);
    const after = await feedPage(c.token);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');
    expect((await feedPage(c.token, 'abc')).statusCode).toBe(400);
    const page = await t.app.inject({ url: '/admin/export', headers: { cookie: `fashen_session=${admin.token}` } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已吊销');
    expect(page.body).not.toContain(c.token);
  });

  it("gives a natural person's name, ID number and address only to an entitled consumer", async () => {
    const plain = await issue(false);
    const entitled = await issue(true);
    const start = (await readAll(plain.token)).cursor;
    const caseId = await submitCase(t, crew, {
      party: PERSON,
      factsFound: '经查，当事人王小明（身份证号码320902199001011234，电话13912345678）销售不合格产品。',
    });
    const seen = async (token: string) =>
      (await readAll(token, start)).items.find((i) => i.entity === 'case' && i.id === caseId)!.data!;
    const full = await seen(entitled.token);
    expect(full).toMatchObject({ partyType: 'person', partyName: '王小明', partyIdCode: PERSON.idCode });
    expect(full.factsFound).toContain('13912345678');
    const masked = await seen(plain.token);
    expect(masked).toMatchObject({
      partyName: '王**',
      partyIdCode: '320902********1234',
      partyAddress: '盐城市亭湖区****',
    });
    expect(JSON.stringify(masked)).not.toMatch(/王小明|199001011234|13912345678|3栋201室/);
    expect(masked.factsFound).toContain('王**');
    // An organisation's name and credit code are not personal data.
    const orgCase = await submitCase(t, crew);
    const org = (await readAll(plain.token, start)).items.find((i) => i.id === orgCase)!.data!;
    expect(org).toMatchObject({ partyName: '某某贸易有限公司', partyIdCode: '91320900MA1XXXXX0X' });
    const fullPage = await t.app.inject({
      url: '/api/export/full?entity=case&limit=1000',
      headers: { authorization: `Bearer ${plain.token}` },
    });
    expect(fullPage.statusCode).toBe(200);
    const listed = fullPage.json().items.find((i: Item) => i.id === caseId);
    expect(listed.data.partyName).toBe('王**');
  });

  it('moves its cursor past new rows and never skips a row committed out of order', async () => {
    const { token } = await issue(false);
    const { cursor: c0 } = await readAll(token);
    const d1 = await t.newDepartment({ name: '后提交之前的机关' });
    const step1 = await readAll(token, c0);
    expect(step1.items.map((i) => i.id)).toEqual([d1.id]);
    expect(Number(step1.cursor)).toBeGreaterThan(Number(c0));
    expect((await readAll(token, step1.cursor)).items).toEqual([]);
    if (BACKEND !== 'postgres') return; // PGlite has one connection: transactions cannot commit out of order.

    // A transaction that inserts first (lower id) but commits after a later one, read in between.
    const early = new pg.Client({ connectionString: t.database.url });
    await early.connect();
    try {
      await early.query('BEGIN');
      const slow = await early.query<{ id: string }>(
        "INSERT INTO departments (code, name) VALUES ('LATECOMMIT', '迟提交的机关') RETURNING id",
      );
      const d2 = await t.newDepartment({ name: '先提交的机关' });
      const step2 = await readAll(token, step1.cursor);
      expect(step2.items.map((i) => i.id)).toEqual([d2.id]);
      await early.query('COMMIT');
      const step3 = await readAll(token, step2.cursor);
      expect(step3.items.map((i) => i.id)).toEqual([slow.rows[0].id]);
    } finally {
      await early.end();
    }
  });
});
