import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { pageSession } from './helpers/pages.js';

// 领导班子名单 in the workbench: the department's legal admin keeps it (user, position, order) and sees the quorum
// a collective discussion needs; a legal admin of another department is refused.

let t: TestApp;
let departmentId: string;
let legal: TestUser;
let outsider: TestUser;
let chiefs: TestUser[];

beforeAll(async () => {
  t = await createTestApp();
  departmentId = (await t.newDepartment()).id;
  legal = await t.newUser({ departmentId, roles: ['legal_admin'] });
  chiefs = [];
  for (const position of ['局长', '副局长', '副局长']) {
    chiefs.push(await t.newUser({ departmentId, roles: ['chief'], position }));
  }
  outsider = await t.newUser({ departmentId: (await t.newDepartment()).id, roles: ['legal_admin'] });
});
afterAll(() => t.close());

describe('the leadership list page', () => {
  it('is saved by the department’s legal admin in the order given, and shows the quorum', async () => {
    const url = `/departments/${departmentId}/leaders`;
    const browser = await pageSession(t, legal);
    expect((await browser.get('/legal')).body).toContain(url);
    const empty = await browser.get(url);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('尚未设置领导班子名单');

    const [head, deputy, second] = chiefs;
    const blankPosition = await browser.post(url, {
      order: ['1', '2', ''],
      userId: [head.id, deputy.id, ''],
      position: ['局长', '', ''],
    });
    expect(blankPosition.statusCode).toBe(400);
    expect(blankPosition.body).toContain('请填写每位负责人的职务');

    // Listed out of order: the 排序 column decides.
    const saved = await browser.post(url, {
      order: ['3', '1', '2', ''],
      userId: [second.id, head.id, deputy.id, ''],
      position: ['副局长', '局长', '副局长', ''],
      // 主持工作: the radio's value is the row's number as typed (the 局长 on row 2).
      presiding: '2',
    });
    expect(saved.statusCode).toBe(303);
    const page = await browser.get(saved.headers.location as string);
    expect(page.body).toContain('已保存领导班子名单');
    expect(page.body).toContain('data-quorum="2"');
    const api = await t.app.inject({ url: `/api/departments/${departmentId}/leaders`, headers: t.as(legal) });
    expect(api.json()).toMatchObject({
      quorum: 2,
      leaders: [
        { userId: head.id, position: '局长', presiding: true },
        { userId: deputy.id, position: '副局长', presiding: false },
        { userId: second.id, position: '副局长', presiding: false },
      ],
    });
    // The saved list shows the row checked again.
    expect(page.body).toMatch(/value="1" checked aria-label="第 1 行为正职负责人或者主持工作的负责人"/);
  });

  it('refuses a legal admin of another department, to read or to save', async () => {
    const url = `/departments/${departmentId}/leaders`;
    const browser = await pageSession(t, outsider);
    const read = await browser.get(url);
    expect(read.statusCode).toBe(403);
    expect(read.body).toContain('只能查看本机关的领导班子名单');
    const write = await browser.post(url, { order: ['1'], userId: [outsider.id], position: ['局长'] });
    expect(write.statusCode).toBe(403);
    const api = await t.app.inject({
      method: 'PUT',
      url: `/api/departments/${departmentId}/leaders`,
      headers: t.as(outsider),
      payload: { leaders: [] },
    });
    expect(api.statusCode).toBe(403);
    expect(api.json().error.code).toBe('FORBIDDEN');
  });
});
