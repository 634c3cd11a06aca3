import { documentData } from '../cases/document-data.js';
import { personFor, recordedPerson } from '../cases/people.js';
import { CONCLUSION_LABELS } from '../cases/review-points.js';
import { type CaseServiceDeps, caseOf, opinionInForce, text } from '../cases/service-kit.js';
import type { ServiceCall, ServiceRegistry } from '../engine/registry.js';
import { AppError } from '../http/errors.js';
import { type Leader, listLeaders } from './queries.js';
import { MAX_LEADERS, quorumOf, RESULT_LABELS, tally, VOTES, type Vote } from './rules.js';

/** The names the collective discussion's BPMN calls. */
export const COLLECTIVE_SERVICE_NAMES = ['collective.convene', 'collective.tally'] as const;

/** 出席人员: one leader per line (or separated by commas / 、), named by user id, login name or name. */
function chosenLeaders(input: string, leaders: Leader[]): { chosen: Leader[]; unknown: string[] } {
  const names = [
    ...new Set(
      input
        .split(/[\r\n,，、;；]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const chosen: Leader[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const leader = leaders.find((l) => l.userId === name || l.username === name || l.name === name);
    if (!leader) unknown.push(name);
    else if (!chosen.includes(leader)) chosen.push(leader);
  }
  return { chosen, unknown };
}

const shanghaiTime = (at: Date) =>
  at.toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

/**
 * 集体讨论 (行政处罚法第五十七条第二款): the chief convenes the agency's leadership (at least more than half of its
 * list), each attendee answers in their own task of a 会签, and the result is the majority's, in minutes the
 * chair signs.
 */
export function registerCollectiveServices(registry: ServiceRegistry, deps: CaseServiceDeps): void {
  registry.add('collective.convene', async (call) => {
    const c = await caseOf(call);
    if (!call.actorId) throw new Error('集体讨论须由负责人召集');
    const leaders = await listLeaders(call.trx, c.department_id);
    if (leaders.length === 0) {
      throw new AppError(409, 'CONFLICT', '本机关尚未设置负责人名单（领导班子），无法召集集体讨论');
    }
    const { chosen, unknown } = chosenLeaders(text(call.variables.attendees), leaders);
    if (unknown.length > 0) {
      throw new AppError(400, 'VALIDATION_FAILED', `出席人员不在本机关负责人名单中：${unknown.join('、')}`, {
        field: 'attendees',
        unknown,
      });
    }
    const quorum = quorumOf(leaders.length);
    if (chosen.length < quorum || chosen.length > MAX_LEADERS) {
      throw new AppError(
        422,
        'QUORUM_NOT_MET',
        `集体讨论须有过半数负责人出席：本机关负责人 ${leaders.length} 人，至少 ${quorum} 人出席，现出席 ${chosen.length} 人`,
        { field: 'attendees', leaders: leaders.length, quorum, attending: chosen.length },
      );
    }
    const heldAt = deps.clock.now();
    call.record('case.collective_convened', {
      caseId: c.id,
      place: text(call.variables.place),
      heldAt: heldAt.toISOString(),
      leaders: leaders.length,
      quorum,
      attendees: chosen.map((l) => ({ userId: l.userId, name: l.name, position: l.position })),
      chair: recordedPerson(await personFor(call.trx, call.actorId, c.department_id)),
    });
    return {
      collectiveAttendees: chosen.map((l) => l.userId),
      collectiveChairId: call.actorId,
      collectiveHeldAt: heldAt.toISOString(),
      collectiveVotes: {},
      collectiveResult: null,
    };
  });

  registry.add('collective.tally', async (call) => tallyDiscussion(call, deps));
}

async function tallyDiscussion(call: ServiceCall, deps: CaseServiceDeps) {
  const c = await caseOf(call);
  const v = call.variables;
  const leaders = await listLeaders(call.trx, c.department_id);
  const attendeeIds = (v.collectiveAttendees as string[] | undefined) ?? [];
  const answers = (v.collectiveVotes ?? {}) as Record<string, { vote?: unknown; opinion?: unknown }>;
  const attendees = attendeeIds.map((userId, i) => {
    const leader = leaders.find((l) => l.userId === userId);
    const answer = answers[userId] ?? {};
    const vote = VOTES.find((x) => x === answer.vote);
    if (!vote) throw new Error(`出席人员 ${leader?.name ?? userId} 尚未表决`);
    return {
      no: i + 1,
      userId,
      name: leader?.name ?? '',
      position: leader?.position ?? '负责人',
      vote: vote as Vote,
      opinion: text(answer.opinion) || '（无）',
    };
  });
  const counted = tally(attendees.map((a) => a.vote));
  const chairId = String(v.collectiveChairId);
  const chair = await personFor(call.trx, chairId, c.department_id);
  const heldAt = new Date(String(v.collectiveHeldAt));
  const opinion = await opinionInForce(call.trx, deps, c.id);
  const collective = {
    heldAt: shanghaiTime(heldAt),
    place: text(v.place) || '本机关会议室',
    chair: { name: chair?.name ?? '', title: chair?.ownPosition ? chair.position : '负责人' },
    proposal: c.packet.proposedDecision,
    // The opinion in force: a 复核 that changed the review's conclusion speaks last (the review form's variable
    // would still hold the first one).
    reviewConclusion: opinion ? CONCLUSION_LABELS[opinion.conclusion] : null,
    reviewOpinionNumber: opinion?.number ?? null,
    leadersTotal: Math.max(leaders.length, attendees.length),
    attending: attendees.length,
    attendees: attendees.map(({ userId: _u, ...a }) => a),
    agree: counted.agree,
    disagree: counted.disagree,
    result: RESULT_LABELS[counted.result],
  };
  // The minutes are the chair's: issued for the agency and signed by the chief who convened and chaired.
  const now = deps.clock.now();
  const data = await documentData(call.trx, c, 'collective_record', { collective, actorId: chairId }, now);
  const doc = await deps.documents.issue(call.trx, {
    departmentId: c.department_id,
    caseId: c.id,
    kind: 'collective_record',
    data,
    createdBy: chairId,
    at: now,
  });
  await deps.documents.sign(call.trx, doc.id, chairId, now);
  call.record('case.collective_discussed', {
    caseId: c.id,
    result: counted.result,
    resultLabel: RESULT_LABELS[counted.result],
    agree: counted.agree,
    disagree: counted.disagree,
    opinions: attendees.map((a) => ({ userId: a.userId, name: a.name, vote: a.vote, opinion: a.opinion })),
    documentId: doc.id,
    number: doc.number,
  });
  const issuer = data.issuer as { name: string; unit: string; position: string };
  call.record('document.issued', {
    caseId: c.id,
    documentId: doc.id,
    kind: 'collective_record',
    number: doc.number,
    sm3: doc.sm3,
    by: { userId: chairId, name: issuer.name, unit: issuer.unit, position: issuer.position },
  });
  return { collectiveResult: counted.result, collectiveRecordId: doc.id };
}
