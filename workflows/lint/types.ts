import type { BaseElement } from 'bpmn-moddle';
import type { BpmnErrorCode, Issue } from './issues.js';

/** What a rule may attach to a report besides its message: the server's refusal code and related elements. */
export interface ReportExtra {
  code: BpmnErrorCode;
  related?: Issue['related'];
}

/** bpmnlint's reporter, as rules see it. */
export interface Reporter {
  report(id: string | undefined, message: string, extra?: ReportExtra): void;
}

export interface RuleMeta {
  /** Judges the flow graph: meaningless (and noisy) while the document still holds unsafe or unsupported parts. */
  flow?: boolean;
  /**
   * The rule is the deploy check itself (it calls the very function validate.ts calls, so it reports the same
   * issues by construction); deploy does not run it twice, which would double its FEEL parsing budget.
   */
  deployCheck?: boolean;
  documentation?: { url?: string; description: string };
}

/** A bpmnlint rule: `check` is called for every element of the document, depth first. */
export interface RuleDefinition {
  meta?: RuleMeta;
  check(node: BaseElement, reporter: Reporter): boolean | undefined;
}

export type RuleFactory = (config?: unknown) => RuleDefinition;

/** Reports server-side issues (which already carry the exact deploy-time message) through a lint reporter. */
export function reportIssues(reporter: Reporter, issues: readonly Issue[], fallbackId: string | undefined): void {
  for (const issue of issues) {
    reporter.report(issue.elementId ?? fallbackId, issue.message, {
      code: issue.code,
      ...(issue.related && { related: issue.related }),
    });
  }
}
