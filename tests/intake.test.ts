import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCase } from '../server/records/verify.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { pageSession } from './helpers/pages.js';
import { documentText, FACTS, packet } from './helpers/review.js';

// 2026-11-02 is a Monday; every event is dated that day.
const clock = manualClock('2026-11-02T09:00:00+08:00');
const DAY = '2026-11-02';
let t: TestApp;
let admin: TestUser;
let otherAdmin: TestUser;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  const d = await t.newDepartment();
  admin = await t.newUser({ departmentId: d.id, roles: ['admin'] });
  const legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  const other = await t.newDepartment();
  otherAdmin = await t.newUser({ departmentId: other.id, roles: ['admin'] });
});
afterAll(() => t.close());

async function system(user: TestUser, code: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/intake-systems',
    headers: t.as(user),
    payload: { code, name: '执法办案系统' },
  });
  expect(res.statusCode).toBe(201);
  const id = res.json().id as string;
  const key = await t.app.inject({ method: 'POST', url: `/api/intake-systems/${id}/keys`, headers: t.as(user) });
  expect(key.statusCode).toBe(201);
  return { id, key: key.json().key as string, keyId: key.json().id as string };
}

const putCase = (code: string, key: string, externalId: string, body: Record<string, unknown>) =>
  t.app.inject({
    method: 'PUT',
    url: `/api/intake/${code}/cases/${encodeURIComponent(externalId)}`,
    headers: { authorization: `Bearer ${key}` },
    payload: body,
  });

const send = (code: string, key: string, externalId: string, body: unknown) =>
  t.app.inject({
    method: 'POST',
    url: `/api/intake/${code}/cases/${encodeURIComponent(externalId)}/events`,
    headers: { 'x-fashen-intake-key': key },
    payload: body as Record<string, unknown>,
  });

const caseByExternal = async (externalId: string) =>
  (await t.db.selectFrom('intake_cases').select('case_id').where('external_id', '=', externalId).executeTakeFirst())
    ?.case_id;

/** A fixed shuffle (xorshift), so a failure reproduces. */
function shuffled<T>(items: T[], seed: number): T[] {
  const a = [...items];
  let s = seed;
  for (let i = a.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = Math.abs(s) % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

async function counts(caseId: string) {
  const events = await t.db
    .selectFrom('case_stage_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_id', '=', caseId)
    .where('source', '=', 'intake:zfba')
    .executeTakeFirstOrThrow();
  const records = await t.db.selectFrom('case_records').select('body').where('case_id', '=', caseId).execute();
  const lifecycle = records.filter((r) => JSON.parse(r.body).type?.startsWith('lifecycle.')).length;
  return { events: Number(events.n), records: records.length, lifecycle };
}

describe('the intake API', () => {
  let sys: { id: string; key: string; keyId: string };
  const body = { packet: packet({ caseNumber: 'ZFBA-2026-0001' }), facts: FACTS };
  let caseId: string;

  it('creates a case once for the same body sent twice; keys are admin-issued and the list hides them', async () => {
    sys = await system(admin, 'zfba');
    const first = await putCase('zfba', sys.key, 'A-1', body);
    expect(first.statusCode).toBe(201);
    caseId = first.json().caseId;
    const before = await counts(caseId);
    const again = await putCase('zfba', sys.key, 'A-1', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ caseId, created: false, updated: false });
    expect((await counts(caseId)).records).toBe(before.records);
    const list = await t.app.inject({ url: '/api/intake-systems', headers: t.as(admin) });
    expect(list.json().items[0].keys).toHaveLength(1);
    expect(list.body).not.toContain(sys.key);
    // The case's record names the system's account as the actor.
    const c = await t.db.selectFrom('cases').select('submitted_by').where('id', '=', caseId).executeTakeFirst();
    const actor = await t.db
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', c!.submitted_by)
      .executeTakeFirst();
    expect(actor?.display_name).toBe('执法办案系统（接口）');
  });

  it('records 1,000 events sent twice in shuffled order exactly once each', async () => {
    // Ten cases of a hundred events each (立案 and 99 stages opened), each batch shuffled so 立案 comes late.
    const ids = ['A-1', ...Array.from({ length: 9 }, (_, i) => `M-${i}`)];
    const caseIds = [caseId];
    for (const externalId of ids.slice(1)) {
      caseIds.push((await putCase('zfba', sys.key, externalId, { packet: packet(), facts: FACTS })).json().caseId);
    }
    const eventsOf = (externalId: string) => [
      { eventId: `${externalId}/E-0`, type: 'filed', date: DAY },
      ...Array.from({ length: 99 }, (_, i) => ({
        eventId: `${externalId}/E-${i + 1}`,
        type: 'stage_opened',
        kind: i % 2 ? 'investigation' : 'onsite',
        date: DAY,
        note: `第${i + 1}次`,
        evidenceRefs: [{ ref: `EV-${i + 1}`, name: '现场检查笔录' }],
      })),
    ];
    const sendAll = async (seed: number) => {
      const totals = { recorded: 0, duplicates: 0, rejected: 0 };
      for (const [n, externalId] of ids.entries()) {
        const batch = shuffled(eventsOf(externalId), seed + n);
        expect(batch.findIndex((e) => e.type === 'filed')).toBeGreaterThan(0);
        const res = await send('zfba', sys.key, externalId, { events: batch });
        expect(res.statusCode).toBe(200);
        for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += res.json()[k];
      }
      return totals;
    };
    const total = async () => {
      const all = await Promise.all(caseIds.map(counts));
      return all.reduce((a, b) => ({
        events: a.events + b.events,
        records: a.records + b.records,
        lifecycle: a.lifecycle + b.lifecycle,
      }));
    };
    expect(await sendAll(12345)).toEqual({ recorded: 1000, duplicates: 0, rejected: 0 });
    const after = await total();
    expect(after.events).toBe(1000);
    expect(after.lifecycle).toBe(1000);
    expect(await sendAll(987654)).toEqual({ recorded: 0, duplicates: 1000, rejected: 0 });
    expect(await total()).toEqual(after);
    const stages = await t.db
      .selectFrom('case_stages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('case_id', 'in', caseIds)
      .executeTakeFirstOrThrow();
    expect(Number(stages.n)).toBe(1000);
  }, 120_000);

  it('answers an event whose prerequisite has not arrived with 409 naming it, and records it once resent', async () => {
    const created = await putCase('zfba', sys.key, 'A-2', { packet: packet(), facts: FACTS });
    const id = created.json().caseId;
    const close = { eventId: 'C-3', type: 'stage_closed', stageEventId: 'C-2', date: DAY };
    const early = await send('zfba', sys.key, 'A-2', close);
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'PREREQUISITE_MISSING', details: { prerequisite: 'filed' } });
    expect((await send('zfba', sys.key, 'A-2', { eventId: 'C-1', type: 'filed', date: DAY })).statusCode).toBe(201);
    const noStage = await send('zfba', sys.key, 'A-2', close);
    expect(noStage.statusCode).toBe(409);
    expect(noStage.json().error.details).toMatchObject({ field: 'stageEventId', prerequisite: 'stage_opened' });
    const statement = await send('zfba', sys.key, 'A-2', {
      eventId: 'C-4',
      type: 'statement',
      date: DAY,
      waived: true,
    });
    expect(statement.json().error.details).toMatchObject({ prerequisite: 'notice_served' });
    const open = { eventId: 'C-2', type: 'stage_opened', kind: 'investigation', date: DAY };
    expect((await send('zfba', sys.key, 'A-2', open)).statusCode).toBe(201);
    const closed = await send('zfba', sys.key, 'A-2', close);
    expect(closed.statusCode).toBe(201);
    const dup = await send('zfba', sys.key, 'A-2', close);
    expect(dup.statusCode).toBe(200);
    expect(dup.json()).toMatchObject({ status: 'duplicate', lifecycleEventId: closed.json().lifecycleEventId });
    const stage = await t.db
      .selectFrom('case_stages')
      .select('status')
      .where('id', '=', closed.json().stageId)
      .executeTakeFirst();
    expect(stage?.status).toBe('closed');
    expect((await counts(id)).events).toBe(3);
  });

  it('answers each bad event with a 4xx naming the field, one result per event in a batch', async () => {
    const noId = await send('zfba', sys.key, 'A-1', { type: 'stage_opened', kind: 'onsite', date: DAY });
    expect(noId.statusCode).toBe(400);
    expect(noId.json().error.details.field).toBe('eventId');
    const batch = await send('zfba', sys.key, 'A-1', {
      events: [
        { eventId: 'B-1', type: 'stage_opened', kind: 'onsite', date: '2026-13-01' },
        { eventId: 'B-2', type: 'stage_opened', kind: 'parade', date: DAY },
        { eventId: 'B-3', type: 'teleported', date: DAY },
        { eventId: 'B-4', type: 'stage_opened', kind: 'onsite', date: DAY, evidenceRefs: [{ name: 'x' }] },
        { eventId: 'B-5', type: 'stage_opened', kind: 'onsite', date: '2026-11-09' },
        { eventId: 'B-6', type: 'stage_opened', kind: 'onsite', date: DAY },
      ],
    });
    expect(batch.statusCode).toBe(200);
    const results = batch.json().results;
    expect(results.map((r: { status: string }) => r.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'recorded',
    ]);
    expect(results.slice(0, 5).map((r: { error: { details: { field: string } } }) => r.error.details.field)).toEqual([
      'date',
      'kind',
      'type',
      'evidenceRefs',
      'date',
    ]);
    expect(results[0].httpStatus).toBe(400);
  });

  it('names the responsible officer, matched by 执法证号, on a document an event issues', async () => {
    const officer = await t.newUser({ departmentId: admin.departmentId, roles: ['officer'] });
    const { certificate_number: cert } = await t.db
      .selectFrom('users')
      .select('certificate_number')
      .where('id', '=', officer.id)
      .executeTakeFirstOrThrow();
    const notice = { eventId: 'N-1', type: 'notice_served', date: DAY, hearingRight: true };
    const bare = await send('zfba', sys.key, 'A-2', notice);
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.details.field).toBe('officer');
    const unknown = await send('zfba', sys.key, 'A-2', { ...notice, officer: { certificateNumber: 'NOPE-1' } });
    expect(unknown.json().error.details.field).toBe('officer.certificateNumber');
    const wrongName = await send('zfba', sys.key, 'A-2', {
      ...notice,
      officer: { certificateNumber: cert, name: '张三' },
    });
    expect(wrongName.json().error.details.field).toBe('officer.name');
    const ok = await send('zfba', sys.key, 'A-2', { ...notice, officer: { certificateNumber: cert } });
    expect(ok.statusCode).toBe(201);
    const { display_name: name } = await t.db
      .selectFrom('users')
      .select('display_name')
      .where('id', '=', officer.id)
      .executeTakeFirstOrThrow();
    const text = await documentText(t, officer, (await caseByExternal('A-2'))!, 'penalty_notice');
    expect(text).toContain(name);
    expect(text).not.toContain('（接口）');
  });

  it('lets the admin register a system and issue a key on the admin page, shown once', async () => {
    const page = await pageSession(t, admin);
    expect((await page.get('/admin/intake')).body).toContain('外部办案系统接入');
    expect((await page.post('/admin/intake', { code: 'Bad code', name: '甲' })).statusCode).toBe(400);
    expect((await page.post('/admin/intake', { code: 'yewu', name: '业务系统' })).statusCode).toBe(303);
    const listed = (await page.get('/admin/intake')).body;
    expect(listed).toContain('业务系统');
    const id = (await t.app.inject({ url: '/api/intake-systems', headers: t.as(admin) }))
      .json()
      .items.find((s: { code: string }) => s.code === 'yewu').id;
    const issued = await page.post(`/admin/intake/${id}/keys`, {});
    const key = /<code>(fik_[^<]+)<\/code>/.exec(issued.body)?.[1];
    expect(key).toBeTruthy();
    expect((await page.get('/admin/intake')).body).not.toContain(key);
    const res = await send('yewu', key!, 'none', { eventId: 'X', type: 'filed', date: DAY });
    expect(res.json().error.code).toBe('CASE_NOT_FOUND');
  });

  it("keeps another department's cases out of reach, and refuses a revoked key", async () => {
    const other = await system(otherAdmin, 'zfba');
    expect((await send('zfba', other.key, 'A-1', { eventId: 'X', type: 'filed', date: DAY })).statusCode).toBe(404);
    expect((await send('zfba', other.key, 'A-1', { eventId: 'X', type: 'filed', date: DAY })).json().error.code).toBe(
      'CASE_NOT_FOUND',
    );
    const mine = await system(admin, 'zfba2');
    expect((await send('zfba2', sys.key, 'A-1', { eventId: 'X', type: 'filed', date: DAY })).statusCode).toBe(404);
    expect((await send('zfba2', mine.key, 'A-1', { eventId: 'X', type: 'filed', date: DAY })).statusCode).toBe(404);
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/intake-systems/${sys.id}/keys/${sys.keyId}/revoke`,
      headers: t.as(otherAdmin),
    });
    expect(revoke.statusCode).toBe(404);
    const revoked = await t.app.inject({
      method: 'POST',
      url: `/api/intake-systems/${sys.id}/keys/${sys.keyId}/revoke`,
      headers: t.as(admin),
    });
    expect(revoked.statusCode).toBe(204);
    expect((await send('zfba', sys.key, 'A-1', { eventId: 'E-1', type: 'filed', date: DAY })).statusCode).toBe(401);
    expect((await putCase('zfba', sys.key, 'A-1', body)).statusCode).toBe(401);
  });

  it("the case's record verifies", async () => {
    const result = await verifyCase({ db: t.db, trusted: t.app.records.trusted, files: t.app.records.files }, caseId);
    expect(result.problems).toEqual([]);
  });
});
