import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packetRevision } from '../server/cases/service.js';
import { authenticate } from '../server/identity/service.js';
import { DomainError } from '../server/infra/errors.js';
import { completeTask } from '../server/tasks/actions.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { packetForm, pageSession } from './helpers/pages.js';
import {
  caseOf,
  completeStep,
  coordinationHeld,
  FACTS,
  openTask,
  packet,
  rereviewForm,
  reviewForm,
  today,
} from './helpers/review.js';

// One set of rules behind both doors: for each step form of the default review process, the workbench page and
// POST /api/tasks/:id/complete refuse the same invalid input with the same code and accept the same valid input.
let t: TestApp;
let officer: TestUser;
let reviewer: TestUser;
let chief: TestUser;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  reviewer = await t.newUser({ departmentId: d.id, roles: ['reviewer'] });
  chief = await t.newUser({ departmentId: d.id, roles: ['chief'] });
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

type Form = Record<string, unknown>;
const coordination = {
  ...coordinationHeld(),
  handlingPosition: '拟按一倍罚款',
  reviewPosition: '应按最低幅度',
  outcome: '未达成一致（报请负责人决定）',
  coordinationNote: '双方未能达成一致，提请负责人决定。',
  participants: '张三 执法科 科长\n李四 法规科 科长',
};

/** The steps before each one, as API completions: [element id, who, form]. */
const PATHS: Record<string, [string, () => TestUser, Form][]> = {
  Task_accept: [],
  Task_complete_packet: [
    ['Task_accept', () => legal, { complete: false, missing: '案件调查终结报告：缺少承办人员签名' }],
  ],
  Task_review: [['Task_accept', () => legal, { complete: true }]],
  Task_correct: [
    ['Task_accept', () => legal, { complete: true }],
    ['Task_review', () => reviewer, reviewForm('退回补正', '证据不足。')],
  ],
  Task_contest: [
    ['Task_accept', () => legal, { complete: true }],
    ['Task_review', () => reviewer, reviewForm('不同意', '裁量明显不当。')],
  ],
  Task_rereview: [
    ['Task_accept', () => legal, { complete: true }],
    ['Task_review', () => reviewer, reviewForm('不同意', '裁量明显不当。')],
    ['Task_contest', () => officer, { contest: true, contestReasons: '裁量符合基准。' }],
  ],
  Task_coordinate: [
    ['Task_accept', () => legal, { complete: true }],
    ['Task_review', () => reviewer, reviewForm('不同意', '裁量明显不当。')],
    ['Task_contest', () => officer, { contest: true, contestReasons: '裁量符合基准。' }],
    ['Task_rereview', () => reviewer, rereviewForm(true)],
  ],
  Task_chief_decision: [
    ['Task_accept', () => legal, { complete: true }],
    ['Task_review', () => reviewer, reviewForm('不同意', '裁量明显不当。')],
    ['Task_contest', () => officer, { contest: true, contestReasons: '裁量符合基准。' }],
    ['Task_rereview', () => reviewer, rereviewForm(true)],
    ['Task_coordinate', () => legal, coordination],
  ],
  Task_record_decision: [
    ['Task_accept', () => legal, { complete: true }],
    ['Task_review', () => reviewer, reviewForm('同意')],
    ['Task_chief_decision', () => chief, { decision: '同意作出决定', decisionReasons: '' }],
  ],
};

/** A new case walked through the API to the step, with the step's open task. */
async function atStep(elementId: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: packet({ officerIds: [officer.id] }), facts: FACTS },
  });
  const caseId = res.json().caseId as string;
  for (const [step, who, form] of PATHS[elementId]) await completeStep(t, who(), caseId, step, form);
  return { caseId, task: await openTask(t, officer, caseId, elementId) };
}

/** The page's form: the same values as strings; the packet steps post the packet too, as their page does. */
async function pageFields(caseId: string, form: Form, withPacket: boolean) {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) fields[k] = String(v);
  if (!withPacket) return fields;
  const c = await caseOf(t, officer, caseId);
  return { ...packetForm({ caseNumber: c.caseNumber, officerIds: [officer.id] }), ...fields };
}

interface StepCase {
  step: string;
  user: () => TestUser;
  valid: Form;
  invalid: Form;
  code: string;
  /** The field the refusal names (for FORM_INVALID and rules tied to a field). */
  field?: string;
  packet?: boolean;
}

const invalidReview = { ...reviewForm('退回补正', '证据不足。'), finding_evidence: '不符合', note_evidence: '' };
const STEPS: StepCase[] = [
  {
    step: 'Task_accept',
    user: () => legal,
    valid: { complete: true },
    invalid: { complete: false, missing: '' },
    code: 'FORM_INVALID',
    field: 'missing',
  },
  {
    step: 'Task_complete_packet',
    user: () => officer,
    valid: { correctionNote: '已补充案件调查终结报告' },
    invalid: { correctionNote: '' },
    code: 'FORM_INVALID',
    field: 'correctionNote',
    packet: true,
  },
  {
    step: 'Task_review',
    user: () => reviewer,
    valid: reviewForm('同意'),
    invalid: invalidReview,
    code: 'FORM_INVALID',
    field: 'note_evidence',
  },
  {
    step: 'Task_correct',
    user: () => officer,
    valid: { correctionNote: '已补充证据' },
    invalid: { correctionNote: '' },
    code: 'FORM_INVALID',
    field: 'correctionNote',
    packet: true,
  },
  {
    step: 'Task_contest',
    user: () => officer,
    valid: { contest: false, contestReasons: '' },
    invalid: { contest: true, contestReasons: '' },
    code: 'VALIDATION_FAILED',
    field: 'contestReasons',
  },
  {
    step: 'Task_rereview',
    user: () => reviewer,
    valid: rereviewForm(true),
    invalid: { ...rereviewForm(true), reasons: '' },
    code: 'FORM_INVALID',
    field: 'reasons',
  },
  {
    step: 'Task_coordinate',
    user: () => legal,
    valid: coordination,
    invalid: { ...coordination, coordinationNote: '' },
    code: 'FORM_INVALID',
    field: 'coordinationNote',
  },
  {
    step: 'Task_chief_decision',
    user: () => chief,
    valid: { decision: '同意作出决定', decisionReasons: '当事人系初次违法，按基准中档处罚适当。' },
    invalid: { decision: '同意作出决定', decisionReasons: '' },
    code: 'VALIDATION_FAILED',
    field: 'decisionReasons',
  },
  {
    step: 'Task_record_decision',
    user: () => officer,
    valid: {
      decisionNumber: '市监罚〔2026〕19号',
      decisionDate: today(),
      decisionContent: '没收不合格产品，并处罚款六万四千元。',
    },
    invalid: { decisionNumber: '', decisionDate: today(), decisionContent: '没收不合格产品，并处罚款六万四千元。' },
    code: 'FORM_INVALID',
    field: 'decisionNumber',
  },
];

const errorText = (html: string, field: string) => new RegExp(`id="err-${field}"[^>]*>([^<]*)<`).exec(html)?.[1].trim();

type Refusal = Pick<StepCase, 'step' | 'user' | 'invalid' | 'code' | 'field' | 'packet'>;

/** A second invalid input for steps with more than one rule: an opinion with a 不符合 point cannot conclude 同意. */
const MORE_REFUSALS: (Refusal & { name: string })[] = [
  {
    name: 'a 不符合 point with the conclusion 同意',
    step: 'Task_review',
    user: () => reviewer,
    invalid: { ...reviewForm('同意'), finding_evidence: '不符合', note_evidence: '现场检查笔录缺少当事人签名' },
    code: 'FORM_INVALID',
    field: 'conclusion',
  },
  {
    name: 'a 协调日期 after today',
    step: 'Task_coordinate',
    user: () => legal,
    invalid: { ...coordination, coordinationDate: today(new Date(Date.now() + 2 * 86400_000)) },
    code: 'FORM_INVALID',
    field: 'coordinationDate',
  },
];

async function expectRefusedAlike(s: Refusal) {
  const { caseId, task } = await atStep(s.step);
  const api = await t.app.inject({
    method: 'POST',
    url: `/api/tasks/${task.id}/complete`,
    headers: t.as(s.user()),
    payload: s.invalid,
  });
  const session = await pageSession(t, s.user());
  await session.get(`/tasks/${task.id}`);
  const page = await session.post(`/tasks/${task.id}`, await pageFields(caseId, s.invalid, s.packet ?? false));
  expect(api.json().error.code).toBe(s.code);
  expect(page.statusCode).toBe(api.statusCode);
  expect(page.body).toContain(`data-error-code="${s.code}"`);
  if (s.code === 'FORM_INVALID') {
    expect(api.json().error.details.fields.map((f: { field: string }) => f.field)).toContain(s.field);
  }
  if (s.field) {
    // Said once, beside its field: the top of the form points to it instead of repeating it.
    const message = errorText(page.body, s.field) ?? '';
    expect(message).toBeTruthy();
    expect(page.body.split(message).length - 1, message).toBe(1);
    expect(errorText(page.body, 'form')).toMatch(/^表单填写有误，请按提示修改（共 \d+ 处）。$/);
  }
  expect((await openTask(t, officer, caseId, s.step)).id).toBe(task.id);
}

it.each(MORE_REFUSALS)('the $step form with $name is refused alike by the page and the API', expectRefusedAlike);

describe.each(STEPS)('the $step form', (s) => {
  it('is refused alike by the page and the API, with the same code and field, and nothing changes', () =>
    expectRefusedAlike(s));

  it('is accepted alike by the page and the API, leaving the two cases in the same state', async () => {
    const [byPage, byApi] = [await atStep(s.step), await atStep(s.step)];
    const session = await pageSession(t, s.user());
    await session.get(`/tasks/${byPage.task.id}`);
    const page = await session.post(
      `/tasks/${byPage.task.id}`,
      await pageFields(byPage.caseId, s.valid, s.packet ?? false),
    );
    expect(page.statusCode, errorText(page.body, 'form') ?? page.body.slice(0, 200)).toBe(303);
    const api = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${byApi.task.id}/complete`,
      headers: t.as(s.user()),
      payload: s.valid,
    });
    expect(api.statusCode).toBe(200);
    const [a, b] = [await caseOf(t, officer, byPage.caseId), await caseOf(t, officer, byApi.caseId)];
    expect(a.status).toBe(b.status);
    const open = (c: { tasks: { elementId: string; status: string }[] }) =>
      c.tasks.filter((x) => x.status === 'open').map((x) => x.elementId);
    expect(open(a)).toEqual(open(b));
  });
});

describe('a correction step with its revised packet', () => {
  it('commits the revision and the step together, and neither when the step is refused', async () => {
    const { caseId, task } = await atStep('Task_correct');
    const before = (await caseOf(t, officer, caseId)).packet;
    const actor = await authenticate(t.db, officer.token);
    const revised = { ...before, factsFound: `${before.factsFound}（已补正）` };
    const revise = await packetRevision(t.core.cases, actor, caseId, revised);
    const refused = completeTask(
      t.core.tasks,
      actor,
      task.id,
      { correctionNote: '已补正' },
      {
        alongside: async (trx) => {
          await revise(trx);
          throw new DomainError('conflict', 'CONFLICT', '测试：步骤在同一事务中被拒绝');
        },
      },
    );
    await expect(refused).rejects.toThrow('测试');
    expect((await caseOf(t, officer, caseId)).packet.factsFound).toBe(before.factsFound);
    expect((await openTask(t, officer, caseId, 'Task_correct')).id).toBe(task.id);

    await completeTask(t.core.tasks, actor, task.id, { correctionNote: '已补正' }, { alongside: revise });
    expect((await caseOf(t, officer, caseId)).packet.factsFound).toBe(revised.factsFound);
    await expect(openTask(t, officer, caseId, 'Task_correct')).rejects.toThrow('no open Task_correct');
  });
});
