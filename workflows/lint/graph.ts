import type { BaseElement } from 'bpmn-moddle';
import { childOf, childrenOf, isElement } from './walk.js';

/**
 * The sequence-flow graph of a process, sub-processes included. A sub-process is two nodes: its entry (its own
 * id), which leads to its start events and carries its boundary events, and its exit, which its end events lead
 * to and its outgoing flows leave from. A token that loops through a sub-process therefore passes its contents.
 */
export interface FlowGraph {
  /** Node key → the element it stands for (a sub-process's exit stands for the sub-process). */
  nodes: Map<string, BaseElement>;
  edges: Map<string, string[]>;
  /** The start events of the process itself (not of its sub-processes). */
  roots: string[];
}

const EXIT = '\u0000exit';
export const isExitKey = (key: string) => key.endsWith(EXIT);

function isFlowNode(element: BaseElement): boolean {
  return element.$type !== 'bpmn:SequenceFlow' && element.$type !== 'bpmn:Association';
}

function addEdge(graph: FlowGraph, from: string, to: string): void {
  const list = graph.edges.get(from);
  if (list) list.push(to);
  else graph.edges.set(from, [to]);
}

function sourceKey(element: BaseElement): string {
  return element.$type === 'bpmn:SubProcess' ? `${element.id}${EXIT}` : (element.id ?? '');
}

export function buildFlowGraph(process: BaseElement): FlowGraph {
  const graph: FlowGraph = { nodes: new Map(), edges: new Map(), roots: [] };
  const scopes: BaseElement[] = [process];
  while (scopes.length > 0) {
    const scope = scopes.pop()!;
    const children = childrenOf(scope, 'flowElements');
    const starts = children.filter((c) => c.$type === 'bpmn:StartEvent');
    if (scope === process) graph.roots.push(...starts.map((s) => s.id ?? ''));
    else {
      const exit = `${scope.id}${EXIT}`;
      graph.nodes.set(exit, scope);
      if (starts.length === 0) addEdge(graph, scope.id ?? '', exit);
      for (const start of starts) addEdge(graph, scope.id ?? '', start.id ?? '');
    }
    for (const child of children) {
      if (isFlowNode(child)) graph.nodes.set(child.id ?? '', child);
      if (child.$type === 'bpmn:SubProcess') scopes.push(child);
      if (scope !== process && child.$type === 'bpmn:EndEvent') addEdge(graph, child.id ?? '', `${scope.id}${EXIT}`);
      if (child.$type === 'bpmn:BoundaryEvent') {
        const host = childOf(child, 'attachedToRef');
        if (host) addEdge(graph, host.id ?? '', child.id ?? '');
      }
      if (child.$type === 'bpmn:SequenceFlow') {
        const source = child.sourceRef;
        const target = child.targetRef;
        if (isElement(source) && isElement(target)) addEdge(graph, sourceKey(source), target.id ?? '');
      }
    }
  }
  return graph;
}

/**
 * Strongly connected components (Tarjan) of the nodes that pass `include`, iteratively so that a large upload
 * cannot exhaust the stack.
 */
export function stronglyConnectedComponents(
  graph: FlowGraph,
  include: (key: string) => boolean = () => true,
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of graph.nodes.keys()) {
    if (index.has(root) || !include(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const successors = graph.edges.get(frame.node) ?? [];
      if (frame.next < successors.length) {
        const next = successors[frame.next++];
        if (!graph.nodes.has(next) || !include(next)) continue;
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ node: next, next: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(next)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.reverse());
      }
    }
  }
  return components;
}

/** Every node reachable from the process's start events. */
export function reachableFrom(graph: FlowGraph, roots: readonly string[]): Set<string> {
  const seen = new Set<string>(roots);
  const queue = [...roots];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    for (const next of graph.edges.get(node) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}
