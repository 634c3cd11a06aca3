import { instantToShanghaiDate } from '../../server/workdays/days.js';
import type { TestApp, TestUser } from './app.js';
import { deploy, workflowFile } from './flows.js';

/** Today in Beijing time (YYYY-MM-DD): a decision cannot be dated before the chief decided it, nor in the future. */
export const today = (now = new Date()) => instantToShanghaiDate(now);

/** A packet as a handling officer would submit it (一般程序行政处罚案件). */
export function packet(overrides: Record<string, unknown> = {}) {
  return {
    caseNumber: `SJ-2026-${Math.floor(Math.random() * 1e9)}`,
    title: '某某贸易有限公司销售不合格产品案',
    category: 'penalty',
    party: {
      type: 'organization',
      name: '某某贸易有限公司',
      idCode: '91320900MA1XXXXX0X',
      address: '盐城市亭湖区某路1号',
    },
    factsFound: '经查，当事人于2026年3月至5月销售不合格电热水壶共计320台，货值金额六万四千元。',
    evidence: [{ name: '现场检查笔录' }, { name: '抽样检验报告', description: '检验结论：不合格' }],
    legalBasis: [{ law: '《中华人民共和国产品质量法》', article: '第四十九条' }],
    discretion: {
      benchmark: '《市场监管行政处罚裁量基准》产品质量类第3项',
      position: '货值金额50%至3倍罚款幅度中的1倍',
    },
    proposedDecision: '没收不合格产品，并处罚款六万四千元。',
    hearingHeld: false,
    officerIds: [],
    materials: ['拟作出的行政执法决定书（代拟稿）', '案件调查终结报告', '证据材料目录及证据'],
    attestation: { attestedBy: 'officer', statement: '本人承诺所报送材料真实、准确、完整。' },
    ...overrides,
  };
}

export const FACTS = {
  amount: 64000,
  measure: 'fine',
  thirdPartyAffected: false,
  complex: false,
  publicInterest: false,
  socialImpact: false,
};

/**
 * The eleven findings of the 118号 list all "符合" (the crime point "否"), plus the conclusion and reasons. A
 * conclusion that finds fault (修改后同意, 退回补正, 不同意) finds the discretion 不符合, as a signed opinion must name its point.
 */
export function reviewForm(conclusion: string, reasons = '经审核，本案事实清楚，证据确实充分，适用法律正确。') {
  const keys = [
    'subject',
    'personnel',
    'procedure',
    'facts',
    'evidence',
    'law',
    'discretion',
    'authority',
    'documents',
    'crime_transfer',
    'other',
  ];
  return {
    ...Object.fromEntries(
      keys.flatMap((k) => [
        [`finding_${k}`, k === 'crime_transfer' ? '否' : '符合'],
        [`note_${k}`, ''],
      ]),
    ),
    ...(FAULTS.includes(conclusion)
      ? { finding_discretion: '不符合', note_discretion: '罚款幅度高于裁量基准的中档' }
      : {}),
    conclusion,
    reasons,
  };
}

const FAULTS = ['修改后同意', '退回补正', '不同意', 'approve_with_changes', 'return', 'disapprove'];

/** A re-review (复核) with its own findings: maintaining 不同意 finds the discretion 不符合, changing finds all 符合. */
export function rereviewForm(
  maintain: boolean,
  reasons = maintain ? '维持原审核意见。' : '经复核，裁量适当，改变原审核意见。',
) {
  const { conclusion: _c, reasons: _r, ...points } = reviewForm('同意');
  const defect = maintain ? { finding_discretion: '不符合', note_discretion: '罚款幅度高于裁量基准的中档' } : {};
  return { ...points, ...defect, maintain, reasons };
}

export async function openTask(t: TestApp, user: TestUser, caseId: string, elementId: string) {
  const detail = (await t.app.inject({ url: `/api/cases/${caseId}`, headers: t.as(user) })).json();
  const task = detail.tasks.find(
    (x: { elementId: string; status: string }) => x.elementId === elementId && x.status === 'open',
  );
  if (!task)
    throw new Error(
      `no open ${elementId}; open: ${detail.tasks.filter((x: { status: string }) => x.status === 'open').map((x: { elementId: string }) => x.elementId)}`,
    );
  return task as { id: string; assigneeId: string | null; dueAt: string | null };
}

export async function completeStep(
  t: TestApp,
  user: TestUser,
  caseId: string,
  elementId: string,
  form: Record<string, unknown>,
) {
  const task = await openTask(t, user, caseId, elementId);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/tasks/${task.id}/complete`,
    headers: t.as(user),
    payload: form,
  });
  if (res.statusCode !== 200) throw new Error(`${elementId}: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function caseOf(t: TestApp, user: TestUser, caseId: string) {
  return (await t.app.inject({ url: `/api/cases/${caseId}`, headers: t.as(user) })).json();
}

/**
 * A coercion below every catalogue threshold, so no review is required, whose decision the officer records
 * directly (POST /api/cases/:id/decision). Returns the case id.
 */
export async function directDecision(t: TestApp, officer: TestUser, decision: { number: string; date: string }) {
  const submitted = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: {
      packet: packet({ category: 'coercion', proposedDecision: '查封当事人经营场所。' }),
      facts: { ...FACTS, amount: 2000, measure: 'seal' },
    },
  });
  const { caseId } = submitted.json();
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/decision`,
    headers: t.as(officer),
    payload: { ...decision, content: '查封场所' },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return caseId as string;
}

/** The text of a case's document (its docx body without markup), the `index`-th of that kind in issue order. */
export async function documentText(t: TestApp, user: TestUser, caseId: string, kind: string, index = 0) {
  const { docxEntries } = await import('./docx-zip.js');
  const c = await caseOf(t, user, caseId);
  const doc = c.documents.filter((d: { kind: string }) => d.kind === kind)[index];
  if (!doc) throw new Error(`no ${kind} #${index}: ${c.documents.map((d: { kind: string }) => d.kind)}`);
  const file = await t.app.inject({ url: `/api/cases/${caseId}/documents/${doc.id}`, headers: t.as(user) });
  if (file.statusCode !== 200) throw new Error(`${file.statusCode} ${file.body}`);
  // To look at the pages (soffice --convert-to pdf): DUMP_DOCUMENTS=<dir> keeps each document read here.
  if (process.env.DUMP_DOCUMENTS) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${process.env.DUMP_DOCUMENTS}/${kind}-${caseId.slice(0, 8)}-${index}.docx`, file.rawPayload);
  }
  const xml = (await docxEntries(file.rawPayload)).get('word/document.xml')!.toString('utf8');
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/**
 * An agency with a handling officer and a legal admin, the shipped review flow deployed, and one penalty case
 * submitted (its party's code is packet()'s, 91320900MA1XXXXX0X): what the public-facing tests start from.
 */
export async function agencyWithCase(t: TestApp, name: string) {
  const dept = await t.newDepartment({ name });
  const officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
  const legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  await deploy(t, legal, await workflowFile('legal-review.bpmn'));
  const p = packet();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(officer),
    payload: { packet: p, facts: FACTS },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return { dept, officer, legal, caseId: res.json().caseId as string, caseNumber: p.caseNumber };
}

/** When and where a coordination was held, as its step asks (held today by default, Beijing time). */
export function coordinationHeld(now = new Date(), place = '本局三楼会议室') {
  return { coordinationDate: today(now), coordinationPlace: place };
}
