import type { BaseElement } from 'bpmn-moddle';
import { feelSyntaxErrors, MAX_CONDITION_CHARS } from './expressions.js';
import { describe, type Issue, issueAt } from './issues.js';
import { childOf, stringOf } from './walk.js';

/** The most attendees a 会签 task may have: the runtime refuses a longer list, deploy a definition it cannot bound. */
export const MAX_COUNTERSIGNERS = 15;

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Parts of BPMN multi-instance that the runtime does not run: data inputs and outputs, events, cardinality. */
const UNSUPPORTED_PARTS: [string, string][] = [
  ['loopCardinality', 'loopCardinality（会签人员须由 fashen:collection 给出的名单决定）'],
  ['loopDataInputRef', 'loopDataInputRef（请用 fashen:collection 指定名单变量）'],
  ['loopDataOutputRef', 'loopDataOutputRef（请用 fashen:outputVariable 指定意见变量）'],
  ['inputDataItem', 'inputDataItem'],
  ['outputDataItem', 'outputDataItem'],
  ['complexBehaviorDefinition', 'complexBehaviorDefinition'],
  ['oneBehaviorEventRef', 'oneBehaviorEventRef'],
  ['noneBehaviorEventRef', 'noneBehaviorEventRef'],
];

/**
 * A multi-instance task (会签) runs only in the shape the runtime can keep safe: a user task, one iteration per user
 * id in the list a case variable holds (fashen:collection, at most MAX_COUNTERSIGNERS), each assigned to that user,
 * and an optional FEEL completion condition. Anything else is refused, naming the task.
 */
export function checkMultiInstance(loop: BaseElement): Issue[] {
  const task = loop.$parent;
  const where = task ? describe(task) : describe(loop);
  const at = (code: Issue['code'], message: string) => issueAt(code, task ?? loop, `${where}的会签设置${message}`);
  if (task?.$type !== 'bpmn:UserTask') {
    return [issueAt('BPMN_UNSUPPORTED', task ?? loop, `${where}不能设置多实例（会签）：只有用户任务可以会签`)];
  }
  const issues: Issue[] = [];
  for (const [property, label] of UNSUPPORTED_PARTS) {
    if (loop[property] !== undefined && loop[property] !== null) {
      issues.push(at('BPMN_UNSUPPORTED', `不支持 ${label}`));
    }
  }
  const behavior = stringOf(loop, 'behavior');
  if (behavior !== undefined && behavior !== 'All') issues.push(at('BPMN_UNSUPPORTED', `不支持 behavior“${behavior}”`));
  const collection = stringOf(loop, 'collection');
  if (collection === undefined) {
    issues.push(
      at('BPMN_INVALID', `缺少 fashen:collection（保存参会人员用户名单的变量名，最多 ${MAX_COUNTERSIGNERS} 人）`),
    );
  }
  for (const property of ['collection', 'elementVariable', 'outputVariable']) {
    const value = stringOf(loop, property);
    if (value !== undefined && !VARIABLE.test(value))
      issues.push(at('BPMN_INVALID', `的 fashen:${property}“${value}”不是合法的变量名`));
  }
  if (stringOf(task, 'assignee') !== undefined || stringOf(task, 'assigneeVariable') !== undefined) {
    issues.push(
      at('BPMN_INVALID', '与 fashen:assignee / fashen:assigneeVariable 冲突：会签任务逐一分配给名单中的人员'),
    );
  }
  const condition = childOf(loop, 'completionCondition');
  if (condition) issues.push(...checkCompletion(condition, at));
  return issues;
}

function checkCompletion(condition: BaseElement, at: (code: Issue['code'], message: string) => Issue): Issue[] {
  const language = stringOf(condition, 'language');
  if (language !== undefined && language.toLowerCase() !== 'feel') {
    return [at('BPMN_UNSAFE', `的完成条件使用了 ${language} 语言；只允许 FEEL`)];
  }
  const body = (stringOf(condition, 'body') ?? '').trim();
  if (body === '') return [at('BPMN_INVALID', '的完成条件为空')];
  if (body.length > MAX_CONDITION_CHARS)
    return [at('BPMN_INVALID', `的完成条件过长（最多 ${MAX_CONDITION_CHARS} 个字符）`)];
  const errors = feelSyntaxErrors(body);
  return errors.length > 0
    ? [at('BPMN_INVALID', `的完成条件不是有效的 FEEL 表达式（第 ${errors[0] + 1} 个字符处）`)]
    : [];
}
