import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { openPage } from './helpers/pages.js';
import { caseOf, completeStep, FACTS, openTask, packet } from './helpers/review.js';

// A natural person as the party: every piece of their data must stay inside the case's own department.
const PARTY = {
  type: 'person',
  name: '张建国',
  idCode: '320902198001011234',
  address: '盐城市亭湖区解放南路18号3幢201室',
};
const PHONE = '13812345678';
const SECRETS = [PARTY.name, PARTY.idCode, PARTY.address, PHONE];

let t: TestApp;
let officer: TestUser; // 市场局A, handles the case
let reviewer: TestUser; // 市场局A, the case's reviewer
let legal: TestUser; // 市场局A's legal admin (legal unit)
let poolB: TestUser; // 市场局B, same system, in the pool
let plainB: TestUser; // 市场局B, reviewer not in the pool
let officerB: TestUser; // 市场局B, officer
let poolC: TestUser; // 交通局C, other system, in the pool
let admin: TestUser;
let caseId: string;
let discussionId: string;

const api = (user: TestUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: t.as(user), ...(payload ? { payload } : {}) });

const leaks = (body: string) => SECRETS.filter((s) => body.includes(s));

beforeAll(async () => {
  t = await createTestApp();
  const a = await t.newDepartment({ name: '市场监管局甲' });
  const b = await t.newDepartment({ name: '市场监管局乙' });
  const c = await t.newDepartment({ name: '交通运输局丙' });
  await t.db
    .updateTable('departments')
    .set({ enforcement_system: '市场监管系统' })
    .where('id', 'in', [a.id, b.id])
    .execute();
  await t.db.updateTable('departments').set({ enforcement_system: '交通运输系统' }).where('id', '=', c.id).execute();
  officer = await t.newUser({ departmentId: a.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: a.id, roles: ['reviewer'] });
  legal = await t.newUser({ departmentId: a.id, roles: ['legal_admin'] });
  poolB = await t.newUser({ departmentId: b.id, roles: ['reviewer'] });
  plainB = await t.newUser({ departmentId: b.id, roles: ['reviewer'] });
  officerB = await t.newUser({ departmentId: b.id, roles: ['officer'] });
  poolC = await t.newUser({ departmentId: c.id, roles: ['reviewer'] });
  admin = await t.newUser({ departmentId: c.id, roles: ['admin'] });
  for (const u of [poolB, poolC])
    expect((await api(admin, 'PUT', `/api/reviewer-pool/${u.id}`, {})).statusCode).toBe(204);
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  const p = packet({
    title: `${PARTY.name}无照经营案`,
    party: PARTY,
    factsFound: `经查，当事人${PARTY.name}（身份证号码${PARTY.idCode}，联系电话${PHONE}）在${PARTY.address}销售不合格电热水壶，货值金额六万四千元。`,
    proposedDecision: `对${PARTY.name}罚款六万四千元。`,
  });
  const res = await api(officer, 'POST', '/api/cases', { packet: p, facts: FACTS });
  expect(res.statusCode).toBe(201);
  caseId = res.json().caseId;
  await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
  expect((await caseOf(t, legal, caseId)).reviewerId).toBe(reviewer.id);
});
afterAll(() => t.close());

describe('opening a discussion of a hard case (疑难案例网上探讨)', () => {
  it('is for the case reviewer only', async () => {
    const body = { caseId, question: '是否构成无照经营？' };
    expect((await api(officer, 'POST', '/api/discussions', body)).statusCode).toBe(403);
    expect((await api(legal, 'POST', '/api/discussions', body)).statusCode).toBe(403);
    expect((await api(poolB, 'POST', '/api/discussions', body)).statusCode).toBe(404);
    const res = await api(reviewer, 'POST', '/api/discussions', {
      caseId,
      question: `${PARTY.name}的行为应适用产品质量法还是无证无照经营查处办法？`,
    });
    expect(res.statusCode).toBe(201);
    discussionId = res.json().id;
  });
});

describe('visibility across departments', () => {
  it('shows a pool reviewer of another department of the system the masked copy, never the case', async () => {
    const res = await api(poolB, 'GET', `/api/discussions/${discussionId}`);
    expect(res.statusCode).toBe(200);
    expect(leaks(res.body)).toEqual([]);
    const d = res.json();
    expect(d.packet.party).toMatchObject({ name: '张**', idCode: '320902********1234' });
    expect(d.packet.factsFound).toContain('张**');
    expect(d.packet.factsFound).toContain('138****5678');
    expect(d.question).toContain('张**');
    expect(d.ownCase).toBe(false);
    expect((await api(poolB, 'GET', `/api/cases/${caseId}`)).statusCode).toBe(404);
    const list = (await api(poolB, 'GET', '/api/discussions?status=open')).json();
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([discussionId]);
    expect(leaks(JSON.stringify(list))).toEqual([]);
  });

  it('hides it from reviewers outside the pool, officers and the pool of another system', async () => {
    expect((await api(plainB, 'GET', `/api/discussions/${discussionId}`)).statusCode).toBe(404);
    expect((await api(plainB, 'GET', '/api/discussions')).json().items).toEqual([]);
    expect((await api(officerB, 'GET', `/api/discussions/${discussionId}`)).statusCode).toBe(403);
    expect((await api(poolC, 'GET', `/api/discussions/${discussionId}`)).statusCode).toBe(404);
    const comment = await api(plainB, 'POST', `/api/discussions/${discussionId}/comments`, { body: '我认为……' });
    expect(comment.statusCode).toBe(404);
    const page = await openPage(t, plainB, `/discussions/${discussionId}`);
    expect(page.page.statusCode).toBe(404);
    expect(leaks(page.page.body)).toEqual([]);
  });

  it('opens to the pool of every system once the justice bureau opens it city-wide', async () => {
    await api(admin, 'PUT', '/api/reviewer-pool/settings', { citywide: true });
    try {
      const res = await api(poolC, 'GET', `/api/discussions/${discussionId}`);
      expect(res.statusCode).toBe(200);
      expect(leaks(res.body)).toEqual([]);
    } finally {
      await api(admin, 'PUT', '/api/reviewer-pool/settings', { citywide: false });
    }
    expect((await api(poolC, 'GET', `/api/discussions/${discussionId}`)).statusCode).toBe(404);
  });

  it('lets the case department legal unit read it', async () => {
    const res = await api(legal, 'GET', `/api/discussions/${discussionId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().ownCase).toBe(true);
  });
});

describe('comments', () => {
  let first: string;

  it('thread: a reply names its parent, and a parent of another discussion is refused', async () => {
    const a = await api(poolB, 'POST', `/api/discussions/${discussionId}/comments`, {
      body: `${PARTY.name}未取得营业执照，应优先适用《无证无照经营查处办法》。`,
    });
    expect(a.statusCode).toBe(201);
    first = a.json().id;
    const reply = await api(reviewer, 'POST', `/api/discussions/${discussionId}/comments`, {
      body: '但产品不合格是主要违法行为。',
      parentId: first,
    });
    expect(reply.statusCode).toBe(201);
    const d = (await api(legal, 'GET', `/api/discussions/${discussionId}`)).json();
    expect(d.comments.map((c: { parentId: string | null }) => c.parentId)).toEqual([null, first]);
    // What the commenter wrote about the party is masked like the packet.
    expect(d.comments[0].body).toBe('张**未取得营业执照，应优先适用《无证无照经营查处办法》。');
    const bogus = await api(poolB, 'POST', `/api/discussions/${discussionId}/comments`, {
      body: '回复',
      parentId: '00000000-0000-4000-8000-000000000000',
    });
    expect(bogus.statusCode).toBe(400);
  });

  it('notifies the users it @-mentions, and refuses to mention someone outside the discussion', async () => {
    const res = await api(poolB, 'POST', `/api/discussions/${discussionId}/comments`, {
      body: `@${reviewer.username} 请看第二十九条。`,
      mentions: [legal.id],
      parentId: first,
    });
    expect(res.statusCode).toBe(201);
    expect(new Set(res.json().mentioned)).toEqual(new Set([reviewer.id, legal.id]));
    const mine = (await api(reviewer, 'GET', '/api/discussions/mentions')).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ discussionId, read: false });
    const page = await openPage(t, reviewer, '/discussions');
    expect(page.page.body).toContain('提到我的（1 条未读）');
    await api(reviewer, 'GET', `/api/discussions/${discussionId}`);
    expect((await api(reviewer, 'GET', '/api/discussions/mentions')).json().items[0].read).toBe(true);
    const outside = await api(poolB, 'POST', `/api/discussions/${discussionId}/comments`, {
      body: `@${plainB.username} 您怎么看？`,
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.details.outside).toEqual([plainB.id]);
  });
});

describe('closing and adopting the summary', () => {
  const summary = '经探讨，多数意见认为应适用《中华人民共和国产品质量法》第四十九条。';

  it('is closed by the reviewer with a summary; later comments are refused', async () => {
    const path = `/api/discussions/${discussionId}/close`;
    expect((await api(poolB, 'POST', path, { summary })).statusCode).toBe(403);
    const res = await api(reviewer, 'POST', path, { summary });
    expect(res.statusCode).toBe(200);
    const late = await api(poolB, 'POST', `/api/discussions/${discussionId}/comments`, { body: '补充' });
    expect(late.statusCode).toBe(409);
    expect((await api(reviewer, 'POST', path, { summary })).statusCode).toBe(409);
  });

  it('is adopted by the case reviewer into a point of the opinion, which the review form then holds', async () => {
    const path = `/api/discussions/${discussionId}/adopt`;
    expect((await api(poolB, 'POST', path, { into: 'law' })).statusCode).toBe(403);
    expect((await api(reviewer, 'POST', path, { into: 'nonsense' })).statusCode).toBe(400);
    const res = await api(reviewer, 'POST', path, { into: 'law' });
    expect(res.statusCode).toBe(200);
    const task = await openTask(t, reviewer, caseId, 'Task_review');
    const { page } = await openPage(t, reviewer, `/tasks/${task.id}`);
    expect(page.statusCode).toBe(200);
    const note = /<textarea id="[^"]*" name="note_law"[^>]*>([^<]*)<\/textarea>/.exec(page.body)?.[1];
    expect(note).toBe(`【采纳疑难案例探讨意见】${summary}`);
    expect(page.body).toContain(`href="/discussions/${discussionId}"`);
  });

  it('leaves opening, comment count, summary and adoption in the case record, without party data', async () => {
    const record = (await api(legal, 'GET', `/api/cases/${caseId}/record`)).json();
    const entries = record.items.filter((r: { type: string }) => r.type.startsWith('discussion.'));
    expect(entries.map((r: { type: string }) => r.type)).toEqual([
      'discussion.opened',
      'discussion.closed',
      'discussion.adopted',
    ]);
    expect(entries[1].payload).toMatchObject({ discussionId, comments: 3, summary });
    expect(entries[2].payload).toMatchObject({ into: 'law' });
    expect(leaks(JSON.stringify(entries))).toEqual([]);
  });
});

describe('pages', () => {
  it('link the case page to the discussion and show it masked to the pool', async () => {
    const casePage = await openPage(t, reviewer, `/cases/${caseId}`);
    expect(casePage.page.body).toContain(`/discussions/new?caseId=${caseId}`);
    expect(casePage.page.body).toContain(`/discussions/${discussionId}`);
    const list = await openPage(t, poolB, '/discussions');
    expect(list.page.statusCode).toBe(200);
    expect(list.page.body).toContain('疑难案例探讨');
    const page = await openPage(t, poolB, `/discussions/${discussionId}`);
    expect(page.page.statusCode).toBe(200);
    expect(page.page.body).toContain('送审材料（脱敏副本）');
    expect(page.page.body).toContain(summary());
    expect(leaks(page.page.body)).toEqual([]);
  });

  it('open, comment on and close a discussion through the forms', async () => {
    const form = await openPage(t, reviewer, `/discussions/new?caseId=${caseId}`);
    const post = (url: string, fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url,
        cookies: form.cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: new URLSearchParams({ _csrf: form.token, ...fields }).toString(),
      });
    const opened = await post('/discussions', { caseId, question: '听证告知是否必要？' });
    expect(opened.statusCode).toBe(303);
    const id = /\/discussions\/([0-9a-f-]{36})/.exec(opened.headers.location as string)![1];
    expect((await post(`/discussions/${id}/comments`, { body: '同意。' })).statusCode).toBe(303);
    expect((await post(`/discussions/${id}/close`, { summary: '无需听证。' })).statusCode).toBe(303);
    const page = await openPage(t, reviewer, `/discussions/${id}`);
    expect(page.page.body).toContain('无需听证。');
    expect(page.page.body).toContain('同意。');
  });
});

function summary() {
  return '经探讨，多数意见认为应适用《中华人民共和国产品质量法》第四十九条。';
}
