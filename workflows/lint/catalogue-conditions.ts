import { hasPlaceholder, MAX_CONDITION_CHARS, scanFeel } from './expressions.js';
import type { BpmnErrorCode } from './issues.js';
import { FACT_VARIABLES } from './vocabulary.js';

// Separate from the sequence-flow budget (5 000): a catalogue of some seventy one-line conditions must fit, and the
// two budgets together still keep a hostile upload's parsing well under a second.
export const MAX_TOTAL_CATALOGUE_CONDITION_CHARS = 6_000;

/**
 * The FEEL functions a catalogue condition may call: logic, numbers and strings over the case facts. Nothing
 * that reads the clock (a catalogue decides the same way every day) and no regular expressions (`matches`
 * with a hostile pattern backtracks for ever).
 */
export const CONDITION_FUNCTIONS: readonly string[] = [
  'not',
  'is defined',
  'abs',
  'floor',
  'ceiling',
  'decimal',
  'min',
  'max',
  'count',
  'sum',
  'list contains',
  'string length',
  'lower case',
  'upper case',
  'substring',
  'contains',
  'starts with',
  'ends with',
];

export interface ConditionBudget {
  /** Characters of catalogue conditions parsed so far in this document. */
  chars: number;
}

export interface ConditionProblem {
  code: BpmnErrorCode;
  /** Completes a sentence whose subject is the item, e.g. `的条件为空`. */
  problem: string;
}

const list = (names: Iterable<string>) => [...names].join('、');

/**
 * Checks one item's condition: present, short, FEEL that parses, and naming only the case facts
 * and the allowed functions. Null when it is fine. Counts against the document's budget; once that is spent,
 * later conditions are not parsed (the item that crossed it is the one reported).
 */
export function checkCatalogueCondition(
  condition: string | undefined,
  budget: ConditionBudget,
): ConditionProblem | null {
  const body = condition?.trim() ?? '';
  if (body === '') return { code: 'BPMN_INVALID', problem: '缺少适用条件（condition，FEEL 表达式）' };
  // checkExpressionInjection refuses the placeholder (as BPMN_UNSAFE, naming the item by its code); judging it
  // as FEEL too would only report the same text twice.
  if (hasPlaceholder(body)) return null;
  if (body.length > MAX_CONDITION_CHARS) {
    return { code: 'BPMN_INVALID', problem: `的条件过长（最多 ${MAX_CONDITION_CHARS} 个字符）` };
  }
  if (budget.chars > MAX_TOTAL_CATALOGUE_CONDITION_CHARS) return null;
  budget.chars += body.length;
  if (budget.chars > MAX_TOTAL_CATALOGUE_CONDITION_CHARS) {
    const problem = `的条件使目录清单条件的总长度超过 ${MAX_TOTAL_CATALOGUE_CONDITION_CHARS} 个字符`;
    return { code: 'BPMN_INVALID', problem };
  }
  const scan = scanFeel(body);
  if (scan.errorAt !== null) {
    return {
      code: 'BPMN_INVALID',
      problem: `的条件不是合法的 FEEL 表达式（第 ${scan.errorAt + 1} 个字符附近）：${body}`,
    };
  }
  const unknown = [...scan.variables].filter((name) => !FACT_VARIABLES.includes(name));
  if (unknown.length > 0) {
    return {
      code: 'BPMN_INVALID',
      problem: `的条件引用了未知的案件事实 ${list(unknown)}（可用：${list(FACT_VARIABLES)}）`,
    };
  }
  const functions = [...scan.functions].filter((name) => !CONDITION_FUNCTIONS.includes(name));
  if (functions.length > 0) {
    return {
      code: 'BPMN_INVALID',
      problem: `的条件调用了不允许的函数 ${list(functions)}（可用：${list(CONDITION_FUNCTIONS)}）`,
    };
  }
  return null;
}
