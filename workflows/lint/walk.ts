import type { BaseElement } from 'bpmn-moddle';

export function isElement(value: unknown): value is BaseElement {
  return typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string';
}

/** A string found somewhere in the document, with the element that carries it. */
export interface FoundText {
  element: BaseElement;
  property: string;
  value: string;
}

/**
 * Every element of the document, each once, or the first element nested deeper than `maxDepth`. Iterative (an
 * upload may nest deeply) and generic: it follows every enumerable property, so unknown extension elements and
 * their `$body`/`$children` are visited too.
 */
export function allElements(
  root: BaseElement,
  maxDepth: number,
): { elements: BaseElement[]; tooDeep: BaseElement | null } {
  const seen = new Set<BaseElement>([root]);
  const stack: { element: BaseElement; depth: number }[] = [{ element: root, depth: 1 }];
  const elements: BaseElement[] = [];
  while (stack.length > 0) {
    const { element, depth } = stack.pop()!;
    if (depth > maxDepth) return { elements, tooDeep: element };
    elements.push(element);
    const children: BaseElement[] = [];
    for (const key of Object.keys(element)) {
      const value = element[key];
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        if (isElement(v) && !seen.has(v)) {
          seen.add(v);
          children.push(v);
        }
      }
    }
    // Reversed onto the stack so that elements come out in document order, and so do the problems found.
    for (let i = children.length - 1; i >= 0; i--) stack.push({ element: children[i], depth: depth + 1 });
  }
  return { elements, tooDeep: null };
}

/** Every string an element carries: its properties, its unknown (`$attrs`) attributes and its body text. */
export function textsOf(element: BaseElement): FoundText[] {
  const out: FoundText[] = [];
  for (const key of Object.keys(element)) {
    const value = element[key];
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v === 'string') out.push({ element, property: key, value: v });
    }
  }
  for (const [key, value] of Object.entries(element.$attrs ?? {})) {
    if (typeof value === 'string') out.push({ element, property: key, value });
  }
  return out;
}

/** The flow elements of a process or sub-process, and of every sub-process nested in it. */
export function flowElementsDeep(scope: BaseElement): BaseElement[] {
  const out: BaseElement[] = [];
  const stack = [scope];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const child of childrenOf(current, 'flowElements')) {
      out.push(child);
      if (child.$type === 'bpmn:SubProcess') stack.push(child);
    }
  }
  return out;
}

/** A many-valued element property as an array (moddle leaves it undefined when empty). */
export function childrenOf(element: BaseElement, property: string): BaseElement[] {
  const value = element[property];
  return Array.isArray(value) ? value.filter(isElement) : [];
}

/** A single-valued element property, if set. */
export function childOf(element: BaseElement, property: string): BaseElement | undefined {
  const value = element[property];
  return isElement(value) ? value : undefined;
}

export function stringOf(element: BaseElement, property: string): string | undefined {
  const value = element[property];
  return typeof value === 'string' ? value : undefined;
}
