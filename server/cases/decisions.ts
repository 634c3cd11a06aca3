import type { ChiefDecision, Conclusion } from './tables.js';

/**
 * Whose opinion the chief's decision departs from (责任追溯). The handling unit proposed the decision as
 * submitted, so anything but "approve" departs from its proposal; the review opinion is departed from when
 * the chief proceeds against a disapproval, stops or transfers an approved case, or decides other than a
 * recommended transfer.
 */
export function overridesOf(decision: ChiefDecision['decision'], review: Conclusion | null): ('review' | 'proposal')[] {
  const out: ('review' | 'proposal')[] = [];
  if (review) {
    const proceeds = decision === 'approve' || decision === 'approve_modified';
    const departs =
      (review === 'disapprove' && proceeds) ||
      (review === 'approve' && !proceeds) ||
      (review === 'transfer' && decision !== 'transfer') ||
      ((review === 'approve_with_changes' || review === 'return') && decision === 'approve');
    if (departs) out.push('review');
  }
  if (decision !== 'approve') out.push('proposal');
  return out;
}
