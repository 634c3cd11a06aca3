import type { Kysely } from 'kysely';
import { casesOfNumberAndParty } from '../cases/reads.js';
import type { DB } from '../database/schema.js';
import { instanceTasks } from '../engine/reads.js';
import { AppError } from '../http/errors.js';
import { CASE_STATUS_LABELS, CATEGORY_LABELS } from '../http/view-engine.js';

export const NOT_FOUND_MESSAGE = '案件编号与当事人证件号码（统一社会信用代码）不匹配，请核对后再查询';

/**
 * The party's cases by number and code with their stages and deadlines, nothing else (no people, no content);
 * the ids stay server-side (the survey uses them), the API strips them.
 */
export async function progressCases(db: Kysely<DB>, caseNumber: string, code: string) {
  const rows = await casesOfNumberAndParty(db, caseNumber.trim(), code.trim());
  if (rows.length === 0) throw new AppError(404, 'NOT_FOUND', NOT_FOUND_MESSAGE);
  return Promise.all(
    rows.map(async (c) => ({
      id: c.id,
      caseNumber: c.case_number,
      title: c.title,
      agency: c.department_name,
      category: CATEGORY_LABELS[c.category] ?? c.category,
      status: CASE_STATUS_LABELS[c.status] ?? c.status,
      submittedAt: c.created_at.toISOString(),
      decisionDate: c.decision_date,
      stages: (c.instance_id ? await instanceTasks(db, c.instance_id) : []).map((t) => ({
        name: t.name,
        state: (t.status === 'open' ? 'open' : 'done') as 'open' | 'done',
        startedAt: t.created_at.toISOString(),
        dueAt: t.due_at?.toISOString() ?? null,
        endedAt: t.ended_at?.toISOString() ?? null,
      })),
    })),
  );
}

/** What the API answers: the cases without their internal ids. */
export async function progressOf(db: Kysely<DB>, caseNumber: string, code: string) {
  const cases = await progressCases(db, caseNumber, code);
  return { cases: cases.map(({ id: _id, ...c }) => c) };
}
