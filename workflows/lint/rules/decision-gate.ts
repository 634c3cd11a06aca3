import type { BaseElement } from 'bpmn-moddle';
import { buildFlowGraph, type FlowGraph } from '../graph.js';
import { describe, localType } from '../issues.js';
import type { RuleFactory } from '../types.js';
import { childOf, childrenOf, stringOf } from '../walk.js';

/** The service that records the enforcement decision: reaching it is "the decision is made". */
export const DECISION_SERVICE = 'review.recordDecision';
// An approving conclusion of the review opinion, as the review form spells it.
const APPROVAL = /conclusion\s*=\s*"同意"|approved\s*=\s*true/;

function isDecisionRecord(element: BaseElement): boolean {
  return element.$type === 'bpmn:ServiceTask' && element.service === DECISION_SERVICE;
}

/** A chief's decision (负责人决定) is a gate: the chief answers for overriding the review. */
function isChiefDecision(element: BaseElement): boolean {
  return element.$type === 'bpmn:UserTask' && element.role === 'chief';
}

/** A flow taken only when the review opinion approves. */
function isApprovingFlow(flow: BaseElement): boolean {
  const condition = childOf(flow, 'conditionExpression');
  return condition !== undefined && APPROVAL.test(stringOf(condition, 'body') ?? '');
}

/** Flows taken only on approval, by source and target id: the graph keeps nodes only, so edges are looked up. */
function approvingEdges(process: BaseElement): Set<string> {
  const edges = new Set<string>();
  const scopes = [process];
  while (scopes.length > 0) {
    for (const child of childrenOf(scopes.pop()!, 'flowElements')) {
      if (child.$type === 'bpmn:SubProcess') scopes.push(child);
      if (child.$type !== 'bpmn:SequenceFlow' || !isApprovingFlow(child)) continue;
      const source = child.sourceRef as BaseElement | undefined;
      const target = child.targetRef as BaseElement | undefined;
      if (source?.id && target?.id) edges.add(`${source.id}\u0000${target.id}`);
    }
  }
  return edges;
}

/** Breadth-first from the start events, never entering a gate: the first decision record reached, with its path. */
function ungatedPath(graph: FlowGraph, approving: Set<string>): BaseElement[] | null {
  const parent = new Map<string, string | null>(graph.roots.map((r) => [r, null]));
  const queue = [...graph.roots];
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i];
    const element = graph.nodes.get(key);
    if (element && isDecisionRecord(element)) {
      const path: BaseElement[] = [];
      for (let k: string | null = key; k !== null; k = parent.get(k) ?? null) {
        const e = graph.nodes.get(k);
        if (e && path[0] !== e) path.unshift(e);
      }
      return path;
    }
    for (const next of graph.edges.get(key) ?? []) {
      const target = graph.nodes.get(next);
      if (!target || parent.has(next) || isChiefDecision(target) || approving.has(`${key}\u0000${next}`)) continue;
      parent.set(next, key);
      queue.push(next);
    }
  }
  return null;
}

const label = (e: BaseElement) => (e.name ? `“${e.name}”` : describe(e));

/**
 * The gate of the three systems (未经法制审核或者审核未通过的，不得作出决定): every path from submission to the
 * recorded decision passes an approving review opinion or a chief's decision.
 */
const decisionGate: RuleFactory = () => ({
  meta: {
    flow: true,
    documentation: { description: '从送审到“记录决定”的每条路径都须经过审核通过或负责人决定（法制审核闸门）' },
  },
  check(node, reporter) {
    if (node.$type !== 'bpmn:Process' || node.isExecutable !== true) return undefined;
    const graph = buildFlowGraph(node);
    const path = ungatedPath(graph, approvingEdges(node));
    if (!path) return undefined;
    const decision = path[path.length - 1];
    reporter.report(
      decision.id,
      `${describe(decision)}可以不经法制审核通过或负责人决定而到达（未经法制审核或者审核未通过的，不得作出决定）：${path.map(label).join(' → ')}`,
      {
        code: 'BPMN_INVALID',
        related: path.map((e) => ({ elementId: e.id ?? null, elementType: localType(e.$type) })),
      },
    );
    return undefined;
  },
});

export default decisionGate;
