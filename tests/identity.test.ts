import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';

let t: TestApp;
let deptA: { id: string; code: string };
let deptB: { id: string; code: string };
let admin: TestUser;
let officer: TestUser;
let legalA: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  deptA = await t.newDepartment();
  deptB = await t.newDepartment();
  admin = await t.newUser({ departmentId: deptA.id, roles: ['admin'] });
  officer = await t.newUser({ departmentId: deptA.id, roles: ['officer'] });
  legalA = await t.newUser({ departmentId: deptA.id, roles: ['legal_admin'] });
  await t.newUser({ departmentId: deptB.id, roles: ['reviewer'] });
});
afterAll(() => t.close());

const login = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/session', payload: { username, password } });

describe('login', () => {
  it('returns a token that works as a bearer token and as an HttpOnly cookie', async () => {
    const res = await login(officer.username, officer.password);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'fashen_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const viaBearer = await t.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${res.json().token}` } });
    const viaCookie = await t.app.inject({ url: '/api/me', cookies: { fashen_session: cookie!.value } });
    expect(viaBearer.json().username).toBe(officer.username);
    expect(viaCookie.json().certificate.number).toMatch(/^TEST/);
  });

  it('answers a wrong password with 401 in the error shape', async () => {
    const res = await login(officer.username, 'wrong-password');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' } });
  });

  it('locks a username out after repeated failures, even for the right password', async () => {
    const victim = await t.newUser({ departmentId: deptA.id, roles: ['officer'] });
    for (let i = 0; i < t.config.LOGIN_MAX_FAILURES; i++) {
      expect((await login(victim.username, `guess-${i}`)).statusCode).toBe(401);
    }
    const locked = await login(victim.username, victim.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('ends the session on logout', async () => {
    const { token } = (await login(officer.username, officer.password)).json();
    const headers = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'DELETE', url: '/api/session', headers })).statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/me', headers });
    expect(after.statusCode).toBe(401);
  });

  it('says when a session has expired', async () => {
    const { token } = (await login(officer.username, officer.password)).json();
    await t.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('user_id', '=', officer.id)
      .execute();
    const res = await t.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('SESSION_EXPIRED');
    officer.token = (await login(officer.username, officer.password)).json().token;
  });
});

describe('access control', () => {
  it('refuses anonymous calls to protected routes', async () => {
    const res = await t.app.inject({ url: '/api/tasks' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('lets only admins create users', async () => {
    const body = {
      departmentId: deptA.id,
      username: 'new.reviewer',
      displayName: '新审核员',
      password: 'a-long-password',
      roles: ['reviewer'],
      reviewerKind: 'public_lawyer',
    };
    const denied = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.as(officer), payload: body });
    expect(denied.statusCode).toBe(403);
    const created = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.as(admin), payload: body });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      username: 'new.reviewer',
      roles: ['reviewer'],
      reviewerKind: 'public_lawyer',
    });
    const dup = await t.app.inject({ method: 'POST', url: '/api/users', headers: t.as(admin), payload: body });
    expect(dup.statusCode).toBe(409);
  });

  it('requires an enforcement certificate for officers', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: t.as(admin),
      payload: {
        departmentId: deptA.id,
        username: 'nocert',
        displayName: '无证',
        password: 'a-long-password',
        roles: ['officer'],
      },
    });
    expect(res.statusCode).toBe(400);
  });

  it('shows a legal admin the users of their own department only', async () => {
    const res = await t.app.inject({ url: `/api/users?departmentId=${deptB.id}`, headers: t.as(legalA) });
    expect(res.statusCode).toBe(200);
    const departments = new Set(res.json().map((u: { departmentId: string }) => u.departmentId));
    expect([...departments]).toEqual([deptA.id]);
  });

  it('validates bodies and answers 400 in the error shape', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/departments',
      headers: t.as(admin),
      payload: { code: '!' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('creates a department with its 机关代字, as the admin page does, and refuses a taken code', async () => {
    const create = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/departments',
        headers: t.as(admin),
        payload: { code: 'JTYS9', name: '市交通运输局', enforcementStaffCount: 60, documentAbbr: '市交' },
      });
    const res = await create();
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: 'JTYS9', documentAbbr: '市交' });
    const legalAdmin = await t.newUser({ departmentId: res.json().id, roles: ['legal_admin'] });
    const numbering = await t.app.inject({ url: '/api/document-numbering', headers: t.as(legalAdmin) });
    expect(numbering.json().abbreviation).toBe('市交');
    const again = await create();
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONFLICT');
  });

  it('refuses to start with a route that declares no access', async () => {
    const { buildApp } = await import('../server/app.js');
    const app = await buildApp({ ...t, database: t.database.handle, ownsConnections: false });
    expect(() =>
      app.get('/api/undeclared', { schema: { response: { 200: Type.Object({}) } } }, async () => ({})),
    ).toThrow(/declares no access/);
    await app.close();
  });
});

describe('service documents', () => {
  it('serves an OpenAPI 3 document listing the routes with their error responses', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/api/tasks/{id}/complete'].post.responses).toHaveProperty('409');
    expect(doc.paths['/api/session'].post.requestBody).toBeDefined();
  });

  it('reports database and Redis health', async () => {
    const res = await t.app.inject({ url: '/health' });
    expect(res.json()).toMatchObject({ status: 'ok', database: { ok: true }, redis: { ok: true } });
  });
});
