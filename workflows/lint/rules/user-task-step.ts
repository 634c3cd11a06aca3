import type { BaseElement } from 'bpmn-moddle';
import { cataloguesOf } from '../catalogue.js';
import { describe } from '../issues.js';
import { isStep, STEP_NAMES, STEPS, type Step } from '../steps.js';
import type { Reporter, RuleFactory } from '../types.js';
import { flowElementsDeep, stringOf } from '../walk.js';

const steps = STEP_NAMES.join('、');
const named = (step: Step) => `“${STEPS[step].label}”（fashen:step="${step}"）`;

function checkValue(task: BaseElement, reporter: Reporter): void {
  const step = stringOf(task, 'step');
  if (step === undefined || isStep(step)) return;
  reporter.report(task.id, `${describe(task)}的 fashen:step“${step}”无效（可用：${steps}）`, { code: 'BPMN_INVALID' });
}

function checkProcess(process: BaseElement, reporter: Reporter): void {
  const first = new Map<Step, BaseElement>();
  for (const task of flowElementsDeep(process)) {
    const step = task.$type === 'bpmn:UserTask' ? stringOf(task, 'step') : undefined;
    if (!isStep(step)) continue;
    const earlier = first.get(step);
    if (!earlier) first.set(step, task);
    else if (STEPS[step].unique) {
      reporter.report(
        task.id,
        `${describe(task)}与 ${describe(earlier)} 都标为${named(step)}；一个流程只能有一个此步骤`,
        {
          code: 'BPMN_INVALID',
        },
      );
    }
  }
  if (cataloguesOf(process).length > 0 && !first.has('review')) {
    reporter.report(
      process.id,
      `${describe(process)}有目录清单（fashen:catalogue），须在法制审核任务上标明${named('review')}，审核时限和统计都按它计算`,
      { code: 'BPMN_INVALID' },
    );
  }
}

/**
 * A user task says what step of the review it is (`fashen:step`), which the workbench's forms and the figures
 * rely on whatever its id: the value must be known, a process with a catalogue must mark its review step, and
 * a step that happens once (e.g. 法制审核) may be marked on one task only.
 */
const userTaskStep: RuleFactory = () => ({
  meta: {
    documentation: {
      description:
        '用户任务以 fashen:step 标明审核步骤：取值有效；有目录清单的流程须标明法制审核步骤；唯一的步骤不得重复',
    },
  },
  check(node, reporter) {
    if (node.$type === 'bpmn:UserTask') checkValue(node, reporter);
    if (node.$type === 'bpmn:Process') checkProcess(node, reporter);
    return undefined;
  },
});

export default userTaskStep;
