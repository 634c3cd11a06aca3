import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { workflowFile } from './helpers/flows.js';
import { importLaws, latestOfEach } from './helpers/laws.js';

// The catalogues the project ships (the departments' sample flows) are published on the portal and print their
// items' legal bases: each basis must resolve to an article in force in the law library. A department rule the
// library does not hold can only be named, and is warned of as not held (未收录) — never as a wrong article.
let t: TestApp;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  legal = await t.newUser({ departmentId: (await t.newDepartment()).id, roles: ['legal_admin'] });
  await importLaws(t, /\/(行政处罚法|行政许可法|行政强制法|环境保护法|排污许可管理条例)\(/, { versions: latestOfEach });
});
afterAll(() => t.close());

async function warnings(file: string): Promise<string[]> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/modeler/check',
    headers: t.as(legal),
    payload: { xml: await workflowFile(file) },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().warnings.map((w: { message: string }) => w.message);
}

describe('the legal bases of the shipped catalogues', () => {
  it('生态环境: every item cites an article in force (the repealed 环境行政处罚办法 is not cited)', async () => {
    expect(await warnings('legal-review-sthj.bpmn')).toEqual([]);
    expect(await workflowFile('legal-review-sthj.bpmn')).not.toContain('《环境行政处罚办法》');
  });

  it('市场监管: only the rules the library does not hold are warned of, as not held', async () => {
    const messages = await warnings('legal-review-scjg.bpmn');
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages)
      expect(m).toMatch(/《市场监督管理行政处罚(程序规定|听证办法)》.*法律法规库中(也)?没有这部法律法规/);
  });
});
