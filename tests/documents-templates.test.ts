import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataOf } from '../server/documents/samples.js';
import { getDocument, issueDocument } from '../server/documents/service.js';
import { docxPart } from '../server/documents/testing/unzip.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';

let t: TestApp;
let deptA: { id: string; code: string };
let legalA: TestUser;
let officerA: TestUser;
let legalB: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  deptA = await t.newDepartment();
  const deptB = await t.newDepartment();
  legalA = await t.newUser({ departmentId: deptA.id, roles: ['legal_admin'] });
  officerA = await t.newUser({ departmentId: deptA.id, roles: ['officer'] });
  legalB = await t.newUser({ departmentId: deptB.id, roles: ['legal_admin'] });
});
afterAll(() => t.close());

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const text = (user: TestUser) => ({ ...t.as(user), 'content-type': 'text/plain; charset=utf-8' });
const OVERRIDE =
  '# {{department.name}}\n# 本机关自定义意见书\n[center]{{number}}\n\n结论：**{{conclusion}}**\n[right]{{cnDate issuedOn}}\n';

describe('department templates', () => {
  it('lists the kinds with their variables and whether the department has its own template', async () => {
    const res = await t.app.inject({ url: '/api/templates', headers: t.as(officerA) });
    expect(res.statusCode).toBe(200);
    const list = res.json();
    expect(list.map((k: { kind: string }) => k.kind)).toEqual([
      'review_opinion',
      'correction_notice',
      'coordination_record',
      'chief_decision',
      'supervision_opinion',
      'rectification_notice',
      'transfer_notice',
      'collective_record',
      'penalty_notice',
      'hearing_notice',
      'service_receipt',
    ]);
    expect(list[0]).toMatchObject({ name: '法制审核意见书', numberSuffix: '法审', override: null });
    expect(list[0].variables).toContainEqual(expect.objectContaining({ name: 'case.party', type: 'string' }));
  });

  it('lets only a legal administrator upload a template', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/templates/review_opinion',
      headers: text(officerA),
      payload: OVERRIDE,
    });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a broken template with the line of the mistake, and keeps the template in effect', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/templates/review_opinion',
      headers: text(legalA),
      payload: '# 标题\n\n当事人：{{case.pary}}\n',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '模板错误：变量 case.pary 不存在（第 3 行）',
      details: { kind: 'review_opinion', problems: [{ line: 3 }] },
    });
    const current = await t.app.inject({ url: '/api/templates/review_opinion', headers: t.as(legalA) });
    expect(current.json()).toMatchObject({ origin: 'standard' });
  });

  it('stores a department override that the department sees and uses, and another department does not', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/templates/review_opinion',
      headers: text(legalA),
      payload: OVERRIDE,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ origin: 'department', updatedBy: legalA.id });

    const mine = await t.app.inject({ url: '/api/templates/review_opinion', headers: t.as(officerA) });
    expect(mine.json()).toMatchObject({ origin: 'department', source: OVERRIDE });
    const theirs = await t.app.inject({ url: '/api/templates/review_opinion', headers: t.as(legalB) });
    expect(theirs.json().origin).toBe('standard');
    expect(theirs.json().source).toContain('重大执法决定法制审核意见书');
    const list = await t.app.inject({ url: '/api/templates', headers: t.as(officerA) });
    expect(list.json()[0].override).toMatchObject({ updatedBy: legalA.id });

    const issued = await t.db.transaction().execute((trx) =>
      issueDocument(trx, t.app.documentTemplates, {
        kind: 'review_opinion',
        data: sampleDataOf('review_opinion'),
        departmentId: deptA.id,
        caseId: null,
        createdBy: legalA.id,
        at: new Date('2026-11-25T02:00:00Z'),
      }),
    );
    expect(docxPart((await getDocument(t.db, issued.id))!.content)).toContain('本机关自定义意见书');
  });

  it('previews an uploaded source, or the template in effect when the body is empty, as a .docx', async () => {
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/templates/correction_notice/preview',
      headers: text(legalA),
      payload: '# 预览标题\n请于{{cnDate dueDate}}前补正。\n',
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-type']).toBe(DOCX);
    expect(preview.headers['content-disposition']).toMatch(/filename\*=UTF-8''/);
    expect(docxPart(preview.rawPayload)).toContain('请于2026年12月2日前补正。');

    const current = await t.app.inject({
      method: 'POST',
      url: '/api/templates/review_opinion/preview',
      headers: t.as(legalA),
    });
    expect(current.statusCode).toBe(200);
    expect(docxPart(current.rawPayload)).toContain('本机关自定义意见书');
  });

  it('reports template errors at preview time too, and refuses preview to others than legal administrators', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/templates/review_opinion/preview',
      headers: text(legalA),
      payload: '# 标题\n{{#if suggestions}}\n建议\n',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toBe('模板错误：块 {{#if}} 没有结束标记 {{/if}}（第 2 行）');
    const forbidden = await t.app.inject({
      method: 'POST',
      url: '/api/templates/review_opinion/preview',
      headers: text(officerA),
      payload: OVERRIDE,
    });
    expect(forbidden.statusCode).toBe(403);
  });

  it('goes back to the standard template on DELETE', async () => {
    const del = await t.app.inject({ method: 'DELETE', url: '/api/templates/review_opinion', headers: t.as(legalA) });
    expect(del.statusCode).toBe(204);
    const current = await t.app.inject({ url: '/api/templates/review_opinion', headers: t.as(legalA) });
    expect(current.json().origin).toBe('standard');
  });

  it('describes the template and document routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    expect(doc.paths['/api/templates/{kind}'].put.requestBody.content).toHaveProperty('text/plain');
    expect(doc.paths['/api/templates/{kind}/preview'].post.responses['200'].content).toHaveProperty(DOCX);
    expect(doc.paths['/api/documents/{id}'].get.responses['200'].content).toHaveProperty(DOCX);
    expect(doc.paths['/api/templates/{kind}'].put.responses).toHaveProperty('400');
  });
});
