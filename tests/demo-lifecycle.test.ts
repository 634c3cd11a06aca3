import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCases } from '../server/demo/cases.js';
import { DEMO_LOGINS, DEMO_PASSWORD, loadDemoData } from '../server/demo/load.js';
import { createEvidence } from '../server/records/evidence/plugin.js';
import { verifyStore } from '../server/records/verify-all.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { html } from './helpers/pages.js';

// What `npm start` loads on a fresh database (server/main.ts: loadDemoData, then loadDemoCases), on PostgreSQL and
// on PGlite: demo cases stopped at each stage of the procedure around the review, through the services.

let t: TestApp;
let loadMs = 0;

beforeAll(async () => {
  t = await createTestApp();
  const started = performance.now();
  expect(await loadDemoData(t.core, { onlyIfEmpty: true })).toEqual({ loaded: true });
  expect(await loadDemoCases(t.core)).toBeGreaterThanOrEqual(2);
  loadMs = performance.now() - started;
  console.info(`demo data and cases loaded in ${Math.round(loadMs)} ms`);
}, 180_000);
afterAll(() => t.close());

async function login(username: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { username, password: DEMO_PASSWORD },
  });
  expect(res.statusCode, username).toBe(200);
  return res.json().token as string;
}

async function demoCase(token: string, serial: string) {
  const list = await t.app.inject({ url: '/api/cases?limit=100', headers: { authorization: `Bearer ${token}` } });
  const found = list.json().items.find((c: { caseNumber: string }) => c.caseNumber.endsWith(serial));
  expect(found, serial).toBeDefined();
  const stages = await t.app.inject({
    url: `/api/cases/${found.id}/stages`,
    headers: { authorization: `Bearer ${token}` },
  });
  return { id: found.id as string, status: found.status as string, view: stages.json() };
}

const kinds = (view: { stages: { kind: string }[] }) => view.stages.map((s) => s.kind);

describe('the demo cases', () => {
  it('show the whole procedure: archived, at the hearing, decided by 集体讨论, transferred, under review', async () => {
    const officer = await login('officer1');
    const archived = await demoCase(officer, 'L01');
    expect(archived.view).toMatchObject({ decided: true, archivedOn: expect.any(String), flags: [] });
    expect(kinds(archived.view)).toEqual([
      'filing',
      'investigation',
      'notice',
      'statement',
      'service',
      'execution',
      'archive',
    ]);

    const hearing = await demoCase(officer, 'L02');
    expect(kinds(hearing.view)).toEqual(['filing', 'investigation', 'notice', 'hearing']);
    expect(hearing.view.stages.at(-1)).toMatchObject({ status: 'open', details: { scheduledOn: expect.any(String) } });
    expect(hearing.view.decisionBlocked).toContain('不得作出行政处罚决定');

    const collective = await demoCase(officer, 'L03');
    expect(collective.view.decided).toBe(true);
    expect(kinds(collective.view)).toEqual(['filing', 'investigation', 'notice', 'statement', 'service']);
    const record = await t.app.inject({
      url: `/api/cases/${collective.id}/record`,
      headers: { authorization: `Bearer ${officer}` },
    });
    const discussed = record.json().items.find((r: { type: string }) => r.type === 'case.collective_discussed');
    expect(discussed.payload).toMatchObject({ result: 'agree', agree: 3, disagree: 1 });

    const transferred = await demoCase(officer, 'L04');
    expect(transferred.status).toBe('transferred');
    const transfer = await t.app.inject({
      url: `/api/cases/${transferred.id}/transfers`,
      headers: { authorization: `Bearer ${officer}` },
    });
    expect(transfer.json().items.at(-1)).toMatchObject({ status: 'received' });

    const environment = await demoCase(await login('officer3'), 'L05');
    expect(environment.status).toBe('reviewing');
    expect(kinds(environment.view)).toEqual(['filing', 'investigation']);
  });

  it('prints the leaders with the other demo logins, each able to log in', async () => {
    const leaders = await t.app.inject({
      url: `/api/departments/${(await t.core.database.db.selectFrom('departments').select('id').where('code', '=', 'SCJG').executeTakeFirstOrThrow()).id}/leaders`,
      headers: { authorization: `Bearer ${await login('legaladmin1')}` },
    });
    expect(leaders.json()).toMatchObject({ quorum: 3 });
    const logins = DEMO_LOGINS.map((l) => l.username);
    for (const l of leaders.json().leaders) {
      const user = await t.core.database.db
        .selectFrom('users')
        .select('username')
        .where('id', '=', l.userId)
        .executeTakeFirstOrThrow();
      expect(logins).toContain(user.username);
      await login(user.username);
    }
  });

  it('shows the officer a case page with its stages, and the record verifies as `fashen verify --files` does', async () => {
    const token = await login('officer1');
    const archived = await demoCase(token, 'L01');
    const page = await t.app.inject({
      url: `/cases/${archived.id}`,
      headers: html,
      cookies: { fashen_session: token },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/立案 \d{4}-\d{2}-\d{2}，应于 \d{4}-\d{2}-\d{2} 前作出决定；已记录 7 个环节/);
    const stages = await t.app.inject({
      url: `/cases/${archived.id}/stages`,
      headers: html,
      cookies: { fashen_session: token },
    });
    for (const label of ['立案', '调查取证', '事先告知', '陈述申辩', '送达', '执行', '结案归档']) {
      expect(stages.body).toContain(label);
    }
    const evidence = await createEvidence(t.config, t.db, t.app.records.files);
    const store = await verifyStore({
      db: t.db,
      trusted: t.app.records.trusted,
      files: t.app.records.files,
      hashAttachment: (id) => evidence.hashOf(id),
    });
    expect(store.problems).toEqual([]);
    expect(store.ok).toBe(true);
  });
});
