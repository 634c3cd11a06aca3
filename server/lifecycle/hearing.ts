import { addWorkingDays } from '../workdays/deadlines.js';
import { HEARING_NOTICE_WORKING_DAYS } from './kinds.js';
import * as q from './queries.js';
import type { StageEventInput } from './schemas.js';
import { type Applied, conflict, type EventScope, invalid, mustBeOpenForProcedure } from './scope.js';
import { type HearingDetails, hearingOf } from './state.js';

/** 听证 after the request: notified at least 七日 before (第六十四条第（二）项), held, or given up (第（六）项). */
export async function hearingStep(
  s: EventScope,
  e: Extract<StageEventInput, { type: 'hearing_notified' | 'hearing_held' | 'hearing_waived' }>,
): Promise<Applied> {
  mustBeOpenForProcedure(s);
  const stage = hearingOf(s.stages);
  if (stage?.status !== 'open') throw conflict('当事人没有待举行的听证要求');
  const h = stage.details as unknown as HearingDetails;
  let next: HearingDetails;
  let close = false;
  if (e.type === 'hearing_notified') {
    const earliest = addWorkingDays(s.calendar, e.date, HEARING_NOTICE_WORKING_DAYS).due;
    if (e.hearingDate < earliest) {
      throw invalid(
        'hearingDate',
        `应在举行听证的七日前通知当事人：${e.date}通知的，听证最早于${earliest}举行（行政处罚法第六十四条第（二）项）`,
        {
          earliest,
        },
      );
    }
    if (e.presiderId && s.c.packet.officerIds.includes(e.presiderId)) {
      throw invalid('presider', '听证由非本案调查人员主持（行政处罚法第六十四条第（四）项）');
    }
    next = { ...h, notifiedOn: e.date, scheduledOn: e.hearingDate, place: e.place, presider: e.presider };
  } else if (e.type === 'hearing_held') {
    if (!h.scheduledOn) throw conflict('尚未通知当事人听证的时间、地点');
    if (e.date < h.scheduledOn) throw invalid('date', `听证定于${h.scheduledOn}举行`);
    next = {
      ...h,
      heldOn: e.date,
      factsChanged: e.factsChanged,
      revisedFacts: e.revisedFacts ?? null,
      revisedProposal: e.revisedProposal ?? null,
    };
    close = true;
  } else {
    next = { ...h, waivedOn: e.date, waiveReason: e.reason };
    close = true;
  }
  const details = { ...next, reopenedRound: s.reopenedRound };
  await q.updateStage(s.trx, stage.id, close ? { details, status: 'closed', endedOn: e.date } : { details });
  return { stageId: stage.id, details };
}
