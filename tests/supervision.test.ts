import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fireTimer } from '../server/engine/instances.js';
import { fanOut } from '../server/webhooks/fanout.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { multipart, sample } from './helpers/evidence.js';
import { openPage, pageSession } from './helpers/pages.js';
import { FACTS, packet } from './helpers/review.js';
import { supervisedCase } from './helpers/supervision.js';

// 执法监督: the justice bureau's opinions and correction notices, the agency's answers, review and overdue.
const START = '2026-11-25T02:00:00Z'; // Wednesday
const clock = manualClock(START);
let t: TestApp;
let agency: { id: string };
let officer: TestUser;
let legal: TestUser;
let otherLegal: TestUser;
let supervisor: TestUser;
let caseId: string;

const OPINION = {
  kind: 'opinion',
  subject: '罚款数额的裁量说理不充分',
  findings: '该案适用裁量基准时未说明从轻情节的认定依据。',
  requirements: '请补充裁量说理，并对同类案件开展自查。',
  breachedRules: '《中华人民共和国行政处罚法》第五条',
  workingDays: 10,
};

beforeAll(async () => {
  t = await createTestApp({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32' }, { clock });
  ({ agency, officer, legal, supervisor, caseId } = await supervisedCase(t, '监督测试'));
  const other = await t.newDepartment({ name: '监督测试交通运输局' });
  otherLegal = await t.newUser({ departmentId: other.id, roles: ['legal_admin'] });
});
afterAll(() => t.close());
afterEach(() => clock.set(START));

const issue = (payload: Record<string, unknown>, user = supervisor) =>
  t.app.inject({ method: 'POST', url: '/api/supervision/opinions', headers: t.as(user), payload });
const get = (id: string, user: TestUser) =>
  t.app.inject({ url: `/api/supervision/opinions/${id}`, headers: t.as(user) });
const answer = (id: string, user: TestUser, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/supervision/opinions/${id}/answer`, headers: t.as(user), payload });
const review = (id: string, payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: `/api/supervision/opinions/${id}/review`,
    headers: t.as(supervisor),
    payload,
  });
const recordTypes = async () =>
  (await t.db.selectFrom('case_records').select('body').where('case_id', '=', caseId).orderBy('seq').execute()).map(
    (r) => (JSON.parse(r.body) as { type: string }).type,
  );

describe('supervision (监督意见、纠正通知)', () => {
  it('issues an opinion on a case: due in working days, a signed document, the case record', async () => {
    const res = await issue({ ...OPINION, caseId });
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json();
    // 10 working days from Wednesday 25 November: the end of Wednesday 9 December, Beijing time.
    expect(item.dueAt).toMatch(/^2026-12-09T15:59:59/);
    expect(item).toMatchObject({ agencyId: agency.id, caseId, status: 'open', overdue: false, kindLabel: '监督意见' });
    expect(item.documentNumber).toMatch(/执监意〔2026〕1号$/);
    const doc = await t.db
      .selectFrom('documents')
      .select(['kind', 'case_id', 'signed_by'])
      .where('id', '=', item.documentId)
      .executeTakeFirstOrThrow();
    expect(doc).toEqual({ kind: 'supervision_opinion', case_id: caseId, signed_by: supervisor.id });
    const sig = await t.db
      .selectFrom('document_signatures')
      .select('user_id')
      .where('document_id', '=', item.documentId)
      .executeTakeFirst();
    expect(sig?.user_id).toBe(supervisor.id);
    const file = await t.app.inject({ url: `/api/supervision/opinions/${item.id}/document`, headers: t.as(legal) });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('wordprocessingml');
    expect(await recordTypes()).toContain('supervision.issued');
    const timer = await t.db
      .selectFrom('timers')
      .select(['status', 'due_at'])
      .where('execution_id', '=', `supervision_deadline:${item.id}`)
      .executeTakeFirstOrThrow();
    expect(timer).toEqual({ status: 'pending', due_at: new Date(item.dueAt) });
  });

  it('runs answer, send back, answer again and accept, each step in the case record', async () => {
    const item = (await issue({ ...OPINION, kind: 'correction', caseId, workingDays: 5 })).json();
    expect(item.documentNumber).toMatch(/执监纠〔2026〕1号$/);
    // Another agency neither sees nor answers it.
    expect((await get(item.id, otherLegal)).statusCode).toBe(404);
    expect((await answer(item.id, otherLegal, { answer: '已整改。' })).statusCode).toBe(404);
    const otherList = await t.app.inject({ url: '/api/supervision/opinions', headers: t.as(otherLegal) });
    expect(otherList.json().items).toEqual([]);
    // The case's officer may not answer for the agency; a supervisor may not answer either.
    expect((await answer(item.id, officer, { answer: '已整改。' })).statusCode).toBe(403);
    // Nothing to review yet.
    expect((await review(item.id, { verdict: 'accepted' })).statusCode).toBe(409);

    const body = multipart([{ name: '整改报告.pdf', content: sample.pdf(), type: 'application/pdf' }]);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/supervision/opinions/${item.id}/files`,
      headers: { ...t.as(legal), 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const fileId = up.json().items[0].id;
    const foreign = multipart([{ name: 'x.pdf', content: sample.pdf(), type: 'application/pdf' }]);
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/supervision/opinions/${item.id}/files`,
      headers: { ...t.as(otherLegal), 'content-type': foreign.contentType },
      payload: foreign.payload,
    });
    expect(refused.statusCode).toBe(404);

    const first = await answer(item.id, legal, { answer: '已补充裁量说理。', fileIds: [fileId] });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'answered', answers: [{ round: 1, fileIds: [fileId] }] });
    expect((await answer(item.id, legal, { answer: '再报一次。' })).statusCode).toBe(409);
    expect((await review(item.id, { verdict: 'returned' })).statusCode).toBe(422);
    const back = await review(item.id, { verdict: 'returned', note: '自查范围不全，请补充同类案件的自查情况。' });
    expect(back.json()).toMatchObject({ status: 'returned', returnedCount: 1, overdue: false });
    const open = (await t.app.inject({ url: '/api/supervision/opinions?state=open', headers: t.as(legal) })).json();
    expect(open.items.map((i: { id: string }) => i.id)).toContain(item.id);
    // A file already sent with an answer does not go again.
    expect((await answer(item.id, legal, { answer: '再次报送。', fileIds: [fileId] })).statusCode).toBe(422);
    expect((await answer(item.id, legal, { answer: '已对同类 12 件案件自查，均已补充说理。' })).statusCode).toBe(200);
    const done = await review(item.id, { verdict: 'accepted', note: '认可。' });
    expect(done.json()).toMatchObject({
      status: 'accepted',
      overdue: false,
      answers: [{ verdict: 'returned' }, { verdict: 'accepted' }],
    });
    const types = await recordTypes();
    for (const type of ['supervision.answered', 'supervision.returned', 'supervision.accepted']) {
      expect(types).toContain(type);
    }
    const verify = await t.app.inject({ url: `/api/cases/${caseId}/record/verify`, headers: t.as(legal) });
    expect(verify.json().ok, verify.body).toBe(true);
    const timer = await t.db
      .selectFrom('timers')
      .select('status')
      .where('execution_id', '=', `supervision_deadline:${item.id}`)
      .executeTakeFirstOrThrow();
    expect(timer.status).toBe('cancelled');
  });

  it('flags an unanswered item overdue when its timer fires, and one sent back after the due date', async () => {
    const res = await issue({ ...OPINION, departmentId: agency.id, workingDays: 3 });
    const item = res.json();
    expect(item.caseId).toBeNull();
    const timer = await t.db
      .selectFrom('timers')
      .select('id')
      .where('execution_id', '=', `supervision_deadline:${item.id}`)
      .executeTakeFirstOrThrow();
    expect(await fireTimer(t.app.runtime, timer.id)).toMatchObject({ kind: 'early' });
    clock.set('2026-12-01T01:00:00Z');
    expect(await fireTimer(t.app.runtime, timer.id)).toEqual({ kind: 'fired' });
    const overdue = (
      await t.app.inject({ url: '/api/supervision/opinions?state=overdue', headers: t.as(legal) })
    ).json();
    expect(overdue.items.find((x: { id: string }) => x.id === item.id)).toMatchObject({ overdue: true });
    const { page } = await openPage(t, supervisor, '/supervisor');
    expect(page.body).toMatch(/超期的监督意见<\/span><b>1<\/b>/);
    const { page: listed } = await openPage(t, supervisor, '/supervision?state=overdue');
    expect(listed.body).toContain(`/supervision/${item.id}`);
    expect(listed.body).toContain('已超期');

    // Answered in time, sent back after the due date: overdue from then on.
    clock.set(START);
    const second = (await issue({ ...OPINION, departmentId: agency.id, workingDays: 3 })).json();
    await answer(second.id, legal, { answer: '已整改。' });
    const t2 = await t.db
      .selectFrom('timers')
      .select('id')
      .where('execution_id', '=', `supervision_deadline:${second.id}`)
      .executeTakeFirstOrThrow();
    clock.set('2026-12-01T01:00:00Z');
    expect(await fireTimer(t.app.runtime, t2.id)).toMatchObject({ kind: 'stale' });
    expect((await get(second.id, legal)).json().overdue).toBe(false);
    const back = await review(second.id, { verdict: 'returned', note: '未附整改材料。' });
    expect(back.json()).toMatchObject({ status: 'returned', overdue: true });
  });

  it('refuses an agency to issue, and a case together with another agency', async () => {
    expect((await issue({ ...OPINION, departmentId: agency.id }, legal)).statusCode).toBe(403);
    const other = (
      await t.db.selectFrom('users').select('department_id').where('id', '=', otherLegal.id).executeTakeFirstOrThrow()
    ).department_id;
    expect((await issue({ ...OPINION, caseId, departmentId: other })).statusCode).toBe(400);
    expect((await issue({ ...OPINION })).statusCode).toBe(400);
  });

  it('counts 监督意见按期办结率 per agency and year, traceable to each item, in the table and its exports', async () => {
    // At the year's end every item above is past its due date: only the correction accepted in time met it.
    clock.set('2026-12-31T01:00:00Z');
    const res = await t.app.inject({
      url: `/api/indicators?year=2026&departmentId=${agency.id}`,
      headers: t.as(supervisor),
    });
    expect(res.statusCode, res.body).toBe(200);
    const row = res.json().agencies.find((a: { departmentId: string }) => a.departmentId === agency.id);
    expect(row.figures.supervision_on_time).toEqual({ total: 4, met: 1, rate: 25 });
    const behind = await t.app.inject({
      url: `/api/indicators/cases?year=2026&indicator=supervision_on_time&departmentId=${agency.id}`,
      headers: t.as(legal),
    });
    const items = behind.json().items as { caseId: string | null; supervisionId: string; met: boolean }[];
    expect(items).toHaveLength(4);
    expect(items.filter((i) => i.met).map((i) => i.caseId)).toEqual([caseId]);
    expect(items.filter((i) => i.caseId === null)).toHaveLength(2);
    expect(new Set(items.map((i) => i.supervisionId)).size).toBe(4);
    const foreign = await t.app.inject({
      url: `/api/indicators/cases?year=2026&indicator=supervision_on_time&departmentId=${agency.id}`,
      headers: t.as(otherLegal),
    });
    expect(foreign.statusCode).toBe(403);
    // Not counted in a year its items are not due in.
    const before = (await t.app.inject({ url: '/api/indicators?year=2025', headers: t.as(supervisor) })).json();
    expect(before.overall.supervision_on_time.total).toBe(0);
    const csv = await t.app.inject({ url: '/api/indicators.csv?year=2026', headers: t.as(supervisor) });
    expect(csv.body).toContain('监督意见按期办结率（%）');
    expect(csv.body).toMatch(/监督测试市场监督管理局,[^\n]*,25,1,4/);
    const { page } = await openPage(
      t,
      supervisor,
      `/indicators/cases?year=2026&indicator=supervision_on_time&departmentId=${agency.id}`,
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`/supervision/${items[0].supervisionId}`);
  });

  it('exports supervision items as data elements, masking a natural-person party for a consumer not entitled', async () => {
    const admin = await t.newUser({ departmentId: agency.id, roles: ['admin'] });
    const party = { type: 'person', name: '王小明', idCode: '320902199001011234', address: '盐城市亭湖区某小区' };
    const personCase = (
      await t.app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: t.as(officer),
        payload: { packet: packet({ party }), facts: FACTS },
      })
    ).json().caseId;
    const item = (
      await issue({
        ...OPINION,
        caseId: personCase,
        findings: '对当事人王小明的罚款未说明裁量理由。',
        supervisionBasis: '《中华人民共和国行政处罚法》第七十五条',
      })
    ).json();
    const consumer = (
      await t.app.inject({
        method: 'POST',
        url: '/api/export/consumers',
        headers: t.as(admin),
        payload: { name: '市政务数据共享平台', personalData: false },
      })
    ).json();
    const items: { entity: string; id: string; data: Record<string, unknown> }[] = [];
    let cursor = '';
    for (;;) {
      const page = await t.app.inject({
        url: `/api/export/feed?limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
        headers: { authorization: `Bearer ${consumer.token}` },
      });
      expect(page.statusCode, page.body).toBe(200);
      items.push(...page.json().items);
      cursor = page.json().cursor;
      if (!page.json().hasMore) break;
    }
    const mine = items.filter((i) => i.entity === 'supervision');
    const exported = mine.find((i) => i.id === item.id)!;
    expect(exported.data).toMatchObject({
      kind: 'opinion',
      agencyId: agency.id,
      caseId: personCase,
      status: 'open',
      documentNumber: item.documentNumber,
      findings: '对当事人王**的罚款未说明裁量理由。',
      // Each 依据 in its own element: the basis of the supervision, and the rule the conduct breached.
      supervisionBasis: '《中华人民共和国行政处罚法》第七十五条',
      breachedRules: OPINION.breachedRules,
    });
    expect(mine.find((i) => i.data.status === 'accepted')).toMatchObject({
      data: { overdue: false, returnedCount: 1 },
    });
    const schema = (await t.app.inject({ url: '/api/export/schema' })).json();
    expect(schema.$defs.supervision['x-element-class']).toBe('监管投诉举报类');
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    validate({ items: mine, cursor: '1', hasMore: false });
    expect(validate.errors ?? []).toEqual([]);
  });

  it('runs the flow on the pages: issue from the case page, answer from the workbench, accept', async () => {
    const boss = await pageSession(t, supervisor);
    const casePage = await boss.get(`/cases/${caseId}`);
    expect(casePage.body).toContain(`/supervision/new?caseId=${caseId}`);
    const form = await boss.get(`/supervision/new?caseId=${caseId}`);
    expect(form.statusCode).toBe(200);
    const missing = await boss.post('/supervision', { kind: 'opinion', caseId, subject: '', workingDays: '5' });
    expect(missing.statusCode).toBe(400);
    const issued = await boss.post('/supervision', {
      kind: 'correction',
      caseId,
      subject: '送达程序不规范',
      findings: '处罚告知书未载明陈述申辩期限。',
      requirements: '补正送达程序。',
      supervisionBasis: '',
      breachedRules: '',
      workingDays: '5',
    });
    expect(issued.statusCode, issued.body).toBe(303);
    const itemUrl = issued.headers.location!.split('?')[0];

    const unit = await pageSession(t, legal);
    const dashboard = await unit.get('/legal');
    expect(dashboard.body).toContain(itemUrl);
    expect(dashboard.body).toContain('送达程序不规范');
    const answerForm = await unit.get(itemUrl);
    expect(answerForm.body).toContain(`action="${itemUrl}/answer"`);
    const answered = await unit.post(`${itemUrl}/answer`, { answer: '已重新送达并载明期限。' });
    expect(answered.statusCode, answered.body).toBe(303);
    const stranger = await pageSession(t, otherLegal);
    expect((await stranger.get(itemUrl)).statusCode).toBe(404);

    const reviewPage = await boss.get(itemUrl);
    expect(reviewPage.body).toContain('已重新送达并载明期限。');
    const accepted = await boss.post(`${itemUrl}/review`, { verdict: 'accepted', note: '' });
    expect(accepted.statusCode, accepted.body).toBe(303);
    const list = await boss.get('/supervision?state=accepted');
    expect(list.body).toContain('送达程序不规范');
    expect((await unit.get(`/cases/${caseId}`)).body).toContain(itemUrl);
  });

  it('sends each step on a case to webhook subscribers of supervision.*', async () => {
    const admin = await t.newUser({ departmentId: agency.id, roles: ['admin'] });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: t.as(admin),
      payload: { name: '监督平台', url: 'http://127.0.0.1:1/hook', events: ['supervision.*'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    while ((await fanOut({ db: t.db })) > 0);
    const deliveries = await t.db
      .selectFrom('webhook_deliveries')
      .select(['event_type', 'case_id', 'body'])
      .where('subscriber_id', '=', res.json().id)
      .execute();
    const types = new Set(deliveries.map((d) => d.event_type));
    for (const type of ['supervision.issued', 'supervision.answered', 'supervision.returned', 'supervision.accepted']) {
      expect(types).toContain(type);
    }
    expect([...types].every((x) => x.startsWith('supervision.'))).toBe(true);
    const issued = deliveries.filter((d) => d.event_type === 'supervision.issued').map((d) => JSON.parse(d.body));
    expect(issued).toContainEqual(
      expect.objectContaining({
        case: expect.objectContaining({ id: caseId }),
        data: expect.objectContaining({ kind: 'opinion', supervisionId: expect.any(String) }),
      }),
    );
  });
});
