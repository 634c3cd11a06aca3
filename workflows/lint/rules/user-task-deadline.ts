import type { BaseElement } from 'bpmn-moddle';
import { cataloguesOf } from '../catalogue.js';
import { describe } from '../issues.js';
import { isStep, STEPS } from '../steps.js';
import type { RuleFactory } from '../types.js';
import { stringOf } from '../walk.js';
import { hasBoundaryTimer } from './review-task-deadline.js';

function inReviewProcess(node: BaseElement): boolean {
  let scope = node.$parent;
  while (scope && scope.$type !== 'bpmn:Process') scope = scope.$parent;
  return !!scope && cataloguesOf(scope).length > 0;
}

/**
 * Every user task has a time limit (办理期限): its own fashen:deadlineWorkingDays, a timer boundary event, or its
 * step's default (STEPS[step].defaultWorkingDays, which the server applies when it compiles the process). A task
 * without any could stall the case unnoticed — and with it every later limit, the review's included.
 *
 * It judges the processes that run the legal review, those declaring a catalogue (目录清单); a plain workflow
 * without one (a test of the engine, say) may keep a task open for as long as it likes.
 */
const userTaskDeadline: RuleFactory = () => ({
  meta: {
    documentation: { description: '每个用户任务都须有办理期限（工作日）：自行设置、定时边界事件或审核步骤的默认期限' },
  },
  check(node, reporter) {
    if (node.$type !== 'bpmn:UserTask') return undefined;
    if (node.deadlineWorkingDays !== undefined || hasBoundaryTimer(node)) return undefined;
    if (!inReviewProcess(node)) return undefined;
    const step = stringOf(node, 'step');
    if (isStep(step) && STEPS[step].defaultWorkingDays > 0) return undefined;
    reporter.report(
      node.id,
      `${describe(node)}“${node.name ?? ''}”没有办理期限：请设置 fashen:deadlineWorkingDays（工作日）、附加定时边界事件，或标明审核步骤（fashen:step）以采用该步骤的默认期限`,
      { code: 'BPMN_INVALID' },
    );
    return undefined;
  },
});

export default userTaskDeadline;
