import { benchmarkHints } from '../discretion/hints.js';
import { amountHints } from './amount.js';
import { citationHints } from './citation.js';
import { evidenceHints } from './evidence.js';
import { procedureHints } from './procedure.js';
import type { HintSource } from './types.js';

/**
 * Every source of hints, in the order the list shows them. Similar cases (server/similar/hints.ts,
 * similarCaseHints) are added here too.
 */
export const HINT_SOURCES: readonly HintSource[] = [
  citationHints,
  benchmarkHints,
  amountHints,
  evidenceHints,
  procedureHints,
];
