import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { FACTS, packet } from './helpers/review.js';

let t: TestApp;
let officer: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
});
afterAll(() => t.close());

/** Logs in through the login form, as a browser would: CSRF cookie and token first. */
async function pageLogin(user: TestUser) {
  const form = await t.app.inject({ url: '/login?next=/tasks' });
  const csrfCookie = form.cookies.find((c) => c.name === 'fashen_csrf')!;
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
  const res = await t.app.inject({
    method: 'POST',
    url: '/login',
    cookies: { fashen_csrf: csrfCookie.value },
    payload: { _csrf: token, username: user.username, password: user.password, next: '/tasks' },
  });
  return {
    res,
    cookies: {
      fashen_csrf: csrfCookie.value,
      fashen_session: res.cookies.find((c) => c.name === 'fashen_session')?.value ?? '',
    },
  };
}

describe('workbench pages', () => {
  it('sends an anonymous visitor to the login page', async () => {
    const res = await t.app.inject({ url: '/tasks' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Ftasks');
  });

  it('logs in through the form and lands on the task list titled 待办', async () => {
    const { res, cookies } = await pageLogin(legal);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/tasks');
    const page = await t.app.inject({ url: '/tasks', cookies });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>待办</h1>');
    expect(page.body).toContain('受理审查');
  });

  it('refuses a login form without its CSRF token', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/login',
      payload: { username: legal.username, password: legal.password },
      headers: { accept: 'text/html' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('tells the user when the session has expired', async () => {
    const { cookies } = await pageLogin(officer);
    await t.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', officer.id)
      .execute();
    const res = await t.app.inject({ url: '/tasks', cookies });
    expect(res.headers.location).toBe('/login?next=%2Ftasks&expired=1');
    const page = await t.app.inject({ url: res.headers.location as string });
    expect(page.body).toContain('登录已过期，请重新登录');
  });
});
