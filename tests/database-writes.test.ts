import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockInstance, lockInstanceWithWaiting } from '../server/engine/queries.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { BACKEND } from './helpers/database.js';
import { deploy, startInstance, waitFor, workflowFile } from './helpers/flows.js';

// Writes whose answer depends on how many rows they touched, or on bytes read back. They run in both projects:
// on PGlite (`npm start`) these answered wrongly while saving the change (counts read as 0, bytea a Uint8Array).
let t: TestApp;
let officer: TestUser;
let reviewer: TestUser;
let reviewer2: TestUser;
let admin: TestUser;
let legal: TestUser;
const clock = manualClock('2027-01-05T02:00:00Z');

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const a = await t.newDepartment();
  officer = await t.newUser({ departmentId: a.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: a.id, roles: ['reviewer'] });
  reviewer2 = await t.newUser({ departmentId: a.id, roles: ['reviewer'] });
  legal = await t.newUser({ departmentId: a.id, roles: ['legal_admin'] });
  admin = await t.newUser({ departmentId: a.id, roles: ['admin'] });
  await deploy(t, legal, await workflowFile('demo-review.bpmn'));
});
afterAll(() => t.close());

describe(`writes on ${BACKEND}`, () => {
  it('claims an open task once: the claimer gets it, the next claimer is told it is taken', async () => {
    const started = (await startInstance(t, officer, 'demo_review', { caseNumber: 'W-2026-001' })).json();
    const taskId = started.openTasks[0].id;
    const claim = (user: TestUser) =>
      t.app.inject({ method: 'POST', url: `/api/tasks/${taskId}/claim`, headers: t.as(user) });
    const first = await claim(reviewer);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ id: taskId, assigneeId: reviewer.id });
    const second = await claim(reviewer2);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('TASK_ASSIGNED_TO_OTHER');
  });

  it('saves a user change and answers with the changed user; an unknown user is a 404', async () => {
    const patch = (id: string) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/users/${id}`,
        headers: t.as(admin),
        payload: { displayName: '改名后' },
      });
    const res = await patch(officer.id);
    expect(res.statusCode).toBe(200);
    expect(res.json().displayName).toBe('改名后');
    const missing = await patch('00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('NOT_FOUND');
  });

  it('saves a disclosure rule and answers with it', async () => {
    const rule = {
      deadlineWorkingDays: 5,
      reminderWorkingDays: 2,
      retentionYearsPerson: 2,
      retentionYearsOrganization: 5,
    };
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/disclosure-rules/penalty',
      headers: t.as(admin),
      payload: rule,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ category: 'penalty', ...rule });
    const rules = (await t.app.inject({ url: '/api/disclosure-rules', headers: t.as(admin) })).json();
    expect(rules).toContainEqual({ category: 'penalty', ...rule });
  });

  it('publishes the annual statistics on the first call and refuses a second', async () => {
    const post = (step: string) =>
      t.app.inject({ method: 'POST', url: `/api/statistics/${step}`, headers: t.as(legal), payload: { year: 2026 } });
    expect((await post('submit')).statusCode).toBe(200);
    const published = await post('publish');
    expect(published.statusCode).toBe(200);
    const again = await post('publish');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ANNUAL_REPORT_PUBLISHED');
  });

  // PGlite has one connection: nothing can wait for a lock there.
  it.skipIf(BACKEND !== 'postgres')(
    'reads the open tasks of an instance after its lock is granted, seeing what the previous holder committed',
    async () => {
      const started = (await startInstance(t, officer, 'demo_review', { caseNumber: 'W-2026-002' })).json();
      const id: string = started.instanceId;
      const taskIds = started.openTasks.map((x: { id: string }) => x.id);
      let release = () => {};
      const released = new Promise<void>((r) => {
        release = r;
      });
      let signalHeld = () => {};
      const held = new Promise<void>((r) => {
        signalHeld = r;
      });
      const holder = t.db.transaction().execute(async (trx) => {
        await lockInstance(trx, id);
        signalHeld();
        await released;
        await trx.updateTable('tasks').set({ status: 'cancelled' }).where('id', 'in', taskIds).execute();
      });
      await held;
      const waiter = t.db.transaction().execute((trx) => lockInstanceWithWaiting(trx, id));
      // The waiter's statement has started (and taken its snapshot) before the holder changes and commits.
      await waitFor(async () => {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
        return rows[0].n > 0 || undefined;
      });
      release();
      await holder;
      const locked = await waiter;
      expect(locked?.waiting.tasks).toEqual([]);
    },
  );
});
