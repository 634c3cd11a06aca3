import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { importLaws } from './helpers/laws.js';
import { pageSession } from './helpers/pages.js';
import { completeStep, FACTS, packet } from './helpers/review.js';

// 争议焦点自动提示: one list per case, computed from the packet; the reviewer marks each hint, the mark is kept
// and goes into the case's record.
let t: TestApp;
let officer: TestUser;
let legal: TestUser;
let reviewer: TestUser;
let stranger: TestUser;

interface Hint {
  kind: string;
  point: string;
  key: string;
  title: string;
  detail: string;
  href?: string;
  mark: { status: string; note: string; markedBy: string } | null;
}

beforeAll(async () => {
  t = await createTestApp();
  const dept = await t.newDepartment({ name: '争议焦点测试局' });
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  reviewer = await t.newUser({ departmentId: dept.id, roles: ['reviewer'] });
  const other = await t.newDepartment({ name: '其他机关' });
  stranger = await t.newUser({ departmentId: other.id, roles: ['reviewer', 'officer'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  await importLaws(t, /行政处罚法|产品质量法/, { titles: ['中华人民共和国产品质量法', '中华人民共和国行政处罚法'] });
});
afterAll(() => t.close());

async function submit(extra: Record<string, unknown>, facts: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet(extra), facts: { ...FACTS, ...facts } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().caseId as string;
}

async function hintsOf(caseId: string, user = officer) {
  const res = await t.app.inject({ url: `/api/cases/${caseId}/hints`, headers: t.as(user) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().hints as Hint[];
}

const kinds = (hints: Hint[]) => hints.map((h) => h.kind);

describe('the hints of a case', () => {
  it('flags a legal basis the library cannot resolve, beside the 法律适用 point, linking to the law', async () => {
    const caseId = await submit({
      conductDate: '2024-05-10',
      legalBasis: [
        { law: '《中华人民共和国产品质量法》', article: '第四十九条' },
        { law: '产品质量法', article: '第九百条' },
        { law: '重大行政决策程序暂行条例', article: '第三条' },
      ],
      hearingHeld: true,
    });
    const hints = (await hintsOf(caseId)).filter((h) => h.kind === 'citation');
    expect(hints.map((h) => h.title)).toEqual([
      '法律依据“《产品质量法》第九百条”需核实：这部法律法规在该日施行的版本中没有所引的条、款、项',
      '法律依据“《重大行政决策程序暂行条例》第三条”需核实：法律法规库中没有这部法律法规（名称有误、已失效或未收录）',
    ]);
    expect(hints[0].point).toBe('law');
    expect(hints[0].detail).toContain('违法行为发生之日（2024-05-10）');
    expect(hints[0].href).toMatch(/^\/api\/laws\/[0-9a-f-]{36}$/);
    expect(hints[1].href).toBeUndefined();
    const law = await t.app.inject({ url: hints[0].href!, headers: t.as(officer) });
    expect(law.json().title).toBe('中华人民共和国产品质量法');
  });

  it('flags facts that name a larger amount than the declared 涉案金额', async () => {
    const caseId = await submit({
      factsFound: '经查，当事人销售不合格电热水壶共计320台，货值金额八万元。',
      hearingHeld: true,
    });
    const [hint] = (await hintsOf(caseId)).filter((h) => h.kind === 'amount_mismatch');
    expect(hint.title).toBe('查明的事实所载金额高于申报的涉案金额');
    expect(hint.detail).toContain('“八万元”（80,000元），而申报的涉案金额为 64,000元');
    expect(hint.point).toBe('facts');
    // The same facts with the amount declared as found: nothing to flag.
    const right = await submit(
      { factsFound: '经查，当事人销售不合格电热水壶共计320台，货值金额八万元。', hearingHeld: true },
      { amount: 80000 },
    );
    expect(kinds(await hintsOf(right))).not.toContain('amount_mismatch');
  });

  it('flags a proposal above the declared amount on a packet that predates the submission rule', async () => {
    const caseId = await submit({ hearingHeld: true });
    // Submission refuses this now; a case submitted before the rule may carry it.
    const row = await t.db.selectFrom('cases').select('facts').where('id', '=', caseId).executeTakeFirstOrThrow();
    await t.db
      .updateTable('cases')
      .set({ facts: JSON.stringify({ ...(row.facts as object), amount: 30000 }) })
      .where('id', '=', caseId)
      .execute();
    const titles = (await hintsOf(caseId)).filter((h) => h.kind === 'amount_mismatch').map((h) => h.title);
    expect(titles).toContain('拟作出的决定所涉金额高于申报的涉案金额');
  });

  it('flags evidence the facts mention that the evidence list lacks, and not what it holds', async () => {
    const caseId = await submit({
      factsFound:
        '经查，根据询问笔录和抽样检验报告，当事人销售不合格电热水壶共计320台，货值金额六万四千元，有现场照片为证。',
      hearingHeld: true,
    });
    const hints = (await hintsOf(caseId)).filter((h) => h.kind === 'evidence_missing');
    expect(hints.map((h) => h.key)).toEqual(['evidence:询问笔录', 'evidence:现场照片']);
    expect(hints[0].point).toBe('evidence');
    expect(hints[0].detail).toContain('行政处罚法 第四十条');
  });

  it('flags a large fine proposed without a hearing, citing article 63, unless the notice is in the packet', async () => {
    const gap = await submit({});
    const [hint] = (await hintsOf(gap)).filter((h) => h.kind === 'procedure_gap');
    expect(hint.point).toBe('procedure');
    expect(hint.detail).toContain('第六十三条');
    expect(hint.detail).toContain('拟对法人或者其他组织罚款或没收 64,000元');
    expect(hint.href).toMatch(/\/articles\/63\?date=/);
    const article = await t.app.inject({ url: hint.href!, headers: t.as(officer) });
    expect(article.json().text).toContain('较大数额罚款');
    const revocation = await submit({
      party: { type: 'person', name: '张三', idCode: '320902199001011234', address: '盐城' },
      proposedDecision: '吊销食品经营许可证。',
    });
    expect((await hintsOf(revocation)).find((h) => h.kind === 'procedure_gap')?.detail).toContain('吊销食品经营许可证');
    const noticed = await submit({ materials: ['行政处罚听证告知书及送达回证'] });
    expect(kinds(await hintsOf(noticed))).not.toContain('procedure_gap');
    const heard = await submit({ hearingHeld: true });
    expect(kinds(await hintsOf(heard))).not.toContain('procedure_gap');
    const small = await submit(
      {
        party: { type: 'person', name: '张三', idCode: '320902199001011234', address: '盐城' },
        proposedDecision: '罚款二千元。',
        factsFound: '经查，当事人销售不合格电热水壶2台，货值金额二千元。',
      },
      { amount: 2000 },
    );
    expect(kinds(await hintsOf(small))).not.toContain('procedure_gap');
  });

  it('reads the recorded stages: a 告知 of the hearing right settles it, one without it is the gap', async () => {
    const event = async (caseId: string, body: Record<string, unknown>) => {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/cases/${caseId}/stages/events`,
        headers: t.as(officer),
        payload: body,
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    const told = await submit({});
    await event(told, { type: 'filed', date: '2026-11-02' });
    await event(told, { type: 'notice_served', date: '2026-11-03', hearingRight: true, statementWorkingDays: 3 });
    expect(kinds(await hintsOf(told))).not.toContain('procedure_gap');
    const untold = await submit({});
    await event(untold, { type: 'filed', date: '2026-11-02' });
    await event(untold, { type: 'notice_served', date: '2026-11-03', hearingRight: false, statementWorkingDays: 3 });
    const [hint] = (await hintsOf(untold)).filter((h) => h.kind === 'procedure_gap');
    expect(hint.key).toBe('procedure:hearing_notice');
    expect(hint.detail).toContain('已记录的事先告知未告知当事人要求听证的权利');
  });

  it('is read by the case department only', async () => {
    const caseId = await submit({});
    const res = await t.app.inject({ url: `/api/cases/${caseId}/hints`, headers: t.as(stranger) });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('CASE_NOT_FOUND');
  });
});

describe('marking a hint', () => {
  it('is the reviewer’s: kept, shown with the list and recorded in the case record', async () => {
    const caseId = await submit({ factsFound: '经查，根据询问笔录，当事人销售不合格电热水壶，货值金额六万四千元。' });
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    const key = 'evidence:询问笔录';
    const url = `/api/cases/${caseId}/hints/${encodeURIComponent(key)}`;
    const byOfficer = await t.app.inject({
      method: 'PUT',
      url,
      headers: t.as(officer),
      payload: { status: 'handled', note: '' },
    });
    expect(byOfficer.statusCode).toBe(403);
    const byStranger = await t.app.inject({
      method: 'PUT',
      url,
      headers: t.as(stranger),
      payload: { status: 'handled', note: '' },
    });
    expect(byStranger.statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'PUT', url, headers: t.as(reviewer), payload: { status: 'done' } });
    expect(bad.statusCode).toBe(400);
    const unknown = await t.app.inject({
      method: 'PUT',
      url: `/api/cases/${caseId}/hints/evidence%3A%E6%97%A0`,
      headers: t.as(reviewer),
      payload: { status: 'handled', note: '' },
    });
    expect(unknown.statusCode).toBe(404);

    const marked = await t.app.inject({
      method: 'PUT',
      url,
      headers: t.as(reviewer),
      payload: { status: 'not_applicable', note: '询问笔录已在证据材料目录第3项中' },
    });
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json().mark).toMatchObject({ status: 'not_applicable', note: '询问笔录已在证据材料目录第3项中' });
    const again = await t.app.inject({
      method: 'PUT',
      url,
      headers: t.as(reviewer),
      payload: { status: 'handled', note: '已要求补充' },
    });
    expect(again.statusCode).toBe(200);
    const listed = (await hintsOf(caseId)).find((h) => h.key === key)!;
    expect(listed.mark).toMatchObject({ status: 'handled', note: '已要求补充' });
    expect((await hintsOf(caseId)).find((h) => h.kind === 'procedure_gap')!.mark).toBeNull();

    const records = await t.db
      .selectFrom('case_records')
      .select('body')
      .where('case_id', '=', caseId)
      .orderBy('seq')
      .execute();
    const marks = records
      .map((r) => JSON.parse(r.body))
      .filter((b) => b.type === 'hint.marked')
      .map((b) => [b.payload.key, b.payload.status, b.payload.note]);
    expect(marks).toEqual([
      [key, 'not_applicable', '询问笔录已在证据材料目录第3项中'],
      [key, 'handled', '已要求补充'],
    ]);
    const page = await (await pageSession(t, officer)).get(`/cases/${caseId}`);
    expect(page.body).toContain('标记争议焦点提示');
  });
});

describe('the review step', () => {
  async function reviewTask(caseId: string) {
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    const task = await t.db
      .selectFrom('tasks')
      .innerJoin('cases', 'cases.instance_id', 'tasks.instance_id')
      .select('tasks.id')
      .where('cases.id', '=', caseId)
      .where('tasks.element_id', '=', 'Task_review')
      .executeTakeFirstOrThrow();
    return task.id;
  }

  it('lists the hints at the top and beside their points; the buttons work without script', async () => {
    const caseId = await submit({ factsFound: '经查，根据询问笔录，当事人销售不合格电热水壶，货值金额六万四千元。' });
    const taskId = await reviewTask(caseId);
    const browser = await pageSession(t, reviewer);
    const page = await browser.get(`/tasks/${taskId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('争议焦点提示（2）');
    expect(page.body).toContain('<script src="/assets/hints.js" defer></script>');
    const row = (point: string, body: string) =>
      new RegExp(`<tr class="point[^"]*" data-point="${point}">([\\s\\S]*?)</tr>`).exec(body)?.[1] ?? '';
    expect(row('evidence', page.body)).toContain('查明的事实提及“询问笔录”，证据目录中没有');
    expect(row('procedure', page.body)).toContain('拟作出的处罚可能须告知听证权利');

    // Quoting keeps what was written (as the draft) and adds the detail to the point's note.
    const quoted = await browser.post(`/tasks/${taskId}/hints`, {
      finding_procedure: '不符合',
      note_procedure: '未见听证告知。',
      hint: 'quote|procedure:hearing',
    });
    expect(quoted.statusCode).toBe(303);
    const after = await browser.get(`/tasks/${taskId}`);
    const note = /<textarea[^>]*name="note_procedure"[^>]*>([\s\S]*?)<\/textarea>/.exec(after.body)?.[1] ?? '';
    expect(note).toContain('未见听证告知。\n送审材料载明本案未经听证');

    const marked = await browser.post(`/tasks/${taskId}/hints`, {
      hint: 'not_applicable|evidence:询问笔录',
      'hintnote:evidence:询问笔录': '笔录已附卷',
    });
    expect(marked.statusCode).toBe(303);
    const [hint] = (await hintsOf(caseId)).filter((h) => h.key === 'evidence:询问笔录');
    expect(hint.mark).toMatchObject({ status: 'not_applicable', note: '笔录已附卷' });
    const shown = await browser.get(`/tasks/${taskId}`);
    expect(row('evidence', shown.body)).toContain('不适用');

    // The case page shows the list, read-only.
    const casePage = await (await pageSession(t, officer)).get(`/cases/${caseId}`);
    expect(casePage.body).toContain('争议焦点提示（2）');
    expect(casePage.body).toContain('不适用（');
    expect(casePage.body).not.toContain('data-hint-action');
  });
});
