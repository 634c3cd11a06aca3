/// <reference path="./bpmnlint.d.ts" />
import type { BaseElement } from 'bpmn-moddle';
import { Linter, type LinterOptions } from 'bpmnlint';
import type { Issue } from './issues.js';
import catalogueComplete from './rules/catalogue-complete.js';
import collectiveDiscussion from './rules/collective-discussion.js';
import decisionGate from './rules/decision-gate.js';
import feelConditions from './rules/feel-conditions.js';
import noDeadEnds from './rules/no-dead-ends.js';
import noScripts from './rules/no-scripts.js';
import reviewTaskDeadline from './rules/review-task-deadline.js';
import supportedElements from './rules/supported-elements.js';
import userTaskDeadline from './rules/user-task-deadline.js';
import userTaskRole from './rules/user-task-role.js';
import userTaskStep from './rules/user-task-step.js';
import validTimers from './rules/valid-timers.js';
import type { RuleFactory } from './types.js';

/**
 * Fashen's lint rules: the one rule set the modeler shows while a legal unit edits and the server runs at deploy.
 * Names are `fashen/<rule>` (bpmnlint reads the part before the slash as plugin `bpmnlint-plugin-fashen`).
 */
export const rules: Record<string, RuleFactory> = {
  'supported-elements': supportedElements,
  'no-scripts': noScripts,
  'user-task-role': userTaskRole,
  'user-task-step': userTaskStep,
  'review-task-deadline': reviewTaskDeadline,
  'user-task-deadline': userTaskDeadline,
  'feel-conditions': feelConditions,
  'valid-timers': validTimers,
  'catalogue-complete': catalogueComplete,
  'collective-discussion': collectiveDiscussion,
  'no-dead-ends': noDeadEnds,
  'decision-gate': decisionGate,
};

export const PLUGIN = 'bpmnlint-plugin-fashen';

/** The rules deploy runs on top of its own checks: all but those that are a deploy check already. */
export const DEPLOY_RULES: readonly string[] = Object.keys(rules).filter((name) => !rules[name]().meta?.deployCheck);

/** Every rule is an error: each one names something the server refuses at deploy. */
export function lintConfig(only?: readonly string[]): LinterOptions['config'] {
  const names = only ?? Object.keys(rules);
  return { rules: Object.fromEntries(names.map((name) => [`fashen/${name}`, 'error'])) };
}

export const resolver: LinterOptions['resolver'] = {
  resolveRule(pkg, ruleName) {
    if (pkg !== PLUGIN || !Object.hasOwn(rules, ruleName)) throw new Error(`unknown rule ${pkg}/${ruleName}`);
    return rules[ruleName];
  },
  resolveConfig(pkg, configName) {
    throw new Error(`unknown config ${pkg}/${configName}`);
  },
};

/** What bpmn-js-bpmnlint takes as `linting.bpmnlint`. */
export const packedConfig: LinterOptions = { config: lintConfig(), resolver };

export interface LintFinding extends Issue {
  rule: string;
  /** The rule judges the flow graph (see RuleMeta.flow). */
  flow: boolean;
}

/** Runs the rules (all, or the named ones) over a parsed document; rule crashes are findings too. */
export async function lintDefinitions(definitions: BaseElement, only?: readonly string[]): Promise<LintFinding[]> {
  const results = await new Linter({ config: lintConfig(only), resolver }).lint(definitions);
  const findings: LintFinding[] = [];
  for (const [name, reports] of Object.entries(results)) {
    for (const report of reports) {
      const related = report.related as Issue['related'];
      findings.push({
        rule: name.replace(/^fashen\//, ''),
        flow: report.meta?.flow === true,
        code: report.category === 'rule-error' ? 'BPMN_INVALID' : ((report.code as Issue['code']) ?? 'BPMN_INVALID'),
        elementId: report.id ?? null,
        elementType: null,
        message: report.category === 'rule-error' ? `检查规则 ${name} 出错：${report.message}` : report.message,
        ...(related && { related }),
      });
    }
  }
  return findings;
}
