import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, trustProxyOption } from '../server/config.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';

// app.inject connects from 127.0.0.1: the proxy, when TRUST_PROXY names it.
const behindProxy: { t?: TestApp; user?: TestUser } = {};
const direct: { t?: TestApp; user?: TestUser } = {};

beforeAll(async () => {
  for (const [setup, overrides] of [
    [behindProxy, { TRUST_PROXY: '127.0.0.1', LOGIN_MAX_FAILURES: 1 }],
    [direct, { LOGIN_MAX_FAILURES: 1 }],
  ] as const) {
    setup.t = await createTestApp(overrides);
    const d = await setup.t.newDepartment();
    setup.user = await setup.t.newUser({ departmentId: d.id, roles: ['officer'] });
  }
});
afterAll(async () => {
  await behindProxy.t?.close();
  await direct.t?.close();
});

const login = (t: TestApp, username: string, password: string, client: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/session',
    headers: { 'x-forwarded-for': client },
    payload: { username, password },
  });

/** One client guesses until its address is locked out (4 × LOGIN_MAX_FAILURES failures, each a new name). */
async function lockOut(t: TestApp, client: string) {
  for (let i = 0; i < 4; i++) expect((await login(t, `nobody-${client}-${i}`, 'guess', client)).statusCode).toBe(401);
}

describe('TRUST_PROXY', () => {
  it('throttles logins per client behind a trusted proxy, not per proxy', async () => {
    const { t, user } = behindProxy as Required<typeof behindProxy>;
    await lockOut(t, '203.0.113.7');
    expect((await login(t, user.username, user.password, '203.0.113.7')).statusCode).toBe(429);
    expect((await login(t, user.username, user.password, '203.0.113.8')).statusCode).toBe(200);
  });

  it('ignores forwarded addresses when no proxy is trusted, so one client cannot pose as many', async () => {
    const { t, user } = direct as Required<typeof direct>;
    await lockOut(t, '203.0.113.7');
    expect((await login(t, user.username, user.password, '203.0.113.8')).statusCode).toBe(429);
  });

  it('takes the scheme and host the proxy forwards for absolute URLs', async () => {
    const { t, user } = behindProxy as Required<typeof behindProxy>;
    const page = await t.app.inject({
      url: '/me/certificate',
      headers: { accept: 'text/html', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'zfgs.example.gov.cn' },
      cookies: { fashen_session: user.token },
    });
    expect(page.body).toContain('https://zfgs.example.gov.cn/public/certificates/');
  });

  it('accepts true, a hop count or addresses and ranges, and refuses anything else naming the variable', () => {
    for (const v of ['true', '1', '127.0.0.1', '10.0.0.0/8, 127.0.0.1', '::1']) {
      expect(loadConfig({ TRUST_PROXY: v }).TRUST_PROXY).toBe(v);
    }
    const twoHops = trustProxyOption('2') as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => twoHops('10.0.0.1', hop))).toEqual([true, true, false]);
    expect(trustProxyOption(undefined)).toBe(false);
    for (const v of ['yes', '0', '127.0.0.1;rm', 'localhost']) {
      expect(() => loadConfig({ TRUST_PROXY: v }), v).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: v }), v).toThrow(/TRUST_PROXY/);
    }
  });
});
