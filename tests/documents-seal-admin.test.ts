import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redSealPng } from '../server/documents/testing/seal-png.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { multipartBody } from './helpers/multipart.js';
import { html, openPage } from './helpers/pages.js';

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const home = await t.newDepartment();
  admin = await t.newUser({ departmentId: home.id, roles: ['admin'] });
});
afterAll(() => t.close());

const SEAL = redSealPng(240);

async function uploadThroughForm(departmentId: string, content: Buffer, withToken = true) {
  const { cookies, token } = await openPage(t, admin, `/admin/departments/${departmentId}`);
  const form = multipartBody(withToken ? [['_csrf', token]] : [], [
    { field: 'file', fileName: '印章.png', type: 'image/png', content },
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/admin/departments/${departmentId}/seal`,
    cookies,
    headers: { ...html, 'content-type': form.contentType },
    payload: form.body,
  });
}

describe('the seal on the department page', () => {
  it('uploads a seal, shows its preview, and removes it', async () => {
    const dept = await t.newDepartment();
    const before = await openPage(t, admin, `/admin/departments/${dept.id}`);
    expect(before.page.body).toContain('文书印章');
    expect(before.page.body).toContain('尚未上传印章');

    const saved = await uploadThroughForm(dept.id, SEAL);
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe(`/admin/departments/${dept.id}?seal=saved#seal`);
    const after = await openPage(t, admin, `/admin/departments/${dept.id}?seal=saved`);
    expect(after.page.body).toContain('已保存印章');
    const src = /<img src="([^"]+)" alt="[^"]*的印章"/.exec(after.page.body)?.[1];
    expect(src).toBe(`/api/departments/${dept.id}/seal`);
    expect(after.page.body).toContain('240×240 像素');
    const preview = await t.app.inject({ url: src!, cookies: { fashen_session: admin.token } });
    expect(preview.rawPayload.equals(SEAL)).toBe(true);

    const removed = await t.app.inject({
      method: 'POST',
      url: `/admin/departments/${dept.id}/seal/delete`,
      cookies: after.cookies,
      headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([['_csrf', after.token]]).toString(),
    });
    expect(removed.statusCode).toBe(303);
    expect((await openPage(t, admin, `/admin/departments/${dept.id}?seal=removed`)).page.body).toContain('已删除印章');
    expect((await t.app.inject({ url: src!, cookies: { fashen_session: admin.token } })).statusCode).toBe(404);
  });

  it('shows why a file was refused on the page, and keeps the seal it had', async () => {
    const dept = await t.newDepartment();
    expect((await uploadThroughForm(dept.id, SEAL)).statusCode).toBe(303);
    const refused = await uploadThroughForm(dept.id, Buffer.from('GIF89a not a seal'));
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/text\/html/);
    expect(refused.body).toContain('印章图片应为 PNG 格式');
    expect(refused.body).toContain('<img src="/api/departments/');
  });

  it('refuses an upload without the form’s CSRF token', async () => {
    const dept = await t.newDepartment();
    const res = await uploadThroughForm(dept.id, SEAL, false);
    expect(res.statusCode).toBe(403);
    const page = await openPage(t, admin, `/admin/departments/${dept.id}`);
    expect(page.page.body).toContain('尚未上传印章');
  });
});
