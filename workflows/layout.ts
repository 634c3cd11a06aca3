import { layoutProcess } from 'bpmn-auto-layout';
import BpmnModdle, { type BaseElement } from 'bpmn-moddle';

interface Serializer {
  toXML(element: BaseElement, options?: { format?: boolean }): Promise<{ xml: string }>;
}

/** Whether a document carries a diagram (BPMNDI) for its process. */
export function hasDiagram(xml: string): boolean {
  return /<(?:\w+:)?BPMNPlane\b/.test(xml);
}

/**
 * Adds a generated diagram to a document that has none, so that a modeler can open it and a flowchart can be
 * drawn. The layout reads each node's incoming/outgoing lists, which hand-written BPMN often omits; they are
 * filled in from the sequence flows first (standard BPMN, no change in meaning). Runs in the browser (import of a
 * file without a diagram) and on the server (flowcharts); `packages` are the moddle extensions to keep.
 */
export async function addDiagram(xml: string, packages: Record<string, unknown>): Promise<string> {
  if (hasDiagram(xml)) return xml;
  const moddle = new BpmnModdle(packages);
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  const scopes: BaseElement[] = (rootElement.rootElements ?? []).filter((e) => e.$type === 'bpmn:Process');
  while (scopes.length > 0) {
    const scope = scopes.pop()!;
    const children = (scope.flowElements ?? []) as BaseElement[];
    for (const child of children) {
      if (child.$type === 'bpmn:SubProcess') scopes.push(child);
      if (child.$type !== 'bpmn:SequenceFlow') continue;
      link(child.sourceRef as BaseElement | undefined, 'outgoing', child);
      link(child.targetRef as BaseElement | undefined, 'incoming', child);
    }
  }
  const { xml: linked } = await (moddle as unknown as Serializer).toXML(rootElement, { format: true });
  return layoutProcess(linked);
}

function link(node: BaseElement | undefined, property: 'incoming' | 'outgoing', flow: BaseElement): void {
  if (!node) return;
  const list = (node[property] as BaseElement[] | undefined) ?? [];
  if (!list.includes(flow)) list.push(flow);
  (node as Record<string, unknown>)[property] = list;
}
