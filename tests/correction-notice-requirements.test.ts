import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { caseOf, completeStep, documentText, FACTS, openTask, packet } from './helpers/review.js';

// The 补正材料通知书 tells the handling unit, item by item, what to correct: what the acceptance check wrote after
// “材料名称：”, or, for an item it wrote nothing for, what the case lets one say truly. packet() declares
// 拟作出的行政执法决定书（代拟稿）, 案件调查终结报告 and 证据材料目录及证据, with the evidence 现场检查笔录 and 抽样检验报告.
let t: TestApp;
let officer: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

async function submitted() {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(), facts: FACTS },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json().caseId as string;
}

/** The rows of the notice's table, each as 材料名称 and 补正要求 (documentText writes each cell as a paragraph). */
async function rows(caseId: string) {
  const text = await documentText(t, officer, caseId, 'correction_notice');
  const lines = text.split('\n').map((l) => l.trim());
  const head = lines.indexOf('补正要求');
  const table: [string, string][] = [];
  for (let i = head + 1; /^\d+$/.test(lines[i] ?? ''); i += 3) table.push([lines[i + 1], lines[i + 2]]);
  return { text, table };
}

async function accept(caseId: string, missing: string) {
  const task = await openTask(t, legal, caseId, 'Task_accept');
  return t.app.inject({
    method: 'POST',
    url: `/api/tasks/${task.id}/complete`,
    headers: t.as(legal),
    payload: { complete: false, missing },
  });
}

describe('the 补正要求 of the 补正材料通知书', () => {
  it('prints the requirement written after the material’s name, with a Chinese or an ASCII colon', async () => {
    const caseId = await submitted();
    await completeStep(t, legal, caseId, 'Task_accept', {
      complete: false,
      missing: '现场检查笔录：缺少当事人签名，请补充签名或注明拒签情况\n案件调查终结报告: 未经承办机构负责人签署',
    });
    const { text, table } = await rows(caseId);
    expect(table).toEqual([
      ['现场检查笔录', '缺少当事人签名，请补充签名或注明拒签情况'],
      ['案件调查终结报告', '未经承办机构负责人签署'],
    ]);
    expect(text).not.toContain('请按要求补充提交');
  });

  it('says a material the packet does not hold, listed without a requirement, was not submitted', async () => {
    const caseId = await submitted();
    await completeStep(t, legal, caseId, 'Task_accept', {
      complete: false,
      missing: '检验机构资质认定证书\n听证告知书送达回证：原件',
    });
    expect((await rows(caseId)).table).toEqual([
      ['检验机构资质认定证书', '未提交，请补充提交'],
      ['听证告知书送达回证', '原件'],
    ]);
  });

  it('refuses a submitted material listed without a requirement, naming it, in the standard error shape', async () => {
    const caseId = await submitted();
    const res = await accept(caseId, '检验机构资质认定证书\n案件调查终结报告');
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('FORM_INVALID');
    expect(typeof error.message).toBe('string');
    expect(error.details.fields).toEqual([
      {
        field: 'missing',
        message: '《案件调查终结报告》已在送审材料中，请写明其需补正之处（格式：材料名称：补正要求）',
      },
    ]);
    const c = await caseOf(t, officer, caseId);
    expect(c.status).toBe('accepting');
    expect(c.documents).toEqual([]);
  });

  it('counts the packet’s evidence as submitted, and a name that only contains a submitted one', async () => {
    const caseId = await submitted();
    const exact = await accept(caseId, '现场检查笔录');
    expect(exact.statusCode).toBe(400);
    expect(exact.json().error.details.fields[0].message).toContain('《现场检查笔录》已在送审材料中');
    // The original of the sampling report may be what the packet lists as 抽样检验报告: the notice must not say it
    // was not submitted unless the reviewer says so.
    const near = await accept(caseId, '《抽样检验报告》原件');
    expect(near.statusCode).toBe(400);
    expect(near.json().error.details.fields[0].message).toContain('可能即送审材料中的《抽样检验报告》');
    await completeStep(t, legal, caseId, 'Task_accept', { complete: false, missing: '抽样检验报告原件：未提交原件' });
    expect((await rows(caseId)).table).toEqual([['抽样检验报告原件', '未提交原件']]);
  });

  it('counts an uploaded file as submitted', async () => {
    const caseId = await submitted();
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
      'base64',
    );
    const boundary = 'x-boundary';
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/attachments`,
      headers: { ...t.as(officer), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: Buffer.concat([
        Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="现场照片.png"\r\n`),
        Buffer.from('content-type: image/png\r\n\r\n'),
        png,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
    });
    expect(up.statusCode, up.body).toBe(201);
    const res = await accept(caseId, '现场照片');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].message).toContain('《现场照片》已在送审材料中');
  });
});
