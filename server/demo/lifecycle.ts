import type { Core } from '../assembly.js';
import { submitCase } from '../cases/service.js';
import type { Actor } from '../identity/service.js';
import { STAGE_LABELS } from '../lifecycle/kinds.js';
import type { StageEventInput } from '../lifecycle/schemas.js';
import { recordStageEvent } from '../lifecycle/service.js';
import { completeTask } from '../tasks/actions.js';
import { decideTransfer, recordDelivery, recordReceipt, reportTransfer } from '../transfers/service.js';
import { dayNumber, instantToShanghaiDate } from '../workdays/days.js';
import { addWorkingDays } from '../workdays/deadlines.js';
import { actorOf } from './actors.js';
import { demoEvidence, onePagePdf, silentWav, uploadDemoFile } from './files.js';
import { LIFECYCLE_CASES, type LifecycleDemoCase, MATERIALS } from './lifecycle-cases.js';
import { completeStep, openTasks, reviewForm } from './steps.js';

export type LifecycleDemoCore = Pick<
  Core,
  'database' | 'cases' | 'tasks' | 'lifecycle' | 'transfers' | 'calendar' | 'clock' | 'config' | 'records' | 'runtime'
>;

const ABBR = { SCJG: '市监', STHJ: '市环' } as const;
const LEGAL_ADMIN = { SCJG: 'legaladmin1', STHJ: 'legaladmin2' } as const;
const CHIEF = { SCJG: 'chief1', STHJ: 'chief2' } as const;

/** 集体讨论 of the collective case: who attends (4 of the 5 leaders) and how each votes. */
const DISCUSSION = [
  { leader: 'chief1', vote: '同意', opinion: '事实清楚，证据确凿，程序合法，同意按拟作决定处罚。' },
  { leader: 'leader1', vote: '同意', opinion: '广告宣称保健食品治疗疾病，误导消费者，社会危害较大，同意。' },
  { leader: 'leader2', vote: '同意', opinion: '同意法制审核意见。' },
  {
    leader: 'leader3',
    vote: '不同意',
    opinion: '当事人系初次违法，且已主动删除广告、消除影响，建议在法定幅度内从轻处罚。',
  },
];

class Run {
  private readonly users = new Map<string, Actor>();
  readonly today: string;
  constructor(
    readonly core: LifecycleDemoCore,
    readonly evidence: Awaited<ReturnType<typeof demoEvidence>>,
  ) {
    this.today = instantToShanghaiDate(core.clock.now());
  }

  daysAgo(n: number) {
    return new Date((dayNumber(this.today) - n) * 86_400_000).toISOString().slice(0, 10);
  }

  async user(username: string): Promise<Actor> {
    const known = this.users.get(username);
    if (known) return known;
    const actor = await actorOf(this.core, username);
    if (!actor) throw new Error(`demo user ${username} missing`);
    this.users.set(username, actor);
    return actor;
  }

  event(actor: Actor, caseId: string, e: StageEventInput) {
    return recordStageEvent(this.core.lifecycle, actor, caseId, e);
  }

  upload(actor: Actor, caseId: string, name: string, content: Buffer) {
    return uploadDemoFile(this.core, this.evidence, actor, caseId, { name, content });
  }
}

/** 送审, then 立案 and 调查取证 as the officer records them after the fact (a recording where the path has one). */
async function begin(run: Run, d: LifecycleDemoCase) {
  const officer = await run.user(d.officer);
  const team = [officer, ...(await Promise.all(d.team.map((u) => run.user(u))))];
  const submitted = await submitCase(run.core.cases, officer, {
    packet: {
      caseNumber: `${d.dept}-${run.today.slice(0, 4)}-${d.serial}`,
      title: d.title,
      category: 'penalty',
      party: { type: d.party.type, name: d.party.name, idCode: d.party.idCode, address: d.party.address },
      factsFound: d.facts,
      evidence: d.evidence.map((name) => ({ name })),
      legalBasis: d.basis,
      discretion: d.discretion,
      proposedDecision: d.proposal,
      hearingHeld: false,
      officerIds: team.map((u) => u.id),
      materials: MATERIALS,
      attestation: { attestedBy: 'officer', statement: '本人承诺所报送材料真实、准确、完整。' },
    },
    facts: {
      amount: d.judged.amount,
      measure: d.judged.measure,
      thirdPartyAffected: false,
      complex: d.judged.complex === true,
      publicInterest: false,
      socialImpact: false,
    },
  });
  if (!submitted.reviewRequested) throw new Error(`demo case ${d.serial} is not under the catalogue`);
  const caseId = submitted.caseId;
  await run.event(officer, caseId, { type: 'filed', date: run.daysAgo(d.filedDaysAgo), note: '经机关负责人批准立案' });
  // The transferred case's goods stay seized (扣押) until they are handed over with the case; the stage stays open.
  const kind = d.path === 'transfer' ? 'seizure' : 'investigation';
  const recording =
    d.path === 'archived' || d.path === 'transfer'
      ? [await run.upload(officer, caseId, `${STAGE_LABELS[kind]}音像记录（演示文件）.wav`, silentWav())]
      : undefined;
  const opened = await run.event(officer, caseId, {
    type: 'stage_opened',
    kind,
    date: run.daysAgo(d.filedDaysAgo - 1),
    actors: team.map((u) => u.displayName),
    note: d.path === 'transfer' ? '现场查获涉案白酒1200瓶，依法扣押' : '现场检查、抽样取证、询问当事人',
    attachmentIds: recording,
  });
  if (d.path !== 'transfer') {
    await run.event(officer, caseId, {
      type: 'stage_closed',
      stageId: opened.stageId!,
      date: run.daysAgo(d.investigatedDaysAgo),
      note: '调查终结，制作案件调查终结报告',
    });
  }
  return { caseId, officer, itemCode: submitted.catalogueItem?.code ?? null };
}

/** 受理 and 法制审核 (by the reviewer the process assigned), then the chief's decision unless the path stops before. */
async function review(run: Run, d: LifecycleDemoCase, caseId: string, itemCode: string | null) {
  const legal = await run.user(LEGAL_ADMIN[d.dept]);
  await completeStep(run.core, legal, caseId, 'Task_accept', { complete: true });
  if (d.path === 'review') return;
  const crime =
    d.path === 'transfer'
      ? '当事人销售明知是假冒注册商标的商品，违法所得约十二万元，涉嫌销售假冒注册商标的商品罪（《中华人民共和国刑法》第二百一十四条），应依照《行政执法机关移送涉嫌犯罪案件的规定》第三条移送公安机关。'
      : undefined;
  const reasons = crime
    ? '经审核，本案事实清楚，证据确实充分；当事人的行为涉嫌犯罪，建议移送公安机关依法处理。'
    : '经审核，本案执法主体、程序合法，事实清楚，证据确实充分，适用法律正确，裁量适当。';
  const form = await reviewForm(run.core, legal.departmentId, itemCode, { reasons, crime });
  await completeStep(run.core, legal, caseId, 'Task_review', form, null);
  const chief = await run.user(CHIEF[d.dept]);
  if (d.path === 'collective') await discuss(run, chief, caseId);
  await completeStep(
    run.core,
    chief,
    caseId,
    'Task_chief_decision',
    crime
      ? { decision: '移送司法机关', decisionReasons: '同意法制审核意见，移送公安机关。' }
      : { decision: '同意作出决定' },
  );
}

/** 集体讨论: the chief convenes four of the five leaders; each votes in their own 会签 task. */
async function discuss(run: Run, chief: Actor, caseId: string) {
  await completeStep(run.core, chief, caseId, 'Task_convene', {
    place: '局三楼第一会议室',
    attendees: DISCUSSION.map((v) => v.leader).join('\n'),
  });
  const votes = await openTasks(run.core, chief, caseId, 'Task_collective_vote');
  for (const v of DISCUSSION) {
    const leader = await run.user(v.leader);
    const task = votes.find((t) => t.assignee_id === leader.id);
    if (!task) throw new Error(`demo: no vote task for ${v.leader}`);
    await completeTask(run.core.tasks, leader, task.id, { vote: v.vote, opinion: v.opinion });
  }
}

/** 事先告知 with the party's written waiver of 陈述、申辩 and of a hearing, then the decision recorded. */
async function decide(run: Run, d: LifecycleDemoCase, officer: Actor, caseId: string) {
  await run.event(officer, caseId, { type: 'notice_served', date: run.today, hearingRight: true });
  await run.event(officer, caseId, {
    type: 'statement',
    date: run.today,
    waived: true,
    hearingWaived: true,
    content: '当事人书面表示不陈述、申辩，放弃要求听证的权利。',
  });
  await completeStep(run.core, officer, caseId, 'Task_record_decision', {
    decisionNumber: `${ABBR[d.dept]}罚〔${run.today.slice(0, 4)}〕${d.decisionSerial}号`,
    decisionDate: run.today,
    decisionContent: d.proposal,
  });
  const proof = await run.upload(
    officer,
    caseId,
    '送达回证（当事人签收，演示文件）.pdf',
    onePagePdf('Demo file: signed service receipt (scan)'),
  );
  await run.event(officer, caseId, {
    type: 'served',
    date: run.today,
    method: 'direct',
    recipient: d.party.contact,
    attachmentIds: [proof],
  });
}

/** The hearing the party asked for, notified at least seven working days ahead (行政处罚法第六十四条). */
async function hearing(run: Run, officer: Actor, caseId: string) {
  await run.event(officer, caseId, { type: 'notice_served', date: run.today, hearingRight: true });
  await run.event(officer, caseId, { type: 'hearing_requested', date: run.today });
  const presider = await run.user('legaladmin1');
  const calendar = await run.core.calendar.calendarFor(run.core.database.db);
  await run.event(officer, caseId, {
    type: 'hearing_notified',
    date: run.today,
    hearingDate: addWorkingDays(calendar, run.today, 8).due,
    hearingTime: '09:30',
    place: '市市场监督管理局三楼听证室',
    presider: presider.displayName,
    presiderId: presider.id,
  });
}

/** 移送: the 专案组's report, the chief's approval (移送书), delivery, and the public security organ's receipt. */
async function transfer(run: Run, officer: Actor, caseId: string, d: LifecycleDemoCase) {
  const team = [officer, ...(await Promise.all(d.team.map((u) => run.user(u))))];
  await reportTransfer(run.core.transfers, officer, caseId, {
    policeOrgan: '盐城市公安局亭湖分局',
    procuratorate: '盐城市亭湖区人民检察院',
    teamIds: team.map((u) => u.id),
    reasons:
      '当事人销售明知是假冒注册商标的白酒，违法所得约十二万元，涉嫌销售假冒注册商标的商品罪（《中华人民共和国刑法》第二百一十四条）。',
    evidence: [
      { name: '涉嫌犯罪案件情况的调查报告', quantity: '1份' },
      { name: '涉案物品清单', quantity: '1份', note: '涉案白酒（假冒“某某”注册商标）1200瓶，已扣押' },
      { name: '现场检查笔录', quantity: '1份' },
      { name: '商标注册人鉴定意见', quantity: '1份' },
      { name: '销售记录及账册', quantity: '1册' },
      { name: '询问笔录', quantity: '3份' },
    ],
  });
  const chief = await run.user('chief1');
  await decideTransfer(run.core.transfers, chief, caseId, { approve: true, note: '同意移送。' });
  await recordDelivery(run.core.transfers, officer, caseId, { method: '专人送达' });
  await recordReceipt(run.core.transfers, officer, caseId, { receiver: '盐城市公安局亭湖分局经侦大队 刘某' });
}

/** Loads the lifecycle demo cases; returns how many were decided. */
export async function loadLifecycleCases(core: LifecycleDemoCore): Promise<number> {
  const run = new Run(core, await demoEvidence(core));
  let decided = 0;
  for (const d of LIFECYCLE_CASES) {
    const { caseId, officer, itemCode } = await begin(run, d);
    await review(run, d, caseId, itemCode);
    if (d.path === 'hearing') await hearing(run, officer, caseId);
    if (d.path === 'transfer') await transfer(run, officer, caseId, d);
    if (d.path === 'archived' || d.path === 'collective') {
      await decide(run, d, officer, caseId);
      decided++;
    }
    if (d.path === 'archived') {
      await run.event(officer, caseId, {
        type: 'executed',
        date: run.today,
        mode: 'voluntary',
        note: '当事人已于送达当日缴清罚款及没收的违法所得',
      });
      await run.event(officer, caseId, { type: 'archived', date: run.today, note: '案卷整理归档' });
    }
  }
  return decided;
}
