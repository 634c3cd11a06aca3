import type { BaseElement } from 'bpmn-moddle';
import { describe } from '../issues.js';
import { isStep, REVIEW_STEPS } from '../steps.js';
import type { RuleFactory } from '../types.js';
import { childrenOf, stringOf } from '../walk.js';

// A review step is the reviewer's 审核 or 复核; other reviewer tasks (acknowledging a reminder, say) have no
// statutory time limit. A task says so with its step; one without a step is judged by its role and name.
const REVIEW_NAME = /审核|复核/;

export function isReviewTask(node: BaseElement): boolean {
  if (node.$type !== 'bpmn:UserTask') return false;
  const step = stringOf(node, 'step');
  if (isStep(step)) return REVIEW_STEPS.includes(step);
  return node.role === 'reviewer' && REVIEW_NAME.test(String(node.name ?? ''));
}

/** The task has a timer boundary event: the timer is its time limit. */
export function hasBoundaryTimer(task: BaseElement): boolean {
  const scope = task.$parent;
  if (!scope) return false;
  return childrenOf(scope, 'flowElements').some(
    (e) =>
      e.$type === 'bpmn:BoundaryEvent' &&
      e.attachedToRef === task &&
      childrenOf(e, 'eventDefinitions').some((d) => d.$type === 'bpmn:TimerEventDefinition'),
  );
}

/** The review time limit (审核时限) is the law's; a review task without one could wait for ever unnoticed. */
const reviewTaskDeadline: RuleFactory = () => ({
  meta: { documentation: { description: '法制审核、复核任务须设置审核时限（工作日）或定时边界事件' } },
  check(node, reporter) {
    if (!isReviewTask(node)) return undefined;
    if (node.deadlineWorkingDays !== undefined || hasBoundaryTimer(node)) return undefined;
    reporter.report(
      node.id,
      `${describe(node)}“${node.name}”是审核任务，须设置审核时限（fashen:deadlineWorkingDays，工作日）或附加定时边界事件`,
      { code: 'BPMN_INVALID' },
    );
    return undefined;
  },
});

export default reviewTaskDeadline;
