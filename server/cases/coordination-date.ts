import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { documentSummariesOfCases } from '../documents/reads.js';
import { formatDateZh } from '../infra/date-format.js';
import type { FieldProblem, StepRules } from '../tasks/step-rules.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import * as q from './queries.js';
import type { CaseRow } from './tables.js';

type Db = Kysely<DB> | Transaction<DB>;

/*
 * When and where a coordination (协调) was held, as its record (协调意见) states them. The coordination step asks for
 * 协调日期 (`coordinationDate`, required) and 协调地点 (`coordinationPlace`, optional): a coordination may be a meeting
 * of both units' heads, which has a place, or an exchange of written views (书面协调), which has none, and a place
 * the form forced would be invented. A flow deployed before the step asked for them gives neither: its record then
 * states no 协调时间 at all (it shows its 记录日期 instead), never the day the step was completed as if the units had
 * met that day.
 */
export const COORDINATION_DATE = 'coordinationDate';
export const COORDINATION_PLACE = 'coordinationPlace';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The coordination's date and place as the step gave them; null where it gave none (a flow without the fields). */
export function coordinationHeld(values: Readonly<Record<string, unknown>>) {
  const date = values[COORDINATION_DATE];
  const place = values[COORDINATION_PLACE];
  return {
    heldOn: typeof date === 'string' && DATE.test(date.trim()) ? date.trim() : null,
    place: typeof place === 'string' && place.trim() ? place.trim() : null,
  };
}

/**
 * The earliest day a coordination of the case can have been held: the day the opinion it settles was issued (the
 * latest signed, normally the 复核意见 that kept the disagreement), as that opinion's document is dated; a case
 * without an opinion, the day it was submitted.
 */
async function earliestDay(db: Db, c: CaseRow): Promise<{ date: string; what: string }> {
  const opinion = await q.latestOpinion(db, c.id);
  if (!opinion) return { date: instantToShanghaiDate(c.created_at), what: '送审日期' };
  const what = opinion.kind === 'rereview' ? '复核意见出具日期' : '审核意见出具日期';
  const docs = opinion.document_id ? await documentSummariesOfCases(db, [c.id]) : [];
  const issued = docs.find((d) => d.id === opinion.document_id)?.created_at ?? opinion.created_at;
  return { date: instantToShanghaiDate(issued), what };
}

/**
 * 协调日期 is a day that has passed (Beijing time) and not before the opinion the coordination is about. A form
 * without the date (a flow deployed before it was asked) has nothing to check.
 */
export async function coordinationDateProblems(
  db: Db,
  c: CaseRow,
  values: Readonly<Record<string, unknown>>,
  now: Date,
): Promise<FieldProblem[]> {
  const { heldOn } = coordinationHeld(values);
  if (!heldOn) return [];
  const today = instantToShanghaiDate(now);
  if (heldOn > today) {
    const message = `协调日期${formatDateZh(heldOn)}晚于今天（${formatDateZh(today)}），请填写协调实际进行的日期`;
    return [{ field: COORDINATION_DATE, message }];
  }
  const earliest = await earliestDay(db, c);
  if (heldOn < earliest.date) {
    const message = `协调日期${formatDateZh(heldOn)}早于${earliest.what}（${formatDateZh(earliest.date)}），协调应在其后进行`;
    return [{ field: COORDINATION_DATE, message }];
  }
  return [];
}

/** The coordination step's rule on its date, at every door of the tasks service. */
export function registerCoordinationRules(rules: StepRules, deps: { db: Kysely<DB>; now: () => Date }): void {
  rules.add('coordinate', async (values, task) => {
    if (!task || !coordinationHeld(values).heldOn) return [];
    const c = await q.findCaseByInstance(deps.db, task.instanceId);
    return c ? coordinationDateProblems(deps.db, c, values, deps.now()) : [];
  });
}
