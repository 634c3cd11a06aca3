import type { BaseElement } from 'bpmn-moddle';
import { describe, type Issue, issueAt } from './issues.js';
import { checkMultiInstance } from './multi-instance.js';
import { hasBoundaryTimer, isReviewTask } from './rules/review-task-deadline.js';
import { checkTimer, defaultTimerBounds, type TimerBounds } from './timers.js';
import { childrenOf, stringOf } from './walk.js';

/** What the runtime executes or safely ignores. Everything else in an upload is refused. */
const SUPPORTED = new Set([
  'bpmn:Definitions',
  'bpmn:Process',
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:TerminateEventDefinition',
  'bpmn:Task',
  'bpmn:ManualTask',
  'bpmn:UserTask',
  'bpmn:ServiceTask',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
  'bpmn:IntermediateCatchEvent',
  'bpmn:BoundaryEvent',
  'bpmn:TimerEventDefinition',
  'bpmn:IntermediateThrowEvent',
  'bpmn:SequenceFlow',
  'bpmn:SubProcess',
  'bpmn:LaneSet',
  'bpmn:Lane',
  'bpmn:TextAnnotation',
  'bpmn:Association',
  'bpmn:Collaboration',
  'bpmn:Participant',
  'bpmn:Documentation',
  'bpmn:ExtensionElements',
  'bpmn:Expression',
  'bpmn:FormalExpression',
  // 会签: only in the shape checkMultiInstance allows.
  'bpmn:MultiInstanceLoopCharacteristics',
  'fashen:Form',
  'fashen:FormField',
  // The catalogue of major decisions (目录清单); where it may stand is checked in catalogue.ts.
  'fashen:Catalogue',
  'fashen:CatalogueItem',
  'fashen:Material',
  'fashen:Basis',
]);
const DIAGRAM_PREFIXES = ['bpmndi:', 'dc:', 'di:'];
const EXPRESSION_OWNERS = new Set([
  'bpmn:SequenceFlow',
  'bpmn:TimerEventDefinition',
  'bpmn:MultiInstanceLoopCharacteristics',
]);
const EVENTS = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:IntermediateCatchEvent',
  'bpmn:BoundaryEvent',
  'bpmn:IntermediateThrowEvent',
]);
const ACTIVITIES = new Set(['bpmn:Task', 'bpmn:ManualTask', 'bpmn:UserTask', 'bpmn:ServiceTask', 'bpmn:SubProcess']);

export const TASK_ROLES = ['officer', 'reviewer', 'chief', 'legal_admin'] as const;
/** The documents (文书) a user task may produce (`fashen:documentTemplate`): the kinds the server issues. */
export const DOCUMENT_TEMPLATES = [
  'review_opinion',
  'correction_notice',
  'coordination_record',
  'chief_decision',
] as const;
const MAX_SUBPROCESS_DEPTH = 10;
const MAX_WORKING_DAYS = 365;

export function isSupported(type: string): boolean {
  return SUPPORTED.has(type) || DIAGRAM_PREFIXES.some((p) => type.startsWith(p));
}

function checkEvent(event: BaseElement, timers: TimerBounds): Issue[] {
  const at = (message: string) => [issueAt('BPMN_UNSUPPORTED', event, `${describe(event)}${message}`)];
  if (childrenOf(event, 'eventDefinitionRefs').length > 0) return at('不能引用全局事件定义');
  const definitions = childrenOf(event, 'eventDefinitions');
  // Definitions of unsupported kinds are reported on their own; judging the combination would only repeat it.
  if (!definitions.every((d) => SUPPORTED.has(d.$type))) return [];
  const types = definitions.map((d) => d.$type);
  switch (event.$type) {
    case 'bpmn:StartEvent':
      return types.length === 0 ? [] : at('只支持空开始事件（不能带事件定义）');
    case 'bpmn:IntermediateThrowEvent':
      return types.length === 0 ? [] : at('只支持空中间抛出事件（不能带事件定义）');
    case 'bpmn:EndEvent':
      return types.length === 0 || (types.length === 1 && types[0] === 'bpmn:TerminateEventDefinition')
        ? []
        : at('只支持空结束事件或终止结束事件');
    default:
      return types.length === 1 && types[0] === 'bpmn:TimerEventDefinition'
        ? checkTimer(definitions[0], timers)
        : at('只支持定时器事件（必须且只能有一个 timerEventDefinition）');
  }
}

function checkServiceTask(task: BaseElement, services: readonly string[]): Issue[] {
  const service = stringOf(task, 'service');
  const issues: Issue[] = [];
  if (!service) {
    issues.push(issueAt('BPMN_INVALID', task, `${describe(task)}缺少 fashen:service（要调用的服务名）`));
  } else if (!services.includes(service)) {
    const known = services.length > 0 ? services.join('、') : '无';
    issues.push(
      issueAt('BPMN_UNSUPPORTED', task, `${describe(task)}调用的服务 ${service} 不在允许列表中（可用：${known}）`),
    );
  }
  const implementation = stringOf(task, 'implementation');
  if (implementation && implementation !== '##WebService' && implementation !== '##unspecified') {
    issues.push(
      issueAt('BPMN_UNSUPPORTED', task, `${describe(task)}不能设置 implementation；请用 fashen:service 指定服务`),
    );
  }
  return issues;
}

function workingDays(task: BaseElement, property: string): string | null {
  const value = task[property];
  if (value === undefined) return null;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_WORKING_DAYS
    ? null
    : `fashen:${property} 必须是 1 到 ${MAX_WORKING_DAYS} 之间的整数`;
}

function checkUserTask(task: BaseElement): Issue[] {
  const problems: string[] = [];
  const role = stringOf(task, 'role');
  const roles = TASK_ROLES.join('、');
  if (!role) problems.push(`缺少 fashen:role（可用：${roles}）`);
  else if (!(TASK_ROLES as readonly string[]).includes(role))
    problems.push(`的 fashen:role“${role}”无效（可用：${roles}）`);
  const assignee = stringOf(task, 'assignee');
  if (assignee !== undefined && assignee !== 'initiator') problems.push('的 fashen:assignee 只能省略或为 initiator');
  for (const property of ['assigneeVariable', 'deadlineVariable']) {
    const variable = stringOf(task, property);
    if (variable !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(variable)) {
      problems.push(`的 fashen:${property}“${variable}”不是合法的变量名`);
    }
  }
  if (assignee !== undefined && stringOf(task, 'assigneeVariable') !== undefined) {
    problems.push('不能同时设置 fashen:assignee 和 fashen:assigneeVariable');
  }
  // A review step without its limit is reported once, by rules/review-task-deadline.ts.
  const reviewWithoutLimit = isReviewTask(task) && !hasBoundaryTimer(task);
  if (
    stringOf(task, 'deadlineVariable') !== undefined &&
    task.deadlineWorkingDays === undefined &&
    !reviewWithoutLimit
  ) {
    problems.push('设置了 fashen:deadlineVariable 时须以 fashen:deadlineWorkingDays 给出默认期限');
  }
  for (const property of ['deadlineWorkingDays', 'reminderWorkingDays']) {
    const problem = workingDays(task, property);
    if (problem) problems.push(`的 ${problem}`);
  }
  const deadline = task.deadlineWorkingDays;
  const reminder = task.reminderWorkingDays;
  if (typeof reminder === 'number' && (typeof deadline !== 'number' || reminder >= deadline)) {
    problems.push('的 fashen:reminderWorkingDays 必须小于 fashen:deadlineWorkingDays');
  }
  const unit = stringOf(task, 'deadlineUnit');
  if (unit !== undefined) {
    if (unit !== 'working_days' && unit !== 'calendar_days') {
      problems.push(`的 fashen:deadlineUnit“${unit}”无效（可用：working_days、calendar_days）`);
    }
    if (deadline === undefined) problems.push('设置了 fashen:deadlineUnit 却没有 fashen:deadlineWorkingDays');
  }
  const escalateTo = stringOf(task, 'escalateTo');
  if (escalateTo !== undefined) {
    if (!(TASK_ROLES as readonly string[]).includes(escalateTo))
      problems.push(`的 fashen:escalateTo“${escalateTo}”无效（可用：${roles}）`);
    if (deadline === undefined) problems.push('设置了 fashen:escalateTo 却没有 fashen:deadlineWorkingDays');
  }
  const template = stringOf(task, 'documentTemplate');
  if (template !== undefined && !(DOCUMENT_TEMPLATES as readonly string[]).includes(template)) {
    problems.push(`的 fashen:documentTemplate（文书模板）“${template}”无效（可用：${DOCUMENT_TEMPLATES.join('、')}）`);
  }
  return problems.map((p) => issueAt('BPMN_INVALID', task, `${describe(task)}${p}`));
}

function subProcessDepth(element: BaseElement): number {
  let depth = 0;
  for (let p = element.$parent; p; p = p.$parent) if (p.$type === 'bpmn:SubProcess') depth++;
  return depth;
}

function checkSupportedElement(element: BaseElement, services: readonly string[], timers: TimerBounds): Issue[] {
  const type = element.$type;
  if (DIAGRAM_PREFIXES.some((p) => type.startsWith(p))) return [];
  if (!SUPPORTED.has(type)) return [issueAt('BPMN_UNSUPPORTED', element, `不支持的元素 ${describe(element)}`)];
  const issues: Issue[] = [];
  if (EVENTS.has(type)) issues.push(...checkEvent(element, timers));
  if (ACTIVITIES.has(type) && element.isForCompensation === true) {
    issues.push(issueAt('BPMN_UNSUPPORTED', element, `${describe(element)}不支持补偿（isForCompensation）`));
  }
  if (
    (type === 'bpmn:Expression' || type === 'bpmn:FormalExpression') &&
    !EXPRESSION_OWNERS.has(element.$parent?.$type ?? '')
  ) {
    issues.push(issueAt('BPMN_UNSUPPORTED', element, `不支持的表达式 ${describe(element)}；只允许顺序流条件和定时器`));
  }
  if (type === 'bpmn:ServiceTask') issues.push(...checkServiceTask(element, services));
  if (type === 'bpmn:UserTask') issues.push(...checkUserTask(element));
  if (type === 'bpmn:MultiInstanceLoopCharacteristics') issues.push(...checkMultiInstance(element));
  if (type === 'bpmn:SubProcess') {
    if (element.triggeredByEvent === true) {
      issues.push(issueAt('BPMN_UNSUPPORTED', element, `不支持事件子流程 ${describe(element)}`));
    }
    if (subProcessDepth(element) >= MAX_SUBPROCESS_DEPTH) {
      issues.push(
        issueAt('BPMN_UNSUPPORTED', element, `${describe(element)}嵌套过深（最多 ${MAX_SUBPROCESS_DEPTH} 层子流程）`),
      );
    }
  }
  return issues;
}

/** Refuses every element the runtime does not support, and checks the settings of those it does. */
export function checkSupportedElements(
  elements: readonly BaseElement[],
  services: readonly string[],
  timers: TimerBounds = defaultTimerBounds(),
): Issue[] {
  return elements.flatMap((element) => checkSupportedElement(element, services, timers));
}
