import { expect } from 'vitest';
import type { TestApp, TestUser } from './app.js';

export const html = { accept: 'text/html' };

/** Opens a page as a signed-in browser would, keeping the CSRF cookie and token its forms carry. */
export async function openPage(t: TestApp, user: Pick<TestUser, 'token'>, url: string) {
  const page = await t.app.inject({ url, headers: html, cookies: { fashen_session: user.token } });
  const csrf = page.cookies.find((c) => c.name === 'fashen_csrf')?.value ?? '';
  const token = /name="csrf-token" content="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return { page, cookies: { fashen_session: user.token, fashen_csrf: csrf }, token };
}

/**
 * A signed-in browser as app.inject sees it: the session and CSRF cookies, and the CSRF token of the last
 * page read, sent with the next form.
 */
export async function pageSession(t: TestApp, user: TestUser) {
  const form = await t.app.inject({ url: '/login' });
  const csrfCookie = form.cookies.find((c) => c.name === 'fashen_csrf')!.value;
  let token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
  const login = await t.app.inject({
    method: 'POST',
    url: '/login',
    cookies: { fashen_csrf: csrfCookie },
    payload: { _csrf: token, username: user.username, password: user.password, next: '/' },
  });
  const session = login.cookies.find((c) => c.name === 'fashen_session')!.value;
  const cookies = { fashen_csrf: csrfCookie, fashen_session: session };
  const remember = (body: string) => {
    const m = /name="csrf-token" content="([^"]+)"/.exec(body);
    if (m) token = m[1];
  };
  return {
    async get(url: string) {
      const res = await t.app.inject({ url, cookies, headers: { accept: 'text/html' } });
      remember(res.body);
      // A template that calls a helper where it meant a property prints this; no page may.
      expect(res.body).not.toContain('[object Object]');
      return res;
    },
    /** Posts a form as the browser would (urlencoded; repeated names for lists). */
    async post(url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
      const body = new URLSearchParams();
      body.append('_csrf', token);
      for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
      const res = await t.app.inject({
        method: 'POST',
        url,
        cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
        payload: body.toString(),
      });
      remember(res.body);
      return res;
    },
    cookies,
    get token() {
      return token;
    },
  };
}

/** The packet form's fields for a case under catalogue item C-01 (a company fined 64 000 yuan). */
export function packetForm(overrides: Record<string, string | string[]> = {}) {
  return {
    caseNumber: `YC-${Math.floor(Math.random() * 1e9)}`,
    title: '某某贸易有限公司销售不合格产品案',
    category: 'penalty',
    partyType: 'organization',
    partyName: '某某贸易有限公司',
    partyIdCode: '91320900MA1XXXXX0X',
    partyAddress: '盐城市亭湖区某路1号',
    factsFound: '经查，当事人销售不合格电热水壶共计320台，货值金额六万四千元。',
    evidenceName: ['现场检查笔录', '抽样检验报告', ''],
    evidenceDescription: ['', '检验结论：不合格', ''],
    basisLaw: ['《中华人民共和国产品质量法》'],
    basisArticle: ['第四十九条'],
    discretionBenchmark: '《市场监管行政处罚裁量基准》产品质量类第3项',
    discretionPosition: '货值金额1倍',
    proposedDecision: '没收不合格产品，并处罚款六万四千元。',
    hearingHeld: 'false',
    materials: ['拟作出的行政执法决定书（代拟稿）', '案件调查终结报告', '证据材料目录及证据'],
    attestedBy: 'officer',
    attestationStatement: '本人承诺所报送材料真实、准确、完整。',
    amount: '64000',
    measure: 'fine',
    ...overrides,
  };
}
