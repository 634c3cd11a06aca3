import { evaluate } from 'feelin';
import { type CaseFacts, type CatalogueItem, FACT_VARIABLES } from './vocabulary.js';

export interface CatalogueEvaluation {
  /** Whether legal review is mandatory: the case falls under at least one catalogue item. */
  mandatory: boolean;
  /** The item that governs the review: the matching one with the longest review time limit. */
  matched: CatalogueItem | null;
  /** Every matching item, in document order. */
  matches: CatalogueItem[];
  reason: string;
}

export const VOLUNTARY_REASON = '未命中目录清单，可自愿申请法制审核';

/** Only the fact vocabulary reaches FEEL, whatever else the caller's object carries. */
function variablesOf(facts: CaseFacts): Record<string, unknown> {
  const source = facts as unknown as Record<string, unknown>;
  return Object.fromEntries(FACT_VARIABLES.map((name) => [name, source[name]]));
}

/**
 * Whether an item applies: its condition is exactly `true`. A condition that yields null (a comparison FEEL
 * cannot make) or anything else does not apply, and neither does one that fails; deploy-time checks make that
 * rare, and a catalogue must never make a case fail to submit.
 */
function applies(item: CatalogueItem, variables: Record<string, unknown>): boolean {
  try {
    // feelin parses on every call (it has no public compiled-expression API); a condition is a line of FEEL
    // and costs well under a millisecond.
    return evaluate(item.condition, variables).value === true;
  } catch {
    return false;
  }
}

/**
 * Which catalogue items a case falls under. When several do, the one with the longest review time limit governs
 * (the first in document order among equals), so the review is never given less time than any item allows.
 */
export function evaluateCatalogue(items: readonly CatalogueItem[], facts: CaseFacts): CatalogueEvaluation {
  const variables = variablesOf(facts);
  const matches = items.filter((item) => applies(item, variables));
  let matched: CatalogueItem | null = null;
  for (const item of matches) if (!matched || item.reviewWorkingDays > matched.reviewWorkingDays) matched = item;
  return {
    mandatory: matched !== null,
    matched,
    matches,
    reason: matched
      ? `本案属于重大执法决定：${matched.categoryLabel} — ${matched.name}（${matched.code}）`
      : VOLUNTARY_REASON,
  };
}
