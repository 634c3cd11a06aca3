import type { BaseElement } from 'bpmn-moddle';

/** A diagram element as the properties panel hands it over. */
export interface Shape {
  id: string;
  type: string;
  businessObject: ModdleObject;
}

export interface ModdleObject extends BaseElement {
  get(name: string): any;
  set(name: string, value: unknown): void;
}

export interface Modeling {
  updateProperties(element: Shape, properties: Record<string, unknown>): void;
  updateModdleProperties(element: Shape, target: ModdleObject, properties: Record<string, unknown>): void;
}

export interface BpmnFactory {
  create(type: string, attrs?: Record<string, unknown>): ModdleObject;
}

export const businessObject = (element: Shape): ModdleObject => element.businessObject;

/** The first extension element of a type (`fashen:Form`, `fashen:Catalogue`), if any. */
export function extensionOf(bo: ModdleObject, type: string): ModdleObject | undefined {
  const values = (bo.get('extensionElements')?.get('values') ?? []) as ModdleObject[];
  return values.find((v) => v.$type === type);
}

/** The extension element of a type, created (with bpmn:extensionElements) if missing, as one undoable step each. */
export function ensureExtension(
  element: Shape,
  bo: ModdleObject,
  type: string,
  deps: { modeling: Modeling; bpmnFactory: BpmnFactory },
): ModdleObject {
  const existing = extensionOf(bo, type);
  if (existing) return existing;
  let extensionElements = bo.get('extensionElements') as ModdleObject | undefined;
  if (!extensionElements) {
    extensionElements = deps.bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    deps.modeling.updateModdleProperties(element, bo, { extensionElements });
  }
  const created = deps.bpmnFactory.create(type);
  deps.modeling.updateModdleProperties(element, extensionElements, {
    values: [...(extensionElements.get('values') ?? []), created],
  });
  return created;
}

/** `5` → 5; '' → undefined; anything else is returned as is for the validator to refuse. */
export function toInteger(value: string): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

export function integerProblem(value: string, min: number, max: number): string | null {
  const text = value.trim();
  if (text === '') return null;
  if (!/^\d+$/.test(text)) return '请填写整数';
  const n = Number(text);
  return n < min || n > max ? `须在 ${min} 到 ${max} 之间` : null;
}
