import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestHash } from '../server/idempotency/plugin.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, fixture, workflowFile } from './helpers/flows.js';
import { FACTS, packet } from './helpers/review.js';

let t: TestApp;
let officer: TestUser;
let otherOfficer: TestUser;
let reviewer: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  otherOfficer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  await deploy(t, legal, await fixture('quick-timer.bpmn'));
});
afterAll(() => t.close());

const post = (user: TestUser, url: string, payload: object, key?: string) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { ...t.as(user), ...(key && { 'idempotency-key': key }) },
    payload,
  });

const countCases = async (caseNumber: string) =>
  (await t.db.selectFrom('cases').select('id').where('case_number', '=', caseNumber).execute()).length;

describe('Idempotency-Key', () => {
  it('answers a repeated case submission with the first answer and makes one case', async () => {
    const body = { packet: packet(), facts: FACTS };
    const first = await post(officer, '/api/cases', body, 'submit-1');
    expect(first.statusCode).toBe(201);
    const again = await post(officer, '/api/cases', body, 'submit-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await countCases(body.packet.caseNumber)).toBe(1);
  });

  it('refuses the same key with another body, and keeps keys apart per user', async () => {
    const first = await post(officer, '/api/cases', { packet: packet(), facts: FACTS }, 'submit-2');
    expect(first.statusCode).toBe(201);
    const other = await post(officer, '/api/cases', { packet: packet(), facts: FACTS }, 'submit-2');
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const someoneElse = await post(otherOfficer, '/api/cases', { packet: packet(), facts: FACTS }, 'submit-2');
    expect(someoneElse.statusCode).toBe(201);
  });

  it('starts one instance and completes a task once however often the client retries', async () => {
    const started = await post(officer, '/api/instances', { processKey: 'quick_timer', variables: {} }, 'start-1');
    expect(started.statusCode).toBe(201);
    const restarted = await post(officer, '/api/instances', { processKey: 'quick_timer', variables: {} }, 'start-1');
    expect(restarted.json().instanceId).toBe(started.json().instanceId);
    const taskId = started.json().openTasks[0].id as string;
    const done = await post(reviewer, `/api/tasks/${taskId}/complete`, {}, 'complete-1');
    expect(done.statusCode).toBe(200);
    const retried = await post(reviewer, `/api/tasks/${taskId}/complete`, {}, 'complete-1');
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toEqual(done.json());
    // Without a key the second completion is refused, as before.
    expect((await post(reviewer, `/api/tasks/${taskId}/complete`, {})).statusCode).toBe(409);
  });

  it('says the outcome is unknown while a keyed request is pending (or its process died mid-way)', async () => {
    const body = { packet: packet(), facts: FACTS };
    await t.db
      .insertInto('idempotency_keys')
      .values({ user_id: officer.id, key: 'lost-1', request_hash: requestHash('POST', '/api/cases', body) })
      .execute();
    const res = await post(officer, '/api/cases', body, 'lost-1');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(await countCases(body.packet.caseNumber)).toBe(0);
  });

  it('refuses a malformed key', async () => {
    const res = await post(officer, '/api/cases', { packet: packet(), facts: FACTS }, 'x'.repeat(300));
    expect(res.statusCode).toBe(400);
  });
});
