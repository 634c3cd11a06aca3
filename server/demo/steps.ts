import type { Core } from '../assembly.js';
import { pointsFor } from '../cases/point-lists.js';
import { CRIME_POINT, FINDING_LABELS } from '../cases/review-points.js';
import { visibleCase } from '../cases/service.js';
import { instanceTasks } from '../engine/reads.js';
import type { Actor } from '../identity/service.js';
import { completeTask } from '../tasks/actions.js';
import { actorById } from './actors.js';

export type StepCore = Pick<Core, 'database' | 'cases' | 'tasks'>;

/** The case's open tasks at one BPMN element (several for a 会签). */
export async function openTasks(core: StepCore, actor: Actor, caseId: string, elementId: string) {
  const c = await visibleCase(core.cases, actor, caseId);
  if (!c.instance_id) throw new Error(`demo case ${c.case_number} has no review process`);
  const tasks = await instanceTasks(core.database.db, c.instance_id);
  return tasks.filter((t) => t.element_id === elementId && t.status === 'open');
}

/**
 * Completes the one open task at `elementId` through the tasks service (the same checks as the workbench), as
 * `actor`, or as the user the task is assigned to (the reviewer the process chose) when `actor` is null.
 */
export async function completeStep(
  core: StepCore,
  viewer: Actor,
  caseId: string,
  elementId: string,
  form: Record<string, unknown>,
  actor: Actor | null = viewer,
) {
  const [task] = await openTasks(core, viewer, caseId, elementId);
  if (!task) throw new Error(`demo case: no open ${elementId}`);
  const by = actor ?? (task.assignee_id ? await actorById(core.database.db, task.assignee_id) : null);
  if (!by) throw new Error(`demo case: nobody to complete ${elementId}`);
  await completeTask(core.tasks, by, task.id, form);
}

/**
 * A review opinion on every point the department (and the catalogue item) asks: all 符合, or, for a suspected
 * crime, the crime point answered 是（需移送） with its reasons and the conclusion 建议移送司法机关.
 */
export async function reviewForm(
  core: StepCore,
  departmentId: string,
  itemCode: string | null,
  opinion: { reasons: string; crime?: string },
) {
  const points = await pointsFor(core.database.db, departmentId, itemCode);
  const form: Record<string, unknown> = {};
  for (const p of points) {
    const crime = p.key === CRIME_POINT;
    form[`finding_${p.key}`] = crime
      ? opinion.crime
        ? FINDING_LABELS.transfer_required
        : FINDING_LABELS.no_crime
      : FINDING_LABELS.conform;
    form[`note_${p.key}`] = crime && opinion.crime ? opinion.crime : '';
  }
  return { ...form, conclusion: opinion.crime ? '建议移送司法机关' : '同意', reasons: opinion.reasons };
}
