import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { pageSession } from './helpers/pages.js';
import {
  caseOf,
  completeStep,
  documentText,
  FACTS,
  openTask,
  packet,
  rereviewForm,
  reviewForm,
} from './helpers/review.js';

let t: TestApp;
let officer: TestUser;
let reviewer: TestUser;
let legal: TestUser;

const OWN = '是否属于首次违法且危害后果轻微';
const ITEM = '是否已告知当事人听证权利';

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

const lists = async (user: TestUser, query = '') =>
  (await t.app.inject({ url: `/api/review-points${query}`, headers: t.as(user) })).json();

const put = (user: TestUser, payload: object, url = '/api/review-points') =>
  t.app.inject({ method: 'PUT', url, headers: t.as(user), payload });

async function submit() {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  const caseId = res.json().caseId as string;
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  return caseId;
}

async function tryComplete(user: TestUser, caseId: string, elementId: string, form: Record<string, unknown>) {
  const task = await openTask(t, user, caseId, elementId);
  return t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/complete`, headers: t.as(user), payload: form });
}

const problems = (res: { json(): { error: { details: { fields: { field: string; message: string }[] } } } }) =>
  res.json().error.details.fields;

describe('the default list is 118号’s', () => {
  it('has eleven points, 权限 after the discretion benchmark and 其他 last', async () => {
    const body = await lists(reviewer);
    expect(body.points.map((p: { key: string }) => p.key)).toEqual([
      'subject',
      'personnel',
      'procedure',
      'facts',
      'evidence',
      'law',
      'discretion',
      'authority',
      'documents',
      'crime_transfer',
      'other',
    ]);
    expect(body.points[7].label).toBe('执法未超越执法机关法定权限');
  });

  it('asks 权限 and 其他 of every review, though the BPMN form declares only the nine', async () => {
    const caseId = await submit();
    const { finding_authority: _a, note_authority: _n, ...nine } = reviewForm('同意') as Record<string, string>;
    const res = await tryComplete(reviewer, caseId, 'Task_review', nine);
    expect(res.statusCode).toBe(400);
    expect(problems(res).map((p) => p.field)).toContain('finding_authority');
    await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
    const opinion = (await caseOf(t, officer, caseId)).opinions[0];
    expect(opinion.findings.map((f: { point: string }) => f.point)).toContain('authority');
    const text = await documentText(t, officer, caseId, 'review_opinion');
    expect(text).toContain('执法未超越执法机关法定权限');
    expect(text.indexOf('裁量基准运用适当')).toBeLessThan(text.indexOf('执法未超越执法机关法定权限'));
    expect(text.indexOf('执法未超越执法机关法定权限')).toBeLessThan(text.indexOf('执法文书完备规范'));
  });
});

describe("a department's own points", () => {
  it('are kept by the legal admin only, and the 118号 points cannot be dropped', async () => {
    expect((await put(officer, { points: [OWN], omitted: [] })).statusCode).toBe(403);
    const dropped = await put(legal, { points: [], omitted: ['authority'] });
    expect(dropped.statusCode).toBe(400);
    expect(dropped.json().error.message).toContain('不能设为不适用');
    const twice = await put(legal, { points: [OWN, ` ${OWN}`], omitted: [] });
    expect(twice.statusCode).toBe(400);
    const again = await put(legal, { points: ['执法主体合法'], omitted: [] });
    expect(again.statusCode).toBe(400);
  });

  it('come before 其他, in every review the department signs after, each 不符合 with its note', async () => {
    const saved = await put(legal, { points: [OWN], omitted: [] });
    expect(saved.statusCode).toBe(200);
    const points = saved.json().points as { key: string; label: string }[];
    expect(points.map((p) => p.label).slice(-2)).toEqual([OWN, '其他']);
    const own = points.at(-2)!.key;

    const caseId = await submit();
    const missing = await tryComplete(reviewer, caseId, 'Task_review', reviewForm('同意'));
    expect(missing.statusCode).toBe(400);
    expect(problems(missing).map((p) => p.field)).toContain(`finding_${own}`);
    const unexplained = await tryComplete(reviewer, caseId, 'Task_review', {
      ...reviewForm('退回补正', '不符合首违不罚条件。'),
      [`finding_${own}`]: '不符合',
    });
    expect(unexplained.statusCode).toBe(400);
    expect(problems(unexplained)).toContainEqual({
      field: `note_${own}`,
      message: `“${OWN}”审核结果为“不符合”的，须说明理由`,
    });
    const approves = await tryComplete(reviewer, caseId, 'Task_review', {
      ...reviewForm('同意'),
      [`finding_${own}`]: '不符合',
      [`note_${own}`]: '当事人两年内有同类违法记录',
    });
    expect(approves.statusCode).toBe(400);
    expect(problems(approves).map((p) => p.field)).toContain('conclusion');

    // The form page asks the point too, where the list puts it.
    const task = await openTask(t, reviewer, caseId, 'Task_review');
    const page = await (await pageSession(t, reviewer)).get(`/tasks/${task.id}`);
    expect(page.body).toContain(`name="finding_${own}"`);
    expect(page.body.indexOf(`name="finding_${own}"`)).toBeGreaterThan(
      page.body.indexOf('name="finding_crime_transfer"'),
    );
    expect(page.body.indexOf(`name="finding_${own}"`)).toBeLessThan(page.body.indexOf('name="finding_other"'));

    await completeStep(t, reviewer, caseId, 'Task_review', {
      ...reviewForm('不同意', '不符合首违不罚条件。'),
      [`finding_${own}`]: '不符合',
      [`note_${own}`]: '当事人两年内有同类违法记录',
    });
    const text = await documentText(t, officer, caseId, 'review_opinion');
    expect(text).toContain(OWN);
    expect(text).toContain('当事人两年内有同类违法记录');

    // A re-review is a new opinion against the same list: it answers the point again, consistently.
    await completeStep(t, officer, caseId, 'Task_contest', { contest: true, contestReasons: '记录已撤销。' });
    const silent = await tryComplete(reviewer, caseId, 'Task_rereview', rereviewForm(false));
    expect(problems(silent).map((p) => p.field)).toContain(`finding_${own}`);
    const inconsistent = await tryComplete(reviewer, caseId, 'Task_rereview', {
      ...rereviewForm(false),
      [`finding_${own}`]: '不符合',
      [`note_${own}`]: '仍有记录',
    });
    expect(problems(inconsistent).map((p) => p.field)).toContain('maintain');
    await completeStep(t, reviewer, caseId, 'Task_rereview', { ...rereviewForm(false), [`finding_${own}`]: '符合' });
    const c = await caseOf(t, officer, caseId);
    expect(c.opinions[1].findings.find((f: { point: string }) => f.point === own)).toMatchObject({
      label: OWN,
      finding: 'conform',
    });
  });

  it('may drop 其他; an opinion signed before a change keeps the list it was signed against', async () => {
    await put(legal, { points: [OWN], omitted: [] });
    const caseId = await submit();
    const own = (await lists(reviewer)).points.at(-2).key as string;
    await completeStep(t, reviewer, caseId, 'Task_review', {
      ...reviewForm('退回补正', '请补正。'),
      [`finding_${own}`]: '符合',
    });
    const renamed = await put(legal, { points: ['另一自设要点'], omitted: ['other'] });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().points.map((p: { key: string }) => p.key)).not.toContain('other');
    const opinion = (await caseOf(t, officer, caseId)).opinions[0];
    expect(opinion.findings.map((f: { label: string }) => f.label)).toContain(OWN);
    expect(opinion.findings.map((f: { point: string }) => f.point)).toContain('other');
    const page = await (await pageSession(t, officer)).get(`/cases/${caseId}`);
    expect(page.body).toContain(OWN);
    expect(page.body).not.toContain('另一自设要点');
    await put(legal, { points: [], omitted: [] });
  });

  it('a catalogue item may add its own, for the cases under it only', async () => {
    const res = await put(legal, { points: [ITEM] }, '/api/review-points/items/C-01');
    expect(res.statusCode).toBe(200);
    expect((await lists(reviewer, '?itemCode=C-01')).itemPoints.map((p: { label: string }) => p.label)).toContain(ITEM);
    expect((await lists(reviewer, '?itemCode=C-02')).itemPoints.map((p: { label: string }) => p.label)).not.toContain(
      ITEM,
    );
    const caseId = await submit();
    const c = await caseOf(t, officer, caseId);
    expect(c.catalogueItem.code).toBe('C-01');
    const res2 = await tryComplete(reviewer, caseId, 'Task_review', reviewForm('同意'));
    expect(
      problems(res2)
        .map((p) => p.message)
        .join(),
    ).toContain(ITEM);
    await put(legal, { points: [] }, '/api/review-points/items/C-01');
  });

  it('the legal admin keeps them on a page', async () => {
    const s = await pageSession(t, legal);
    const page = await s.get('/legal/review-points');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('执法未超越执法机关法定权限');
    expect(page.body).toContain('C-01');
    const refused = await s.post('/legal/review-points', { itemCode: '', points: '', omitOther: 'on' });
    expect(refused.statusCode).toBe(303);
    expect((await lists(reviewer)).points.map((p: { key: string }) => p.key)).not.toContain('other');
    const saved = await s.post('/legal/review-points', { itemCode: 'C-03', points: `${ITEM}\n\n` });
    expect(saved.statusCode).toBe(303);
    expect((await s.get('/legal/review-points')).body).toContain(ITEM);
    const bad = await s.post('/legal/review-points', { itemCode: '', points: '执法程序合法' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('已是默认审核要点');
    const other = await (await pageSession(t, reviewer)).get('/legal/review-points');
    expect(other.statusCode).not.toBe(200);
  });

  it('a catalogue item may drop 其他, and every saved list is kept with who saved it', async () => {
    await put(legal, { points: [], omitted: [] });
    const s = await pageSession(t, legal);
    expect((await s.post('/legal/review-points', { itemCode: 'C-02', points: '', omitOther: 'on' })).statusCode).toBe(
      303,
    );
    expect((await lists(reviewer, '?itemCode=C-02')).itemPoints.map((p: { key: string }) => p.key)).not.toContain(
      'other',
    );
    expect((await lists(reviewer, '?itemCode=C-01')).itemPoints.map((p: { key: string }) => p.key)).toContain('other');
    const res = await put(legal, { points: [], omitted: ['authority'] }, '/api/review-points/items/C-02');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toMatchObject({ field: 'omitted' });
    expect((await put(legal, { points: [] }, '/api/review-points/items/C-02')).statusCode).toBe(200);

    const history = await t.app.inject({ method: 'GET', url: '/api/review-points/history', headers: t.as(legal) });
    expect(history.statusCode).toBe(200);
    const [removed, dropped] = history.json().changes;
    expect(removed).toMatchObject({
      itemCode: 'C-02',
      points: [],
      omitted: [],
      changedBy: expect.stringMatching(/^测试用户/),
    });
    expect(dropped).toMatchObject({ itemCode: 'C-02', omitted: ['other'] });
    const forbidden = await t.app.inject({ method: 'GET', url: '/api/review-points/history', headers: t.as(reviewer) });
    expect(forbidden.statusCode).toBe(403);
    const page = (await s.get('/legal/review-points')).body;
    expect(page).toContain('变更记录');
    expect(page).toContain('目录事项 C-02');
    expect(page).toContain('不设“其他”');
  });
});
