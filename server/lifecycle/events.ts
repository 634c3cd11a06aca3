import { AppError } from '../http/errors.js';
import { dayNumber, endOfShanghaiDay } from '../workdays/days.js';
import { addCalendarDays, addWorkingDays } from '../workdays/deadlines.js';
import { proposalToNotify } from './documents.js';
import { hearingStep } from './hearing.js';
import {
  DECISION_LIMIT_DAYS,
  DEFAULT_STATEMENT_WORKING_DAYS,
  EXECUTION_MODES,
  HEARING_REQUEST_WORKING_DAYS,
  isRecording,
  LIMIT_REMINDER_DAYS,
  OPENABLE_KINDS,
  RECORDING_REQUIRED,
  SERVICE_METHODS,
  STAGE_LABELS,
} from './kinds.js';
import * as q from './queries.js';
import type { StageEventInput } from './schemas.js';
import { type Applied, conflict, type EventScope, invalid, mustBeOpenForProcedure } from './scope.js';
import {
  checkLeftService,
  decisionName,
  deemedService,
  servedDocumentsOf,
  servedRefs,
  servedTheDecision,
} from './service-rules.js';
import { type HearingDetails, hearingOf, noticeOf } from './state.js';

// Timer kinds: the migration allows every owned timer kind starting with lifecycle_.
export const LIMIT_KIND = 'lifecycle_limit';
export const REMINDER_KIND = 'lifecycle_reminder';
export const NOTICE_KIND = 'lifecycle_notice_period';

function limitTimers(dueOn: string, dueAt: Date, now: Date) {
  const reminderAt = endOfShanghaiDay(dayNumber(dueOn) - LIMIT_REMINDER_DAYS);
  return [{ kind: LIMIT_KIND, dueAt }, ...(reminderAt > now ? [{ kind: REMINDER_KIND, dueAt: reminderAt }] : [])];
}

function stageOf(s: EventScope, id: string) {
  const stage = s.stages.find((x) => x.id === id);
  if (!stage) throw new AppError(404, 'STAGE_NOT_FOUND', '本案没有这个环节', { field: 'stageId' });
  return stage;
}

function mustBeDecided(s: EventScope, what: string) {
  if (!s.c.decision) throw conflict(`本案尚未作出决定，不能记录${what}`);
}

export async function applyEvent(s: EventScope, e: StageEventInput): Promise<Applied> {
  const { trx, c } = s;
  if (e.type === 'filed') {
    if (s.lc) throw conflict(`本案已于${s.lc.filed_on}立案`);
    const due = addCalendarDays(s.calendar, e.date, DECISION_LIMIT_DAYS, true);
    await q.insertLifecycle(trx, { caseId: c.id, filedOn: e.date, dueOn: due.due, by: s.actorId });
    const stage = await q.insertStage(trx, {
      caseId: c.id,
      kind: 'filing',
      status: 'closed',
      startedOn: e.date,
      endedOn: e.date,
      details: { note: e.note ?? null },
      by: s.actorId,
    });
    return {
      stageId: stage.id,
      details: { decisionDueOn: due.due, limitDays: DECISION_LIMIT_DAYS },
      timers: { schedule: limitTimers(due.due, due.dueAt, s.now) },
    };
  }
  if (!s.lc) throw conflict('本案尚未立案，请先记录立案', { field: 'type' });
  const lc = s.lc;
  if (lc.archived_on) throw conflict(`本案已于${lc.archived_on}结案归档`);
  if (e.date < lc.filed_on) throw invalid('date', `日期早于立案日期（${lc.filed_on}）`);
  switch (e.type) {
    case 'stage_opened': {
      const stage = await q.insertStage(trx, {
        caseId: c.id,
        kind: e.kind,
        status: 'open',
        startedOn: e.date,
        details: { actors: e.actors ?? [], note: e.note ?? null },
        by: s.actorId,
      });
      return { stageId: stage.id, details: { kind: e.kind, label: STAGE_LABELS[e.kind], actors: e.actors ?? [] } };
    }
    case 'stage_closed': {
      const stage = stageOf(s, e.stageId);
      if (!(OPENABLE_KINDS as readonly string[]).includes(stage.kind) || stage.status !== 'open') {
        throw conflict(`${STAGE_LABELS[stage.kind]}环节不是进行中的环节`, { field: 'stageId' });
      }
      if (e.date < stage.started_on) throw invalid('date', `结束日期早于开始日期（${stage.started_on}）`);
      if (RECORDING_REQUIRED.includes(stage.kind)) {
        const files = (await q.stageFiles(trx, c.id)).filter((f) => f.stage_id === stage.id);
        if (!files.some((f) => isRecording(f.media_type))) {
          throw new AppError(
            409,
            'RECORDING_REQUIRED',
            `${STAGE_LABELS[stage.kind]}须全程音像记录：请先上传并关联至少一个音频或视频文件（按文件内容识别），再结束本环节`,
            { field: 'stageId', stageId: stage.id, kind: stage.kind },
          );
        }
      }
      await q.updateStage(trx, stage.id, {
        status: 'closed',
        endedOn: e.date,
        details: { ...stage.details, closeNote: e.note ?? null },
      });
      return { stageId: stage.id, details: { kind: stage.kind, label: STAGE_LABELS[stage.kind] } };
    }
    case 'files_linked': {
      const stage = stageOf(s, e.stageId);
      return { stageId: stage.id, details: { kind: stage.kind, purpose: e.purpose } };
    }
    case 'notice_served': {
      mustBeOpenForProcedure(s);
      const days = e.statementWorkingDays ?? DEFAULT_STATEMENT_WORKING_DAYS;
      const statement = addWorkingDays(s.calendar, e.date, days);
      const hearing = e.hearingRight ? addWorkingDays(s.calendar, e.date, HEARING_REQUEST_WORKING_DAYS) : null;
      const details = {
        statementWorkingDays: days,
        statementDue: statement.due,
        hearingRight: e.hearingRight,
        hearingRequestDue: hearing?.due ?? null,
        proposal: proposalToNotify(c),
      };
      const stage = await q.insertStage(trx, {
        caseId: c.id,
        kind: 'notice',
        status: 'closed',
        startedOn: e.date,
        endedOn: e.date,
        details,
        by: s.actorId,
      });
      const ends = hearing && hearing.dueAt > statement.dueAt ? hearing.dueAt : statement.dueAt;
      return { stageId: stage.id, details, noticeTimer: ends };
    }
    case 'statement': {
      mustBeOpenForProcedure(s);
      if (!noticeOf(s.stages)) throw conflict('尚未事先告知，不能记录陈述、申辩');
      const details = {
        waived: e.waived,
        hearingWaived: e.hearingWaived === true,
        content: e.content ?? null,
        factsChanged: !e.waived && e.factsChanged === true,
        revisedFacts: e.revisedFacts ?? null,
        revisedProposal: e.revisedProposal ?? null,
        reopenedRound: s.reopenedRound,
      };
      const stage = await q.insertStage(trx, {
        caseId: c.id,
        kind: 'statement',
        status: 'closed',
        startedOn: e.date,
        endedOn: e.date,
        details,
        by: s.actorId,
      });
      return { stageId: stage.id, details };
    }
    case 'hearing_requested': {
      mustBeOpenForProcedure(s);
      const notice = noticeOf(s.stages);
      if (!notice?.hearingRight || !notice.hearingRequestDue)
        throw conflict('事先告知未告知要求听证的权利，不能记录听证要求');
      if (e.date > notice.hearingRequestDue) {
        throw conflict(
          `当事人应在告知后五日内（${notice.hearingRequestDue}前）要求听证（行政处罚法第六十四条第（一）项）`,
          {
            field: 'date',
            due: notice.hearingRequestDue,
          },
        );
      }
      const open = hearingOf(s.stages);
      if (open && open.status === 'open') throw conflict('当事人已要求听证');
      const stage = await q.insertStage(trx, {
        caseId: c.id,
        kind: 'hearing',
        status: 'open',
        startedOn: e.date,
        details: { requestedOn: e.date } satisfies HearingDetails,
        by: s.actorId,
      });
      return { stageId: stage.id, details: { requestedOn: e.date } };
    }
    case 'hearing_notified':
    case 'hearing_held':
    case 'hearing_waived':
      return hearingStep(s, e);
    case 'served': {
      // The decision is served after it is made; a notice (告知书、听证通知书) from the day it was issued, before it.
      const servesDecision = servedRefs(e).includes('decision');
      if (servesDecision) mustBeDecided(s, `${decisionName(c)}的送达`);
      const decision = c.decision;
      if (servesDecision && decision && e.date < decision.date) {
        throw invalid('date', `送达日期早于决定日期（${decision.date}）`);
      }
      const place = e.servicePlace?.trim() || null;
      if (place && e.method === 'public_notice') {
        throw invalid('servicePlace', '公告送达不填写送达地点：送达回证载明公告发出日期和视为送达日期');
      }
      if (e.method === 'electronic' && e.consentConfirmed !== true) {
        throw invalid('consentConfirmed', '电子送达须当事人同意并签订确认书（行政处罚法第六十一条第二款）');
      }
      await checkLeftService(trx, c, e);
      const documents = await servedDocumentsOf(trx, s.calendar, c, e);
      const inTime = servesDecision && decision ? addWorkingDays(s.calendar, decision.date, 7).due : null;
      const deemed = e.method === 'public_notice' ? deemedService(s.calendar, e.date) : null;
      const details = {
        method: e.method,
        methodLabel: SERVICE_METHODS[e.method],
        recipient: e.recipient ?? null,
        place,
        consentConfirmed: e.consentConfirmed ?? null,
        late: inTime !== null && e.method !== 'direct' && e.date > inTime,
        // Counted Monday–Friday when the year of its 30th day has no holiday notice loaded: the receipt says so.
        ...(deemed && { deemedServedOn: deemed.due, ...(deemed.provisional && { deemedProvisional: true }) }),
        documents,
        witness: e.witness?.trim() || null,
        refusalReason: e.refusalReason?.trim() || null,
      };
      const stage = await q.insertStage(trx, {
        caseId: c.id,
        kind: 'service',
        status: 'closed',
        startedOn: e.date,
        endedOn: e.date,
        details,
        by: s.actorId,
      });
      return { stageId: stage.id, details };
    }
    case 'executed': {
      mustBeDecided(s, '执行');
      const details = { mode: e.mode, modeLabel: EXECUTION_MODES[e.mode], note: e.note ?? null };
      const stage = await q.insertStage(trx, {
        caseId: c.id,
        kind: 'execution',
        status: 'closed',
        startedOn: e.date,
        endedOn: e.date,
        details,
        by: s.actorId,
      });
      return { stageId: stage.id, details };
    }
    case 'limit_extended': {
      if (lc.extension) throw conflict('办案期限只能延长一次');
      if (c.decision) throw conflict('本案已作出决定，无需延长办案期限');
      const due = addCalendarDays(s.calendar, lc.decision_due_on, e.days, true);
      const extension = {
        days: e.days,
        basis: e.basis,
        reason: e.reason,
        approvedBy: s.actorId ?? '',
        approvedOn: e.date,
      };
      await q.updateLifecycle(trx, c.id, { dueOn: due.due, extension });
      return {
        stageId: null,
        details: { ...extension, previousDueOn: lc.decision_due_on, decisionDueOn: due.due },
        timers: { cancel: true, schedule: limitTimers(due.due, due.dueAt, s.now) },
      };
    }
    case 'archived': {
      const open = s.stages.filter((x) => x.status === 'open');
      if (open.length) {
        throw conflict(`尚有未结束的环节：${open.map((x) => STAGE_LABELS[x.kind]).join('、')}`, {
          openStages: open.map((x) => x.id),
        });
      }
      if (c.decision && !s.stages.some(servedTheDecision)) throw conflict('决定书尚未送达，不能结案归档');
      if (!c.decision && !['not_approved', 'transferred', 'withdrawn'].includes(c.status)) {
        throw conflict('本案尚未作出决定，不能结案归档');
      }
      await q.updateLifecycle(trx, c.id, { archivedOn: e.date });
      const stage = await q.insertStage(trx, {
        caseId: c.id,
        kind: 'archive',
        status: 'closed',
        startedOn: e.date,
        endedOn: e.date,
        details: { note: e.note ?? null },
        by: s.actorId,
      });
      return { stageId: stage.id, details: {}, timers: { cancel: true } };
    }
  }
}
