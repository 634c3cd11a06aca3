import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestApp } from './helpers/app.js';
import { html } from './helpers/pages.js';

// 10:00 in Shanghai on 15 June 2026.
const clock = manualClock('2026-06-15T02:00:00Z');
let t: TestApp;
let agency: { id: string; code: string };

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  agency = await t.newDepartment({ name: '市场监督管理局证件测试' });
});
afterAll(() => t.close());

interface Certificate {
  number: string;
  name?: string;
  domain?: string;
  validFrom?: string;
  validUntil?: string;
  active?: boolean;
  departmentId?: string;
}

/** An officer whose certificate is registered as given (the factory's own certificate replaced). */
async function holder(c: Certificate) {
  const user = await t.newUser({ departmentId: c.departmentId ?? agency.id, roles: ['officer'] });
  await t.db
    .updateTable('users')
    .set({
      display_name: c.name ?? '李执法',
      certificate_number: c.number,
      certificate_domain: c.domain ?? '市场监管',
      certificate_valid_from: c.validFrom ?? '2024-01-01',
      certificate_valid_until: c.validUntil ?? '2028-12-31',
      active: c.active ?? true,
    })
    .where('id', '=', user.id)
    .execute();
  return user;
}

const lookUp = (number: string) => t.app.inject({ url: `/api/public/certificates/${encodeURIComponent(number)}` });

describe('the public certificate check (JSON)', () => {
  it('answers a valid certificate with holder, agency, domain and validity, and nothing more personal', async () => {
    await holder({ number: 'SC11010001', name: '张明', domain: '食品安全' });
    const res = await lookUp('SC11010001');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const body = res.json();
    expect(body).toEqual({
      number: 'SC11010001',
      state: 'valid',
      stateLabel: '有效',
      checkedOn: '2026-06-15',
      agency: { id: agency.id, name: '市场监督管理局证件测试' },
      holderName: '张明',
      domain: '食品安全',
      validFrom: '2024-01-01',
      validUntil: '2028-12-31',
    });
    expect(res.body).not.toMatch(/username|roles|officer|password|phone/);
  });

  it('finds a number typed with spaces, lower-case letters and full-width characters', async () => {
    await holder({ number: 'ZF 3301-0002', name: '王静' });
    for (const typed of ['ZF3301-0002', ' zf 3301 - 0002 ', 'ｚｆ３３０１－０００２']) {
      const res = await lookUp(typed);
      expect(res.statusCode, typed).toBe(200);
      expect(res.json()).toMatchObject({ number: 'ZF 3301-0002', holderName: '王静' });
    }
  });

  it('finds a number registered with full-width characters by its ordinary spelling', async () => {
    await holder({ number: 'ＱＷ　７７０１', name: '赵全角' });
    const res = await lookUp('qw7701');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ number: 'ＱＷ　７７０１', holderName: '赵全角' });
  });

  it('says 已过期 once the Shanghai date is past the last valid day, not by the UTC date', async () => {
    await holder({ number: 'EXP20260630', validUntil: '2026-06-30' });
    try {
      clock.set('2026-06-30T15:59:00Z'); // 23:59 on 30 June in Shanghai: the last valid minute
      expect((await lookUp('EXP20260630')).json()).toMatchObject({ state: 'valid', checkedOn: '2026-06-30' });
      clock.set('2026-06-30T16:01:00Z'); // 00:01 on 1 July in Shanghai, still 30 June in UTC
      expect((await lookUp('EXP20260630')).json()).toMatchObject({ state: 'expired', stateLabel: '已过期' });
    } finally {
      clock.set('2026-06-15T02:00:00Z');
    }
  });

  it('says 尚未生效 before the first valid day', async () => {
    await holder({ number: 'NEW20260701', validFrom: '2026-07-01', validUntil: '2031-06-30' });
    expect((await lookUp('NEW20260701')).json()).toMatchObject({
      state: 'not_yet_valid',
      stateLabel: '尚未生效',
      validFrom: '2026-07-01',
    });
  });

  it("shows a departed officer's certificate as 已失效 with agency and number only", async () => {
    await holder({ number: 'LEFT0001', name: '赵离职', active: false });
    const res = await lookUp('LEFT0001');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      number: 'LEFT0001',
      state: 'revoked',
      stateLabel: '已失效',
      checkedOn: '2026-06-15',
      agency: { id: agency.id, name: '市场监督管理局证件测试' },
    });
  });

  it('prefers the active holder when a departed colleague was registered with the same number', async () => {
    await holder({ number: 'DUP0001', name: '钱旧', active: false });
    await holder({ number: 'DUP0001', name: '孙新' });
    expect((await lookUp('DUP0001')).json()).toMatchObject({ state: 'valid', holderName: '孙新' });
  });

  it('answers 404 in the error shape for a number no one is registered under', async () => {
    const res = await lookUp('NOSUCH999');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'NOT_FOUND', message: '本系统未登记该执法证号', details: { number: 'NOSUCH999' } },
    });
  });

  it("does not find a certificate registered to a justice bureau's staff (not on the portal)", async () => {
    const bureau = await t.newDepartment();
    await t.db.updateTable('departments').set({ kind: 'justice_bureau' }).where('id', '=', bureau.id).execute();
    await holder({ number: 'SFJ0001', departmentId: bureau.id });
    expect((await lookUp('SFJ0001')).statusCode).toBe(404);
  });

  it('refuses a malformed number with 400 before looking it up', async () => {
    for (const bad of ['<script>', 'A'.repeat(65), 'A'.repeat(41), "1' OR '1'='1", '   ']) {
      const res = await lookUp(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('the public certificate pages', () => {
  it('links the certificate search from the portal header', async () => {
    const home = await t.app.inject({ url: '/public' });
    expect(home.body).toContain('<a href="/public/certificates">执法证件查询</a>');
    const page = await t.app.inject({ url: '/public/certificates' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form class="search" method="get" action="/public/certificates"');
    expect(page.body).not.toContain('查询结果');
  });

  it('shows a searched certificate with its holder, agency link, domain, validity and state', async () => {
    await holder({ number: 'PG0001', name: '周亮证', domain: '特种设备安全', validUntil: '2027-03-31' });
    const page = await t.app.inject({ url: '/public/certificates?number=pg%200001' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('public, max-age=60');
    expect(page.body).toContain('周亮证');
    expect(page.body).toContain(`<a href="/public/agencies/${agency.id}">市场监督管理局证件测试</a>`);
    expect(page.body).toContain('特种设备安全');
    expect(page.body).toContain('2024年1月1日 至 2027年3月31日');
    expect(page.body).toContain('<span class="cert-state valid">有效</span>');
  });

  it("opens a certificate's own page by its number, as the officer's QR code does", async () => {
    await holder({ number: 'PG0002', name: '吴扫码', validUntil: '2025-12-31' });
    const page = await t.app.inject({ url: '/public/certificates/PG0002' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('吴扫码');
    expect(page.body).toContain('<span class="cert-state other">已过期</span>');
    expect(page.body).toContain('不得凭此证从事行政执法活动');
  });

  it("hides a departed officer's name on the page and says the certificate is no longer valid", async () => {
    await holder({ number: 'PG0003', name: '郑已离岗', active: false });
    const page = await t.app.inject({ url: '/public/certificates/PG0003' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已失效');
    expect(page.body).toContain('PG0003');
    expect(page.body).toContain('市场监督管理局证件测试');
    expect(page.body).not.toContain('郑已离岗');
    expect(page.body).not.toContain('市场监管');
  });

  it('says plainly that an unknown number is not registered, and whom to ask', async () => {
    const direct = await t.app.inject({ url: '/public/certificates/XX404', headers: html });
    expect(direct.statusCode).toBe(404);
    expect(direct.headers['cache-control']).toBe('no-store');
    expect(direct.body).toContain('本系统未登记执法证号为“XX404”的执法证件');
    expect(direct.body).toContain('12345');
    const searched = await t.app.inject({ url: '/public/certificates?number=xx404' });
    expect(searched.statusCode).toBe(200);
    expect(searched.body).toContain('本系统未登记执法证号为“XX404”的执法证件');
  });

  it('answers a malformed number with a hint instead of a lookup', async () => {
    const page = await t.app.inject({ url: `/public/certificates/${encodeURIComponent('<b>x</b>')}` });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('证号格式不正确');
    expect(page.body).not.toContain('<b>x</b>');
  });

  it("links each officer's certificate number on the agency page to its check", async () => {
    await holder({ number: 'LINK 0001', name: '冯链接' });
    const page = await t.app.inject({ url: `/public/agencies/${agency.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a href="/public/certificates/LINK0001">LINK 0001</a>');
  });
});
