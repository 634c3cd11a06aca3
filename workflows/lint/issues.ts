import type { BaseElement } from 'bpmn-moddle';

export type BpmnErrorCode = 'BPMN_UNSAFE' | 'BPMN_UNSUPPORTED' | 'BPMN_INVALID';

/** One reason a BPMN upload is refused, located at an element when there is one. */
export interface Issue {
  code: BpmnErrorCode;
  elementId: string | null;
  elementType: string | null;
  message: string;
  /** Other elements involved, e.g. every node of a cycle. */
  related?: { elementId: string | null; elementType: string }[];
}

/** `bpmn:ScriptTask` → `scriptTask`, `fashen:FormField` → `fashen:formField`: the names modelers show. */
export function localType(type: string): string {
  const [prefix, name] = type.includes(':') ? type.split(':', 2) : ['bpmn', type];
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  return prefix === 'bpmn' ? lower : `${prefix}:${lower}`;
}

/** The nearest element (itself or an ancestor) that has an id: the one a modeler can find. */
export function locate(element: BaseElement): BaseElement {
  let current: BaseElement | undefined = element;
  while (current && !current.id) current = current.$parent;
  return current ?? element;
}

// Catalogue items have no id: legal officers know them by their code, so messages name that instead.
function codeOf(element: BaseElement): string | undefined {
  const code = element.code;
  return typeof code === 'string' && code.trim() !== '' ? code.trim() : undefined;
}

/**
 * `scriptTask（id=Task_1）`, or `timerEventDefinition（位于 boundaryEvent（id=B））` for id-less elements, or
 * `fashen:catalogueItem（code=CF-01，位于 process（id=P））` for those known by a code.
 */
export function describe(element: BaseElement): string {
  const own = `${localType(element.$type)}`;
  if (element.id) return `${own}（id=${element.id}）`;
  let owner = element.$parent;
  while (owner && !owner.id && !codeOf(owner)) owner = owner.$parent;
  const where = owner ? `位于 ${describe(owner)}` : '';
  const code = codeOf(element);
  if (code) return `${own}（code=${code}${where && `，${where}`}）`;
  return where ? `${own}（${where}）` : own;
}

export function issueAt(code: BpmnErrorCode, element: BaseElement, message: string): Issue {
  const owner = locate(element);
  return {
    code,
    elementId: owner.id ?? null,
    elementType: localType(owner.$type),
    message,
  };
}

export function issue(
  code: BpmnErrorCode,
  message: string,
  elementId: string | null = null,
  elementType: string | null = null,
): Issue {
  return { code, elementId, elementType, message };
}

const severity: Record<BpmnErrorCode, number> = { BPMN_UNSAFE: 0, BPMN_UNSUPPORTED: 1, BPMN_INVALID: 2 };
/** A hostile upload can produce thousands of problems; the reply lists the first ones and counts the rest. */
const MAX_LISTED_PROBLEMS = 100;

/** Why an upload is refused, as the API's error body carries it (`{ error: { code, message, details } }`). */
export interface Refusal {
  code: BpmnErrorCode;
  message: string;
  details: {
    elementId: string | null;
    elementType: string | null;
    problems: Issue[];
    unlistedProblems?: number;
  };
}

/**
 * The refusal of an upload with these problems. The most serious problem is the headline (unsafe before
 * unsupported before invalid) and every problem is listed in details so that a modeler can mark them all at once.
 */
export function refusalOf(issues: readonly Issue[]): Refusal {
  const sorted = [...issues].sort((a, b) => severity[a.code] - severity[b.code]);
  const first = sorted[0];
  const more = sorted.length > 1 ? `（另有 ${sorted.length - 1} 处问题）` : '';
  return {
    code: first.code,
    message: `${first.message}${more}`,
    details: {
      elementId: first.elementId,
      elementType: first.elementType,
      problems: sorted.slice(0, MAX_LISTED_PROBLEMS),
      ...(sorted.length > MAX_LISTED_PROBLEMS && { unlistedProblems: sorted.length - MAX_LISTED_PROBLEMS }),
    },
  };
}
