import type { BaseElement, Definitions } from 'bpmn-moddle';
import { describe, type Issue, issue, issueAt } from './issues.js';
import { childrenOf, isElement } from './walk.js';

const PROCESS_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;

/** The one executable process of the document; anything else is a refusal. */
export function executableProcess(definitions: Definitions): { process?: BaseElement; issues: Issue[] } {
  const processes = childrenOf(definitions, 'rootElements').filter((e) => e.$type === 'bpmn:Process');
  const executable = processes.filter((p) => p.isExecutable === true);
  if (executable.length === 0) {
    return {
      issues: [
        issue('BPMN_INVALID', '文档中没有可执行的流程（需要一个 isExecutable="true" 的 process）', null, 'process'),
      ],
    };
  }
  if (executable.length > 1) {
    const ids = executable.map((p) => p.id).join('、');
    const first = executable[0];
    return {
      issues: [
        issueAt('BPMN_UNSUPPORTED', first, `文档中只能有一个可执行的流程，实际有 ${executable.length} 个：${ids}`),
      ],
    };
  }
  const process = executable[0];
  if (!process.id || !PROCESS_KEY.test(process.id)) {
    return {
      process,
      issues: [
        issueAt(
          'BPMN_INVALID',
          process,
          `${describe(process)}的 id 须以字母或下划线开头，仅含字母、数字、_ . -，最长 100 个字符`,
        ),
      ],
    };
  }
  return { process, issues: [] };
}

function checkScope(scope: BaseElement, issues: Issue[], nested: BaseElement[]): void {
  const children = childrenOf(scope, 'flowElements');
  const starts = children.filter((c) => c.$type === 'bpmn:StartEvent');
  const where = scope.$type === 'bpmn:Process' ? '流程' : describe(scope);
  if (starts.length !== 1) {
    issues.push(issueAt('BPMN_INVALID', scope, `${where}必须有且只有一个开始事件，实际有 ${starts.length} 个`));
  }
  const outgoing = new Map<BaseElement, number>();
  const incoming = new Map<BaseElement, number>();
  for (const flow of children.filter((c) => c.$type === 'bpmn:SequenceFlow')) {
    const { sourceRef: source, targetRef: target } = flow;
    if (!isElement(source) || !isElement(target)) {
      issues.push(issueAt('BPMN_INVALID', flow, `${describe(flow)}缺少 sourceRef 或 targetRef`));
      continue;
    }
    if (source.$parent !== scope || target.$parent !== scope) {
      issues.push(issueAt('BPMN_INVALID', flow, `${describe(flow)}跨越了子流程边界（起点和终点必须在同一流程层级）`));
    }
    outgoing.set(source, (outgoing.get(source) ?? 0) + 1);
    incoming.set(target, (incoming.get(target) ?? 0) + 1);
  }
  for (const node of children) {
    const type = node.$type;
    if (type === 'bpmn:SequenceFlow') continue;
    if (type === 'bpmn:StartEvent' && incoming.has(node)) {
      issues.push(issueAt('BPMN_INVALID', node, `${describe(node)}是开始事件，不能有流入的顺序流`));
    }
    if (type === 'bpmn:BoundaryEvent' && incoming.has(node)) {
      issues.push(issueAt('BPMN_INVALID', node, `${describe(node)}是边界事件，不能有流入的顺序流`));
    }
    if (type === 'bpmn:EndEvent') {
      if (outgoing.has(node))
        issues.push(issueAt('BPMN_INVALID', node, `${describe(node)}是结束事件，不能有流出的顺序流`));
    } else if (!outgoing.has(node)) {
      issues.push(
        issueAt('BPMN_INVALID', node, `${describe(node)}没有流出的顺序流（流程在此中断）；请连接到后续节点或结束事件`),
      );
    }
    if (type === 'bpmn:SubProcess') nested.push(node);
  }
}

/**
 * Shape rules the runtime relies on, per scope: one start event, flows inside their scope, and no dead ends —
 * every node but an end event has an outgoing flow.
 */
export function checkStructure(process: BaseElement): Issue[] {
  const issues: Issue[] = [];
  const scopes = [process];
  while (scopes.length > 0) checkScope(scopes.pop()!, issues, scopes);
  return issues;
}
