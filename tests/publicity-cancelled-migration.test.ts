import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { down, up } from '../migrations/20261212300000_disclosure_cancelled.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { completeStep, FACTS, packet, reviewForm } from './helpers/review.js';

// Before the `cancelled` state, a decision corrected before publication stayed pending with a withdrawal mark:
// still publishable, and overdue once its deadline passed. The migration ends those as 不予公开.
const clock = manualClock('2026-11-25T02:00:00Z');
let t: TestApp;
let officer: TestUser;
let reviewer: TestUser;
let chief: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment({ name: '公示迁移测试局' });
  [officer, reviewer, chief, legal] = await Promise.all(
    (['officer', 'reviewer', 'chief', 'legal_admin'] as const).map((r) =>
      t.newUser({ departmentId: d.id, roles: [r] }),
    ),
  );
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

async function pendingDisclosure(number: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  const { caseId } = res.json() as { caseId: string };
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
  await completeStep(t, chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
  await completeStep(t, officer, caseId, 'Task_record_decision', {
    decisionNumber: number,
    decisionDate: '2026-11-25',
    decisionContent: '没收不合格产品，并处罚款六万四千元。',
  });
  return t.db.selectFrom('disclosures').select('id').where('case_id', '=', caseId).executeTakeFirstOrThrow();
}

it('ends a pending disclosure left with a withdrawal mark as cancelled, its timers cancelled', async () => {
  const marked = await pendingDisclosure('迁测罚〔2026〕1号');
  const untouched = await pendingDisclosure('迁测罚〔2026〕2号');
  const db = t.db as unknown as Kysely<unknown>;
  await down(db);
  // What the old requireWithdrawal left: the mark on a pending disclosure, and its event; then the deadline fired.
  const markedAt = new Date('2026-11-27T02:00:00Z');
  await t.db
    .updateTable('disclosures')
    .set({
      withdraw_due_at: new Date('2026-12-01T15:59:59Z'),
      withdraw_required_reason: '市人民政府行政复议撤销（市政复决字〔2026〕7号）',
      overdue_at: new Date('2026-12-04T16:00:00Z'),
    })
    .where('id', '=', marked.id)
    .execute();
  await t.db
    .insertInto('disclosure_events')
    .values({ disclosure_id: marked.id, type: 'disclosure.withdrawal_required', payload: '{}', at: markedAt })
    .execute();
  await up(db);

  const rows = await t.db
    .selectFrom('disclosures')
    .select(['id', 'status', 'cancelled_at', 'cancellation_reason', 'withdraw_due_at'])
    .where('id', 'in', [marked.id, untouched.id])
    .execute();
  expect(rows.find((r) => r.id === marked.id)).toMatchObject({
    status: 'cancelled',
    cancelled_at: markedAt,
    cancellation_reason: '市人民政府行政复议撤销（市政复决字〔2026〕7号）',
    withdraw_due_at: null,
  });
  expect(rows.find((r) => r.id === untouched.id)).toMatchObject({ status: 'pending', cancelled_at: null });
  const timers = await t.db
    .selectFrom('timers')
    .select(['execution_id', 'status'])
    .where('kind', 'in', ['disclosure_reminder', 'disclosure_deadline'])
    .where((eb) =>
      eb.or([eb('execution_id', 'like', `%:${marked.id}`), eb('execution_id', 'like', `%:${untouched.id}`)]),
    )
    .execute();
  for (const x of timers) expect(x.status).toBe(x.execution_id.endsWith(marked.id) ? 'cancelled' : 'pending');
  expect(timers).toHaveLength(4);
  const events = await t.db
    .selectFrom('disclosure_events')
    .select('type')
    .where('disclosure_id', '=', marked.id)
    .execute();
  expect(events.map((e) => e.type)).toContain('disclosure.cancelled');
  // A pending disclosure can no longer carry a withdrawal mark.
  await expect(
    t.db.updateTable('disclosures').set({ withdraw_due_at: new Date() }).where('id', '=', untouched.id).execute(),
  ).rejects.toThrow();
});
