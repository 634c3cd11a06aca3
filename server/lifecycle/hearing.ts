import type { Kysely } from 'kysely';
import type { CaseRow } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import { findUserById, listUsers } from '../identity/directory.js';
import type { WorkingCalendar } from '../workdays/calendar.js';
import { dayNumber, formatDay } from '../workdays/days.js';
import { addWorkingDays } from '../workdays/deadlines.js';
import { HEARING_NOTICE_WORKING_DAYS } from './kinds.js';
import type { Stage } from './queries.js';
import * as q from './queries.js';
import type { StageEventInput } from './schemas.js';
import { type Applied, conflict, type EventScope, invalid, mustBeOpenForProcedure } from './scope.js';
import { type HearingDetails, hearingOf } from './state.js';

/**
 * 第六十四条第（二）项: the earliest day a hearing may be held when the party is notified on `notifiedOn`, the 七日
 * counted in working days (第八十五条). The one rule for the notice's own date and for the day it reaches the party.
 */
export const earliestHearingOn = (calendar: WorkingCalendar, notifiedOn: string) =>
  addWorkingDays(calendar, notifiedOn, HEARING_NOTICE_WORKING_DAYS).due;

/** The last day the party may be notified of a hearing held on `hearingDate`: the same rule, counted back. */
export function latestNoticeOn(calendar: WorkingCalendar, hearingDate: string): string {
  let day = dayNumber(hearingDate) - 1;
  while (earliestHearingOn(calendar, formatDay(day)) > hearingDate) day -= 1;
  return formatDay(day);
}

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
    const earliest = earliestHearingOn(s.calendar, e.date);
    if (e.hearingDate < earliest) {
      throw invalid(
        'hearingDate',
        `应在举行听证的七日前通知当事人：${e.date}通知的，听证最早于${earliest}举行（行政处罚法第六十四条第（二）项）`,
        {
          earliest,
        },
      );
    }
    const presider = await presiderOf(s, e);
    next = {
      ...h,
      notifiedOn: e.date,
      scheduledOn: e.hearingDate,
      hearingTime: e.hearingTime,
      place: e.place,
      presider: presider.name,
      presiderId: presider.id,
    };
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

const PRESIDER_RULE = '听证由行政机关指定的非本案调查人员主持（行政处罚法第六十四条第（四）项）';
const blank = (name: string) => name.replace(/\s+/g, '');
/** The stages whose named actors investigate the case (调查取证, 现场执法, 查封扣押). */
const INVESTIGATING: string[] = ['investigation', 'onsite', 'seizure'];

/**
 * The 听证主持人, identified: a serving member of the agency's staff who is not one of the case's investigators —
 * the officer who submitted it, its 承办执法人员, or anyone named as acting in its 调查取证、现场执法 or 查封扣押. The
 * notice prints the name the directory holds, so the person checked is the person named.
 */
async function presiderOf(s: EventScope, e: Extract<StageEventInput, { type: 'hearing_notified' }>) {
  const user = await findUserById(s.trx, e.presiderId);
  if (!user || user.department_id !== s.c.department_id || !user.active) {
    throw invalid('presiderId', '听证主持人须为本机关在职的工作人员，请从本机关人员中选择', {
      presiderId: e.presiderId,
    });
  }
  const name = user.display_name.trim();
  if (e.presider !== undefined && blank(e.presider) !== blank(name)) {
    throw invalid('presider', `填写的主持人姓名“${e.presider}”与所选人员（${name}）不一致`, {
      presiderId: user.id,
      expected: name,
    });
  }
  const investigators = investigatorsOf(s.c, s.stages);
  if (investigators.ids.has(user.id)) {
    throw invalid('presiderId', `${name}是本案的送审人或承办执法人员，不能主持听证：${PRESIDER_RULE}`, {
      presiderId: user.id,
    });
  }
  if (investigators.names.has(blank(name))) {
    throw invalid(
      'presiderId',
      `${name}是本案调查取证、现场执法或查封扣押环节记录的执法人员，不能主持听证：${PRESIDER_RULE}`,
      { presiderId: user.id },
    );
  }
  return { id: user.id, name };
}

/** Who investigated the case: its submitter and 承办执法人员 by id, the actors its stages name by name. */
function investigatorsOf(c: CaseRow, stages: Stage[]) {
  const actors = stages
    .filter((x) => INVESTIGATING.includes(x.kind))
    .flatMap((x) => (Array.isArray(x.details.actors) ? (x.details.actors as unknown[]) : []))
    .filter((a): a is string => typeof a === 'string');
  return { ids: new Set([c.submitted_by, ...c.packet.officerIds]), names: new Set(actors.map(blank)) };
}

/** The department's serving staff who may preside the case's hearing (the stage panel offers them). */
export async function presiderChoices(db: Kysely<DB>, c: CaseRow, stages: Stage[]) {
  const investigators = investigatorsOf(c, stages);
  const users = await listUsers(db, { departmentId: c.department_id });
  return users
    .filter((u) => u.active && !investigators.ids.has(u.id) && !investigators.names.has(blank(u.display_name)))
    .map((u) => ({ id: u.id, name: u.display_name, position: u.position ?? u.unit_name ?? null }));
}
