import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { pageSession } from './helpers/pages.js';
import { agencyWithCase } from './helpers/review.js';

// The portal's 投诉举报 and 办理进度查询 pages, the party's satisfaction survey, and the workbench's complaint pages.
let t: TestApp;
let agencyId: string;
let legal: TestUser;
let otherLegal: TestUser;
let supervisor: TestUser;
const CODE = '91320900MA1XXXXX0X';
let caseNumber: string;
let caseId: string;

/** An anonymous browser: keeps the CSRF cookie and reads the form's token, as the portal's pages need. */
async function visitor(address: string) {
  let cookie = '';
  const keep = (res: { headers: Record<string, unknown> }) => {
    const set = res.headers['set-cookie'];
    for (const c of ([] as string[]).concat((set as string[] | string | undefined) ?? [])) {
      cookie = c.split(';')[0];
    }
  };
  const token = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return {
    async get(url: string) {
      const res = await t.app.inject({ url, headers: { cookie }, remoteAddress: address });
      keep(res);
      return res;
    },
    async post(url: string, form: Record<string, string>, from: string) {
      const payload = new URLSearchParams({ ...form, _csrf: token(from) }).toString();
      const res = await t.app.inject({
        method: 'POST',
        url,
        payload,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        remoteAddress: address,
      });
      keep(res);
      return res;
    },
  };
}

beforeAll(async () => {
  t = await createTestApp();
  const first = await agencyWithCase(t, '投诉页面测试局');
  ({ legal, caseNumber, caseId } = first);
  agencyId = first.dept.id;
  const other = await t.newDepartment({ name: '投诉页面另一局' });
  const bureau = await t.newDepartment({ name: '投诉页面司法局' });
  otherLegal = await t.newUser({ departmentId: other.id, roles: ['legal_admin'] });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
});
afterAll(() => t.close());

describe('投诉举报 on the portal', () => {
  it('refuses an incomplete form beside each field, keeping what was typed', async () => {
    const v = await visitor('10.9.0.1');
    const form = await v.get('/public/complaints');
    expect(form.statusCode).toBe(200);
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.body).toContain('投诉页面测试局');
    const res = await v.post(
      '/public/complaints',
      { departmentId: agencyId, content: '太短', name: '王五' },
      form.body,
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('有 3 处需要修改');
    expect(res.body).toContain('请选择投诉举报的是执法行为还是执法人员');
    expect(res.body).toContain('请至少用 10 个字说明投诉举报的事实和请求');
    expect(res.body).toContain('请填写有效的联系电话');
    expect(res.body).toContain('value="王五"');
    expect(await t.db.selectFrom('complaints').select('id').execute()).toHaveLength(0);
  });

  it('takes a complaint, gives the number and code once, and shows the answer to the complainant only', async () => {
    const v = await visitor('10.9.0.2');
    const form = await v.get(`/public/complaints?agency=${agencyId}`);
    const content = '执法人员在检查时未出示执法证件，也未告知陈述申辩的权利。';
    const receipt = await v.post(
      '/public/complaints',
      { departmentId: agencyId, about: 'officer', officerName: '李四', content, name: '王五', phone: '138 0013 8000' },
      form.body,
    );
    expect(receipt.statusCode, receipt.body).toBe(201);
    const number = /class="number">([^<]+)</.exec(receipt.body)?.[1] ?? '';
    const code = /class="code">([^<]+)</.exec(receipt.body)?.[1] ?? '';
    expect(number).toMatch(/^TS\d{8}-[0-9A-Z]{6}$/);
    expect(code).toMatch(/^[0-9A-Z]{8}$/);
    expect(receipt.body).toContain('已转 <b>投诉页面测试局</b> 办理');
    const saved = await t.db
      .selectFrom('complaints')
      .selectAll()
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ department_id: agencyId, about: 'officer', officer_name: '李四', content });
    expect(saved.phone).toBe('13800138000');

    // Before the answer: 办理中; a wrong code reads like a wrong number.
    const lookup = await v.post('/public/complaints/lookup', { number, code }, form.body);
    expect(lookup.statusCode).toBe(200);
    expect(lookup.body).toContain('办理中');
    const wrong = await v.post('/public/complaints/lookup', { number, code: 'AAAAAAAA' }, form.body);
    const none = await v.post('/public/complaints/lookup', { number: 'TS20260101-ZZZZZZ', code }, form.body);
    expect(wrong.statusCode).toBe(404);
    expect(none.statusCode).toBe(404);
    expect(wrong.body.replace(/value="[^"]*"/g, '')).toBe(none.body.replace(/value="[^"]*"/g, ''));

    // The agency's legal unit answers on the workbench; the justice bureau reads it with the contact masked.
    const agency = await pageSession(t, legal);
    const list = await agency.get('/complaints');
    expect(list.body).toContain(number);
    const page = await agency.get(`/complaints/${saved.id}`);
    expect(page.body).toContain('13800138000');
    const answered = await agency.post(`/complaints/${saved.id}/answer`, {
      answer: '经核查，已对李四进行批评教育并责令改正。',
    });
    expect(answered.statusCode).toBe(303);
    const bureau = await (await pageSession(t, supervisor)).get(`/complaints/${saved.id}`);
    expect(bureau.body).toContain('138****8000');
    expect(bureau.body).not.toContain('13800138000');
    expect(bureau.body).toContain('已对李四进行批评教育');
    expect(bureau.body).not.toContain('name="answer"');
    const stranger = await (await pageSession(t, otherLegal)).get(`/complaints/${saved.id}`);
    expect(stranger.statusCode).toBe(404);
    expect((await (await pageSession(t, otherLegal)).get('/complaints')).body).not.toContain(number);

    // The complainant sees the answer with the phone as well as with the code.
    const after = await v.post(
      '/public/complaints/lookup',
      { number: number.toLowerCase(), code: '13800138000' },
      form.body,
    );
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('已答复');
    expect(after.body).toContain('已对李四进行批评教育并责令改正。');
  });
});

describe('办理进度查询 and the satisfaction survey', () => {
  it('shows the stages for the right pair and answers a wrong pair like a missing case', async () => {
    const v = await visitor('10.9.0.3');
    const form = await v.get('/public/progress');
    const ok = await v.post('/public/progress', { caseNumber, partyCode: CODE.toLowerCase() }, form.body);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.body).toContain(caseNumber);
    expect(ok.body).toContain('受理审查（材料是否齐全）');
    expect(ok.body).toContain('满意度评价');
    const wrong = await v.post('/public/progress', { caseNumber, partyCode: '91320900MA1YYYYY0Y' }, form.body);
    const missing = await v.post('/public/progress', { caseNumber: 'NO-SUCH', partyCode: CODE }, form.body);
    expect(wrong.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '');
    expect(strip(wrong.body)).toBe(strip(missing.body));
    expect(wrong.body).not.toContain('满意度评价');
  });

  it('records one answer per case, the latest counting, and only for the proved pair', async () => {
    const v = await visitor('10.9.0.4');
    const form = await v.get('/public/progress');
    const page = await v.post('/public/progress', { caseNumber, partyCode: CODE }, form.body);
    const none = await v.post('/public/progress/survey', { caseNumber, partyCode: CODE }, page.body);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('请选择满意、基本满意或不满意');
    const first = await v.post(
      '/public/progress/survey',
      { caseNumber, partyCode: CODE, rating: 'dissatisfied' },
      page.body,
    );
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('感谢您的评价（不满意）');
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/public/satisfaction',
      payload: { caseNumber, partyCode: CODE, rating: 'satisfied', comment: '办理及时' },
      remoteAddress: '10.9.0.5',
    });
    expect(api.statusCode, api.body).toBe(200);
    const rows = await t.db.selectFrom('satisfaction_responses').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      case_id: caseId,
      department_id: agencyId,
      rating: 'satisfied',
      comment: '办理及时',
    });
    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/public/satisfaction',
      payload: { caseNumber, partyCode: '91320900MA1YYYYY0Y', rating: 'dissatisfied' },
      remoteAddress: '10.9.0.5',
    });
    expect(forged.statusCode).toBe(404);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/public/satisfaction',
      payload: { caseNumber, partyCode: CODE, rating: 'great' },
      remoteAddress: '10.9.0.5',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('满意度评价');
    expect((await t.db.selectFrom('satisfaction_responses').select('rating').executeTakeFirstOrThrow()).rating).toBe(
      'satisfied',
    );
  });
});
