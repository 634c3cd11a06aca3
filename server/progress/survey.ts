import type { Kysely } from 'kysely';
import { casesOfNumberAndParty } from '../cases/reads.js';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import { NOT_FOUND_MESSAGE } from './progress.js';
import type { Rating } from './tables.js';

export const RATING_LABELS: Record<Rating, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
};
export const RATINGS = Object.keys(RATING_LABELS) as Rating[];

/** The one question, as the portal and the indicator's definition state it. */
export const SURVEY_QUESTION = '您对本案执法机关的办理工作是否满意？';

/**
 * Records the party's answer for its case. The party proves itself exactly as for the progress query (case number
 * and ID or credit code), and a wrong pair is refused with the same message. One answer per case: a new answer
 * replaces the earlier one, so the indicator counts each case once.
 */
export async function answerSurvey(
  db: Kysely<DB>,
  input: { caseNumber: string; partyCode: string; rating: Rating; comment?: string },
  now: Date,
) {
  const found = await casesOfNumberAndParty(db, input.caseNumber.trim(), input.partyCode.trim());
  if (found.length === 0) throw new AppError(404, 'NOT_FOUND', NOT_FOUND_MESSAGE);
  const comment = (input.comment ?? '').trim();
  const { rating } = input;
  await db
    .insertInto('satisfaction_responses')
    .values(found.map((c) => ({ case_id: c.id, department_id: c.department_id, rating, comment, answered_at: now })))
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ rating, comment, answered_at: now }))
    .execute();
  return { caseNumber: found[0].case_number, rating, answeredAt: now };
}

/** The party's current answer for cases it has proved, if any (to show on its progress page). */
export async function surveyAnswerOf(db: Kysely<DB>, caseIds: string[]) {
  if (caseIds.length === 0) return undefined;
  return db
    .selectFrom('satisfaction_responses')
    .select(['rating', 'answered_at'])
    .where('case_id', 'in', caseIds)
    .orderBy('answered_at', 'desc')
    .executeTakeFirst();
}
