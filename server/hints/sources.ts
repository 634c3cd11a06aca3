import { benchmarkHints } from '../discretion/hints.js';
import { similarCaseHints } from '../similar/hints.js';
import { amountHints } from './amount.js';
import { citationHints } from './citation.js';
import { evidenceHints } from './evidence.js';
import { procedureHints } from './procedure.js';
import type { HintSource } from './types.js';

/** Every source of hints, in the order the list shows them. */
export const HINT_SOURCES: readonly HintSource[] = [
  citationHints,
  benchmarkHints,
  similarCaseHints,
  amountHints,
  evidenceHints,
  procedureHints,
];
