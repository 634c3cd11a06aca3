import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateQrSvg } from '../server/workbench/certificate-pages.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { openPage } from './helpers/pages.js';

const BASE = 'https://zfgs.example.gov.cn/portal';

/** Registers the user's certificate as given, replacing the one the factory made up. */
async function registerCertificate(t: TestApp, user: TestUser, number: string, validUntil = '2028-12-31') {
  await t.db
    .updateTable('users')
    .set({
      display_name: '陈亮证',
      certificate_number: number,
      certificate_domain: '城市管理',
      certificate_valid_from: '2024-01-01',
      certificate_valid_until: validUntil,
    })
    .where('id', '=', user.id)
    .execute();
}

describe('我的执法证 with PUBLIC_BASE_URL set', () => {
  let t: TestApp;
  let officer: TestUser;
  let legal: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_BASE_URL: BASE }, { clock: manualClock('2026-06-15T02:00:00Z') });
    const d = await t.newDepartment({ name: '城市管理综合行政执法局' });
    officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
    legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
    await registerCertificate(t, officer, 'cg 0101');
  });
  afterAll(() => t.close());

  it('shows the officer their certificate with its state', async () => {
    const { page } = await openPage(t, officer, '/me/certificate');
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    for (const text of ['陈亮证', '城市管理综合行政执法局', 'cg 0101', '城市管理', '2024年1月1日 至 2028年12月31日']) {
      expect(page.body).toContain(text);
    }
    expect(page.body).toContain('<span class="cert-state valid">有效</span>');
  });

  it('carries an inline SVG QR code of the public check built from PUBLIC_BASE_URL', async () => {
    const url = `${BASE}/public/certificates/CG0101`;
    const { page } = await openPage(t, officer, '/me/certificate');
    expect(page.body).toContain(`<a href="${url}">${url}</a>`);
    expect(page.body).toMatch(/<svg[^>]* xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    // What the code decodes to is checked in Chromium (tests/e2e/certificate.test.ts).
    expect(page.body).toContain(certificateQrSvg(url));
  });

  it('opens the public check the QR code points at', async () => {
    const res = await t.app.inject({ url: '/public/certificates/CG0101' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('陈亮证');
  });

  it('puts 我的执法证 in the navigation of officers only', async () => {
    expect((await openPage(t, officer, '/tasks')).page.body).toContain('<a href="/me/certificate"');
    expect((await openPage(t, legal, '/tasks')).page.body).not.toContain('<a href="/me/certificate"');
  });

  it('tells a user without a certificate that none is registered', async () => {
    const { page } = await openPage(t, legal, '/me/certificate');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('未登记执法证件');
    expect(page.body).not.toContain('<svg');
  });

  it('sends an anonymous visitor to the login page', async () => {
    const res = await t.app.inject({ url: '/me/certificate' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fme%2Fcertificate');
  });
});

describe('我的执法证 without PUBLIC_BASE_URL', () => {
  const clock = manualClock('2026-06-15T02:00:00Z');
  let t: TestApp;
  let officer: TestUser;

  beforeAll(async () => {
    t = await createTestApp({}, { clock });
    const d = await t.newDepartment();
    officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
    await registerCertificate(t, officer, 'CG0202', '2026-06-30');
  });
  afterAll(() => t.close());

  it('encodes the origin the page was requested at', async () => {
    const url = 'http://zf.example.test:8080/public/certificates/CG0202';
    const page = await t.app.inject({
      url: '/me/certificate',
      headers: { host: 'zf.example.test:8080', accept: 'text/html' },
      cookies: { fashen_session: officer.token },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<a href="${url}">${url}</a>`);
    expect(page.body).toContain(certificateQrSvg(url));
  });

  it('warns the officer once the certificate has expired (Shanghai date)', async () => {
    clock.set('2026-06-30T16:30:00Z'); // 00:30 on 1 July in Shanghai
    const { page } = await openPage(t, officer, '/me/certificate');
    expect(page.body).toContain('<span class="cert-state other">已过期</span>');
    expect(page.body).toContain('证件目前不在有效期内');
    expect(page.body).toContain('（截至 2026年7月1日）');
  });
});
