import type { BaseElement } from 'bpmn-moddle';
import { type FlowGraph, isExitKey, reachableFrom, stronglyConnectedComponents } from './graph.js';
import { describe, type Issue, issueAt, localType } from './issues.js';
import { childrenOf } from './walk.js';

const MAX_NAMED = 12;
const MAX_RELATED = 200;

/** Where a token stops and the process is persisted: only here may a loop come back on itself. */
function isWaitState(element: BaseElement): boolean {
  if (element.$type === 'bpmn:UserTask') return true;
  return (
    element.$type === 'bpmn:IntermediateCatchEvent' &&
    childrenOf(element, 'eventDefinitions').some((d) => d.$type === 'bpmn:TimerEventDefinition')
  );
}

function label(element: BaseElement): string {
  return element.name ? `${describe(element)}“${element.name}”` : describe(element);
}

/**
 * A cycle without a wait state would spin the engine forever inside one command; every cycle must pass through a
 * user task or a timer catch event. With the wait states taken out the graph must therefore be acyclic: each
 * strongly connected component left with a loop is a refusal naming its nodes.
 */
export function checkCycles(graph: FlowGraph): Issue[] {
  const issues: Issue[] = [];
  const include = (key: string) => !isWaitState(graph.nodes.get(key)!);
  for (const component of stronglyConnectedComponents(graph, include)) {
    const looped = component.length > 1 || (graph.edges.get(component[0]) ?? []).includes(component[0]);
    if (!looped) continue;
    const members = [...new Set(component.map((key) => graph.nodes.get(key)!))];
    const first = members[0];
    const names =
      members.length > MAX_NAMED
        ? `${members.slice(0, MAX_NAMED).map(label).join(' → ')} 等 ${members.length} 个节点`
        : members.map(label).join(' → ');
    issues.push({
      ...issueAt(
        'BPMN_INVALID',
        first,
        `流程存在没有等待节点的循环：${names}；循环中至少要有一个用户任务或定时中间事件`,
      ),
      related: members.slice(0, MAX_RELATED).map((m) => ({ elementId: m.id ?? null, elementType: localType(m.$type) })),
    });
  }
  return issues;
}

/** Every flow node other than a start event must be reachable from the process's start event. */
export function checkReachability(graph: FlowGraph): Issue[] {
  const reached = reachableFrom(graph, graph.roots);
  const issues: Issue[] = [];
  for (const [key, element] of graph.nodes) {
    if (isExitKey(key) || element.$type === 'bpmn:StartEvent' || reached.has(key)) continue;
    issues.push(issueAt('BPMN_INVALID', element, `${label(element)}从开始事件不可达`));
  }
  return issues;
}
