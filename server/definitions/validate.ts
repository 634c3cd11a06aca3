import type { BaseElement } from 'bpmn-moddle';
import { checkCatalogues } from '../../workflows/lint/catalogue.js';
import { checkCycles, checkReachability } from '../../workflows/lint/cycles.js';
import { checkSupportedElements } from '../../workflows/lint/elements.js';
import { checkConditions, checkExpressionInjection } from '../../workflows/lint/expressions.js';
import { buildFlowGraph } from '../../workflows/lint/graph.js';
import { DEPLOY_RULES, type LintFinding, lintDefinitions } from '../../workflows/lint/index.js';
import { describe, type Issue, issue, issueAt, localType } from '../../workflows/lint/issues.js';
import { checkStructure, executableProcess } from '../../workflows/lint/structure.js';
import { defaultTimerBounds, type TimerBounds } from '../../workflows/lint/timers.js';
import { allElements } from '../../workflows/lint/walk.js';
import { DomainError } from '../infra/errors.js';
import { checkForms } from './form-fields.js';
import { type ModdleContext, parseBpmn } from './parse.js';
import { refuse } from './refuse.js';
import { checkRawNesting, checkRawXml, declaredAsUtf8, declaredEncodingProblem, MAX_NESTING } from './xml-safety.js';

export interface ValidatedBpmn {
  /** The id of the executable process: definitions are versioned per key and department. */
  processKey: string;
  name: string;
  moddleContext: ModdleContext;
}

/** What deploy checks an upload against, built from the configuration and the runtime's whitelist. */
export function deployChecks(
  config: { BPMN_MAX_BYTES: number; TIMER_MIN_CYCLE_SECONDS: number },
  services: readonly string[],
  now: Date,
): ValidateOptions {
  return {
    maxBytes: config.BPMN_MAX_BYTES,
    services,
    timers: { minCycleSeconds: config.TIMER_MIN_CYCLE_SECONDS, now: now.getTime() },
  };
}

export interface ValidateOptions {
  maxBytes: number;
  /** The service names a `fashen:service` may call (the runtime's whitelist). */
  services: readonly string[];
  /** Why the uploaded bytes were not UTF-8 (see decodeUpload): listed with every other problem. */
  encodingProblem?: string | null;
  /** The window timers must keep to (shortest cycle period, longest span, now); defaults when unset. */
  timers?: Partial<TimerBounds>;
}

/**
 * Validates an uploaded BPMN document, which is untrusted data. Throws AppError 400 with code BPMN_UNSAFE,
 * BPMN_UNSUPPORTED or BPMN_INVALID, a Chinese message naming the offending element, and every problem found in
 * `details.problems`.
 */
export async function validateBpmn(upload: string, opts: ValidateOptions): Promise<ValidatedBpmn> {
  const declared = declaredEncodingProblem(upload);
  // Refused for its encoding whatever else it holds; the rest is judged as the UTF-8 text it was decoded to.
  const xml = declared ? declaredAsUtf8(upload) : upload;
  const encoding = [opts.encodingProblem, declared]
    .filter((m): m is string => !!m)
    .map((m) => issue('BPMN_INVALID', m));
  let moddleContext: ModdleContext;
  try {
    checkRawXml(xml, opts.maxBytes);
    checkRawNesting(xml);
    moddleContext = await parseBpmn(xml);
  } catch (err) {
    // Refused before the elements could be judged: the encoding problems are listed with the refusal's own.
    const problems = (err instanceof DomainError && (err.details as { problems?: Issue[] })?.problems) || [];
    if (encoding.length > 0 && problems.length > 0) refuse([...encoding, ...problems]);
    throw err;
  }
  const definitions = moddleContext.rootElement;
  // The raw scan has refused deeper text already; this bound on the parsed graph is the backstop the
  // ancestor-walking checks rely on, whatever the scanner's reading of odd markup.
  const { elements, tooDeep } = allElements(definitions, MAX_NESTING);
  if (tooDeep) {
    refuse([
      issueAt('BPMN_UNSUPPORTED', tooDeep, `文档嵌套层级过深（最多 ${MAX_NESTING} 层），在 ${describe(tooDeep)} 处`),
    ]);
  }

  const issues: Issue[] = [
    ...encoding,
    ...checkExpressionInjection(elements),
    ...checkSupportedElements(elements, opts.services, defaultTimerBounds(opts.timers)),
    ...checkConditions(elements),
    ...checkForms(elements),
    ...checkCatalogues(elements),
  ];
  const { process, issues: processIssues } = executableProcess(definitions);
  issues.push(...processIssues);
  // The flow graph of a document with unsafe or unsupported elements is not worth judging (and judging it
  // would bury the real problem under dead ends and unreachable nodes).
  if (process && issues.every((i) => i.code === 'BPMN_INVALID')) {
    const graph = buildFlowGraph(process);
    issues.push(...checkStructure(process), ...checkReachability(graph), ...checkCycles(graph));
  }
  issues.push(...sharedLintIssues(await lintDefinitions(definitions, DEPLOY_RULES), issues, elements));
  if (issues.length > 0 || !process?.id) refuse(issues);
  return { processKey: process.id, name: process.name?.trim() || process.id, moddleContext };
}

/**
 * The lint rules the modeler shows (workflows/lint) run here too, so that what the editor flags is what deploy refuses. Many
 * of them wrap the checks above and say the same thing; those are dropped, as are flow-graph findings while the
 * document still holds unsafe or unsupported parts (they would bury the real problem).
 */
function sharedLintIssues(
  findings: LintFinding[],
  issues: readonly Issue[],
  elements: readonly BaseElement[],
): Issue[] {
  const seen = new Set(issues.map((i) => `${i.elementId}\u0000${i.message}`));
  const judgeFlow = issues.every((i) => i.code === 'BPMN_INVALID');
  const byId = new Map(elements.filter((e) => e.id).map((e) => [e.id, e]));
  const out: Issue[] = [];
  for (const { rule: _rule, flow, ...issue } of findings) {
    const key = `${issue.elementId}\u0000${issue.message}`;
    if (seen.has(key) || (flow && !judgeFlow)) continue;
    seen.add(key);
    const element = issue.elementId ? byId.get(issue.elementId) : undefined;
    out.push({ ...issue, elementType: element ? localType(element.$type) : issue.elementType });
  }
  return out;
}
