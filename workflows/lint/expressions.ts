import type { BaseElement } from 'bpmn-moddle';
import { parseExpression } from 'feelin';
import { describe, type Issue, issueAt } from './issues.js';
import { childOf, stringOf, textsOf } from './walk.js';

// bpmn-elements resolves `${...}` placeholders in attribute values against the running environment, which is a
// way to reach JavaScript (`${environment.constructor.constructor('return process')()}`). `#{...}` is the same
// idea in other engines. Neither is ever legitimate in a Fashen definition, wherever it appears.
const PLACEHOLDER = /[$#]\{/;

export function hasPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

/** Refuses `${…}` or `#{…}` in any attribute, property, body or documentation text of any element. */
export function checkExpressionInjection(elements: readonly BaseElement[]): Issue[] {
  const issues: Issue[] = [];
  for (const element of elements) {
    for (const text of textsOf(element)) {
      if (PLACEHOLDER.test(text.value)) {
        const shown = text.value.length > 80 ? `${text.value.slice(0, 80)}…` : text.value;
        issues.push(
          issueAt(
            'BPMN_UNSAFE',
            element,
            `${describe(element)}的 ${text.property} 含有表达式占位符 \${…} 或 #{…}，可能造成代码注入：${shown}`,
          ),
        );
      }
    }
  }
  return issues;
}

/** FEEL syntax problems in an expression, as character offsets; empty when it parses cleanly. */
export function feelSyntaxErrors(expression: string): number[] {
  const positions: number[] = [];
  const tree = parseExpression(expression, {}, undefined);
  tree.iterate({
    enter(node) {
      if (node.type.isError) positions.push(node.from);
    },
  });
  return positions;
}

/** What a FEEL expression reads: its syntax errors, the variables it names and the functions it calls. */
export interface FeelScan {
  /** Character offset of the first syntax error, or null when the expression parses cleanly. */
  errorAt: number | null;
  variables: Set<string>;
  functions: Set<string>;
}

/**
 * Parses an expression once and collects the names in it. A name called as a function (`not(complex)`) is a
 * function, not a variable; the type in `x instance of number` is neither. `string  length` and `string length`
 * are one name, as FEEL reads them.
 */
export function scanFeel(expression: string): FeelScan {
  const scan: FeelScan = { errorAt: null, variables: new Set(), functions: new Set() };
  parseExpression(expression, {}, undefined).iterate({
    enter(node) {
      if (node.type.isError) scan.errorAt ??= node.from;
      if (node.name === 'Type') return false;
      if (node.name !== 'VariableName') return undefined;
      const name = expression.slice(node.from, node.to).replace(/\s+/g, ' ');
      const parent = node.node.parent;
      const callee = parent?.name === 'FunctionInvocation' && parent.firstChild?.from === node.from;
      (callee ? scan.functions : scan.variables).add(name);
      return undefined;
    },
  });
  return scan;
}

// The FEEL parser slows down sharply on long pathological input (a run of quotes costs ~36 µs per character);
// real conditions are a line long. Both limits keep a hostile upload's parsing well under a second.
export const MAX_CONDITION_CHARS = 500;
export const MAX_TOTAL_CONDITION_CHARS = 5_000;

/** Every sequence-flow condition must be FEEL (no language, or `feel`), reasonably short, and must parse. */
export function checkConditions(elements: readonly BaseElement[]): Issue[] {
  const issues: Issue[] = [];
  let budget = MAX_TOTAL_CONDITION_CHARS;
  for (const flow of elements) {
    if (flow.$type !== 'bpmn:SequenceFlow') continue;
    const condition = childOf(flow, 'conditionExpression');
    if (!condition) continue;
    const language = stringOf(condition, 'language');
    if (language !== undefined && language.toLowerCase() !== 'feel') {
      issues.push(
        issueAt('BPMN_UNSAFE', flow, `${describe(flow)}的条件使用了 ${language} 语言；条件表达式只允许 FEEL`),
      );
      continue;
    }
    const body = (stringOf(condition, 'body') ?? '').trim();
    if (body === '') {
      issues.push(issueAt('BPMN_INVALID', flow, `${describe(flow)}的条件表达式为空`));
      continue;
    }
    if (body.length > MAX_CONDITION_CHARS) {
      issues.push(
        issueAt('BPMN_INVALID', flow, `${describe(flow)}的条件表达式过长（最多 ${MAX_CONDITION_CHARS} 个字符）`),
      );
      continue;
    }
    budget -= body.length;
    if (budget < 0) {
      issues.push(
        issueAt(
          'BPMN_INVALID',
          flow,
          `条件表达式总长度超过 ${MAX_TOTAL_CONDITION_CHARS} 个字符（在 ${describe(flow)} 处）`,
        ),
      );
      break;
    }
    const errors = feelSyntaxErrors(body);
    if (errors.length > 0) {
      issues.push(
        issueAt(
          'BPMN_INVALID',
          flow,
          `${describe(flow)}的条件不是合法的 FEEL 表达式（第 ${errors[0] + 1} 个字符附近）：${body}`,
        ),
      );
    }
  }
  return issues;
}
