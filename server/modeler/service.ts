import { evaluate } from 'feelin';
import { checkCatalogueCondition } from '../../workflows/lint/catalogue-conditions.js';
import type { Issue } from '../../workflows/lint/issues.js';
import type { CaseFacts } from '../catalogue/vocabulary.js';
import { FACT_VARIABLES } from '../catalogue/vocabulary.js';
import type { Database } from '../database/connect.js';
import { listDefinitions } from '../definitions/service.js';
import { type ValidateOptions, validateBpmn } from '../definitions/validate.js';
import { DomainError } from '../infra/errors.js';
import { type CatalogueWarning, documentBasisWarnings } from '../laws/catalogue-warnings.js';
import * as q from './queries.js';

export interface WorkflowEntry {
  processKey: string;
  name: string | null;
  latest: { version: number; deployedAt: Date; versionCount: number } | null;
  draft: { revision: number; baseVersion: number | null; savedAt: Date; savedByName: string } | null;
}

/** What a department can open in the modeler: its deployed processes and its drafts, by process key. */
export async function listWorkspace(db: Database, departmentId: string): Promise<WorkflowEntry[]> {
  const [deployed, drafts] = await Promise.all([listDefinitions(db, { departmentId }), q.listDrafts(db, departmentId)]);
  const entries = new Map<string, WorkflowEntry>();
  for (const d of deployed) {
    entries.set(d.processKey, {
      processKey: d.processKey,
      name: d.name,
      latest: { version: d.version, deployedAt: d.deployedAt, versionCount: d.versionCount },
      draft: null,
    });
  }
  for (const d of drafts) {
    const entry = entries.get(d.process_key) ?? { processKey: d.process_key, name: null, latest: null, draft: null };
    entry.draft = {
      revision: d.revision,
      baseVersion: d.base_version,
      savedAt: d.saved_at,
      savedByName: d.saved_by_name,
    };
    entries.set(d.process_key, entry);
  }
  return [...entries.values()].sort((a, b) => a.processKey.localeCompare(b.processKey));
}

/** What deploy checks a draft against (`deployChecks`). */
export type CheckOptions = ValidateOptions;

export type CheckResult =
  | { ok: true; processKey: string; name: string; warnings: CatalogueWarning[] }
  | { ok: false; code: string; message: string; problems: Issue[]; warnings: CatalogueWarning[] };

/**
 * Runs every deploy-time check (the shared lint rules included) without deploying. A document that passes also
 * has its catalogue's legal bases checked against the law library (`db`): those come back as warnings, which do
 * not stop a deployment.
 */
export async function checkDraft(xml: string, opts: CheckOptions, db?: Database, today?: string): Promise<CheckResult> {
  try {
    const { processKey, name, moddleContext } = await validateBpmn(xml, opts);
    const warnings = db && today ? await documentBasisWarnings(db, moddleContext.rootElement, processKey, today) : [];
    return { ok: true, processKey, name, warnings };
  } catch (err) {
    if (!(err instanceof DomainError) || !err.code.startsWith('BPMN_')) throw err;
    const details = err.details as { problems?: Issue[] } | undefined;
    return { ok: false, code: err.code, message: err.message, problems: details?.problems ?? [], warnings: [] };
  }
}

export interface ConditionTrial {
  /** Why the condition would be refused at deploy, or null. */
  problem: string | null;
  /** What the condition evaluates to for the facts, when it is acceptable. */
  result: unknown;
  /** Whether the item would apply: the condition is exactly true. */
  applies: boolean;
}

/** The "try it" box of a catalogue item: checks a condition as deploy would, then evaluates it on sample facts. */
export function tryCondition(condition: string, facts: CaseFacts): ConditionTrial {
  const problem = checkCatalogueCondition(condition, { chars: 0 });
  if (problem) return { problem: `条件${problem.problem.replace(/^的/, '')}`, result: null, applies: false };
  const source = facts as unknown as Record<string, unknown>;
  const variables = Object.fromEntries(FACT_VARIABLES.map((name) => [name, source[name]]));
  try {
    const result = evaluate(condition.trim(), variables).value;
    return { problem: null, result: result ?? null, applies: result === true };
  } catch (err) {
    return { problem: `条件求值失败：${(err as Error).message}`, result: null, applies: false };
  }
}
