import type { BaseElement } from 'bpmn-moddle';
import { buildFlowGraph, type FlowGraph } from '../graph.js';
import { describe, localType } from '../issues.js';
import type { RuleFactory } from '../types.js';
import { childOf, childrenOf, stringOf } from '../walk.js';

/** The service that records the enforcement decision: reaching it is "the decision is made". */
export const DECISION_SERVICE = 'review.recordDecision';
const CHIEF_SERVICE = 'review.recordChiefDecision';
export const GATE_NAME = '法制审核闸门';

// One term of a condition taken only when the review passed: 同意 (or 建议移送, which goes to the chief),
// a re-review that changes the opinion, or a flag the review sets. A flow passes only if every term of its
// condition (joined by "or") is one of these, so `not(...)` or `!=` never counts as a pass.
const PASS_TERM =
  /^\(*\s*(?:conclusion\s*=\s*"(?:同意|建议移送司法机关)"|approved\s*=\s*true|maintain\s*=\s*false)\s*\)*$/;

const stepOf = (e: BaseElement) => (typeof e.step === 'string' ? e.step : null);
const roleOf = (e: BaseElement) => (typeof e.role === 'string' ? e.role : null);
const isUserTask = (e: BaseElement) => e.$type === 'bpmn:UserTask';

/** 法制审核 or 复核: the review step (a user task marked so, or, unmarked, the reviewer's task). */
function isReview(e: BaseElement): boolean {
  if (!isUserTask(e)) return false;
  const step = stepOf(e);
  return step ? step === 'review' || step === 'rereview' : roleOf(e) === 'reviewer';
}

/** 协调: a disagreement after review goes to the chief through it (the chief then decides and answers for it). */
function isCoordination(e: BaseElement): boolean {
  return isUserTask(e) && stepOf(e) === 'coordinate';
}

/**
 * 负责人决定: the chief's decision step or the service that records it (a chief's other tasks, such as 督办 in a
 * general process, are not decisions).
 */
function isChiefDecision(e: BaseElement): boolean {
  if (e.$type === 'bpmn:ServiceTask') return e.service === CHIEF_SERVICE;
  return isUserTask(e) && stepOf(e) === 'chief_decision';
}

/** 记录决定: the decision record's task or service. */
function isDecisionRecord(e: BaseElement): boolean {
  if (e.$type === 'bpmn:ServiceTask') return e.service === DECISION_SERVICE;
  return isUserTask(e) && stepOf(e) === 'record_decision';
}

function isPassingFlow(flow: BaseElement): boolean {
  const condition = childOf(flow, 'conditionExpression');
  const body = condition ? (stringOf(condition, 'body') ?? '').trim() : '';
  if (body === '') return false;
  return body.split(/\s+or\s+/).every((term) => PASS_TERM.test(term.trim()));
}

/** Flows taken only when the review passed, by source and target id (the graph keeps nodes only). */
function passingEdges(process: BaseElement): Set<string> {
  const edges = new Set<string>();
  const scopes = [process];
  while (scopes.length > 0) {
    for (const child of childrenOf(scopes.pop()!, 'flowElements')) {
      if (child.$type === 'bpmn:SubProcess') scopes.push(child);
      if (child.$type !== 'bpmn:SequenceFlow' || !isPassingFlow(child)) continue;
      const source = child.sourceRef as BaseElement | undefined;
      const target = child.targetRef as BaseElement | undefined;
      if (source?.id && target?.id) edges.add(`${source.id}\u0000${target.id}`);
    }
  }
  return edges;
}

/**
 * Breadth-first from the start events, never entering a node `stops` at nor taking an edge `cut` cuts: the
 * first node `wanted` reached, with its path from a start event.
 */
function pathTo(
  graph: FlowGraph,
  wanted: (e: BaseElement) => boolean,
  stops: (e: BaseElement) => boolean,
  cut: (from: string, to: string) => boolean = () => false,
): BaseElement[] | null {
  const parent = new Map<string, string | null>(graph.roots.map((r) => [r, null]));
  const queue = [...graph.roots];
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i];
    const element = graph.nodes.get(key);
    if (element && wanted(element)) {
      const path: BaseElement[] = [];
      for (let k: string | null = key; k !== null; k = parent.get(k) ?? null) {
        const e = graph.nodes.get(k);
        if (e && path[0] !== e) path.unshift(e);
      }
      return path;
    }
    for (const next of graph.edges.get(key) ?? []) {
      const target = graph.nodes.get(next);
      if (!target || parent.has(next) || stops(target) || cut(key, next)) continue;
      parent.set(next, key);
      queue.push(next);
    }
  }
  return null;
}

const label = (e: BaseElement) => (e.name ? `“${e.name}”` : describe(e));
const isDecision = (e: BaseElement) => isChiefDecision(e) || isDecisionRecord(e);

/**
 * The gate of the three systems (未经法制审核或者审核未通过的，不得作出决定), proved on the graph: every path from
 * submission to the chief's decision or the recorded decision passes a review (法制审核/复核) and leaves it with a
 * pass outcome (a flow taken only on 同意), or reaches the chief through coordination after a review; every path
 * to the recorded decision passes the chief's decision. The runtime enforces the same gate on every case.
 */
const decisionGate: RuleFactory = () => ({
  meta: {
    flow: true,
    documentation: {
      description: `${GATE_NAME}：从送审到“负责人决定”和“记录决定”的每条路径都须经过法制审核并审核通过（或经复核、协调报请负责人决定）`,
    },
  },
  check(node, reporter) {
    if (node.$type !== 'bpmn:Process' || node.isExecutable !== true) return undefined;
    const graph = buildFlowGraph(node);
    const passing = passingEdges(node);
    const report = (path: BaseElement[], why: string) => {
      const target = path[path.length - 1];
      reporter.report(
        target.id,
        `${GATE_NAME}：${label(target)}${why}（未经法制审核或者审核未通过的，不得作出决定）：${path.map(label).join(' → ')}`,
        {
          code: 'BPMN_INVALID',
          related: path.map((e) => ({ elementId: e.id ?? null, elementType: localType(e.$type) })),
        },
      );
    };
    const unreviewed = pathTo(graph, (e) => isDecision(e) || isCoordination(e), isReview);
    if (unreviewed) {
      report(unreviewed, '可以不经法制审核而到达');
      return undefined;
    }
    const unpassed = pathTo(graph, isDecision, isCoordination, (from, to) => passing.has(`${from}\u0000${to}`));
    if (unpassed) {
      report(unpassed, '可以不经法制审核通过而到达');
      return undefined;
    }
    const unapproved = pathTo(graph, isDecisionRecord, isChiefDecision);
    if (unapproved) report(unapproved, '可以不经负责人决定而到达');
    return undefined;
  },
});

export default decisionGate;
