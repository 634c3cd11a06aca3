import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { docxEntries } from './helpers/docx-zip.js';
import { pageSession } from './helpers/pages.js';
import { supervisedCase } from './helpers/supervision.js';

// What the justice bureau's two signed documents say: the deadline and what it is counted from, the basis of the
// supervision and the rule breached each in its own words, and a due date counted Monday–Friday said to be so.
const START = '2026-11-25T02:00:00Z'; // Wednesday; 2026's holiday notice is loaded, 2027's is not
const clock = manualClock(START);
let t: TestApp;
let agency: { id: string };
let bureau: { id: string };
let legal: TestUser;
let supervisor: TestUser;
let caseId: string;

const BASIS = '《中华人民共和国行政处罚法》第七十五条';
const BREACHED = '《中华人民共和国行政处罚法》第五十八条';
const ITEM = {
  subject: '未经法制审核作出重大执法决定',
  findings: '该案属于重大执法决定目录清单所列事项，未经法制审核即作出行政处罚决定。',
  requirements: '对该行政处罚决定进行法制审核，审核未通过的依法予以纠正。',
  supervisionBasis: BASIS,
  breachedRules: BREACHED,
  workingDays: 10,
};

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  ({ agency, bureau, legal, supervisor, caseId } = await supervisedCase(t, '文书测试'));
});
afterAll(() => t.close());
afterEach(() => clock.set(START));

async function issue(payload: Record<string, unknown>) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/supervision/opinions',
    headers: t.as(supervisor),
    payload,
  });
  return res;
}

/** The signed document's text, one paragraph a line, as the agency downloads it. */
async function documentText(itemId: string) {
  const file = await t.app.inject({ url: `/api/supervision/opinions/${itemId}/document`, headers: t.as(legal) });
  expect(file.statusCode).toBe(200);
  // To look at the pages (soffice --convert-to pdf): DUMP_DOCUMENTS=<dir> keeps each document read here.
  if (process.env.DUMP_DOCUMENTS) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${process.env.DUMP_DOCUMENTS}/supervision-${itemId.slice(0, 8)}.docx`, file.rawPayload);
  }
  const xml = (await docxEntries(file.rawPayload)).get('word/document.xml')!.toString('utf8');
  return xml.replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');
}

async function issued(payload: Record<string, unknown>) {
  const res = await issue(payload);
  expect(res.statusCode, res.body).toBe(201);
  return { item: res.json(), text: await documentText(res.json().id) };
}

describe('the deadline the documents state', () => {
  it('counts the opinion from the day it is issued, and says so', async () => {
    const { item, text } = await issued({ ...ITEM, kind: 'opinion', caseId });
    expect(item.dueAt).toMatch(/^2026-12-09T15:59:59/);
    expect(text).toContain('请你单位自本意见书发出之日起十个工作日内（2026年12月9日前）认真研究办理');
    expect(text).not.toContain('收到');
    expect(text).not.toContain('暂按周一至周五');
  });

  it('counts the correction notice from the day it is issued, in the same words', async () => {
    const { text } = await issued({ ...ITEM, kind: 'correction', departmentId: agency.id });
    expect(text).toContain('请你单位自本通知书发出之日起十个工作日内（2026年12月9日前）纠正完毕');
    expect(text).not.toContain('收到');
  });

  it('says the issue form counts from the day of issue, and the item page too', async () => {
    const boss = await pageSession(t, supervisor);
    expect((await boss.get(`/supervision/new?caseId=${caseId}`)).body).toContain('期限自发出之日起按工作日计算');
    const { item } = await issued({ ...ITEM, kind: 'opinion', caseId });
    expect((await boss.get(`/supervision/${item.id}`)).body).toContain('自发出之日起 10 个工作日');
  });

  it('prints a due date counted Monday–Friday with a note that it is provisional', async () => {
    // Monday 28 December 2026: the tenth working day falls in 2027, whose holiday notice is not loaded.
    clock.set('2026-12-28T02:00:00Z');
    const opinion = await issued({ ...ITEM, kind: 'opinion', caseId });
    expect(opinion.item).toMatchObject({ dueAt: '2027-01-11T15:59:59.000Z', dueProvisional: true });
    expect(opinion.text).toContain(
      '自本意见书发出之日起十个工作日内（2027年1月11日前，该日期暂按周一至周五推算，以国家公布的节假日安排为准）',
    );
    const notice = await issued({ ...ITEM, kind: 'correction', caseId });
    expect(notice.text).toContain(
      '自本通知书发出之日起十个工作日内（2027年1月11日前，该日期暂按周一至周五推算，以国家公布的节假日安排为准）纠正完毕',
    );
  });
});

describe('the basis of the supervision and the rule breached', () => {
  it('cites each law for what it is in the opinion', async () => {
    const { item, text } = await issued({ ...ITEM, kind: 'opinion', caseId });
    expect(item).toMatchObject({ supervisionBasis: BASIS, breachedRules: BREACHED });
    expect(text).toContain(`根据${BASIS}，本机关依法对你单位办理的`);
    expect(text).toContain(`上述问题不符合${BREACHED}的规定。`);
    expect(text).not.toContain(`不符合${BASIS}`);
    expect(text).not.toContain(`根据${BREACHED}`);
  });

  it('cites each law for what it is in the correction notice, from the same input', async () => {
    const { text } = await issued({ ...ITEM, kind: 'correction', caseId });
    expect(text).toContain(`本机关依据${BASIS}开展行政执法监督，发现你单位办理的`);
    expect(text).toContain(`上述行为不符合${BREACHED}的规定。现责令你单位予以纠正`);
    expect(text).not.toContain(`不符合${BASIS}`);
  });

  it('leaves out what the supervisor did not give', async () => {
    const bare = { ...ITEM, supervisionBasis: undefined, breachedRules: undefined };
    const opinion = await issued({ ...bare, kind: 'opinion', departmentId: agency.id });
    expect(opinion.text).toContain('本机关依法对你单位的行政执法工作开展了行政执法监督');
    expect(opinion.text).not.toMatch(/根据|不符合/);
    const notice = await issued({ ...bare, kind: 'correction', departmentId: agency.id });
    expect(notice.text).toContain('本机关在行政执法监督中发现，你单位的行政执法工作存在下列问题');
    expect(notice.text).toContain('上述行为不符合有关法律、法规、规章的规定。');
  });

  it('refuses the one 依据 of before, which the two documents read differently', async () => {
    const res = await issue({ ...ITEM, supervisionBasis: undefined, legalBasis: BASIS, kind: 'opinion', caseId });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('legalBasis');
  });

  it('takes both from the issue form', async () => {
    const boss = await pageSession(t, supervisor);
    const form = await boss.get(`/supervision/new?caseId=${caseId}`);
    expect(form.body).toContain('name="supervisionBasis"');
    expect(form.body).toContain('name="breachedRules"');
    const res = await boss.post('/supervision', {
      kind: 'correction',
      caseId,
      subject: ITEM.subject,
      findings: ITEM.findings,
      requirements: ITEM.requirements,
      supervisionBasis: BASIS,
      breachedRules: BREACHED,
      workingDays: '10',
    });
    expect(res.statusCode, res.body).toBe(303);
    const page = await boss.get(res.headers.location!);
    expect(page.body).toContain(`<dt>监督依据</dt><dd>${BASIS}</dd>`);
    expect(page.body).toContain(`<dt>违反的规定</dt><dd>${BREACHED}</dd>`);
  });

  it("still renders a department's earlier template with legalBasis, in the sense its document printed it", async () => {
    const admin = await t.newUser({ departmentId: bureau.id, roles: ['legal_admin'] });
    const put = (kind: string, source: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/templates/${kind}`,
        headers: { ...t.as(admin), 'content-type': 'text/plain' },
        payload: source,
      });
    const head = '# {{department.name}}\n[center]{{number}}\n[left]{{agency}}：\n';
    const tail = '\n[seal]{{department.name}}\n[right]{{cnDate issuedOn}}\n';
    expect((await put('supervision_opinion', `${head}根据{{legalBasis}}，开展了监督。${tail}`)).statusCode).toBe(200);
    expect((await put('rectification_notice', `${head}不符合{{legalBasis}}的规定。${tail}`)).statusCode).toBe(200);
    try {
      expect((await issued({ ...ITEM, kind: 'opinion', caseId })).text).toContain(`根据${BASIS}，开展了监督。`);
      expect((await issued({ ...ITEM, kind: 'correction', caseId })).text).toContain(`不符合${BREACHED}的规定。`);
    } finally {
      for (const kind of ['supervision_opinion', 'rectification_notice']) {
        await t.app.inject({ method: 'DELETE', url: `/api/templates/${kind}`, headers: t.as(admin) });
      }
    }
  });
});
