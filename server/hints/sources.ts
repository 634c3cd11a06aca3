import { benchmarkHints } from '../discretion/hints.js';
import { similarCaseHints } from '../similar/hints.js';
import type { SimilarSearch } from '../similar/service.js';
import { amountHints } from './amount.js';
import { citationHints } from './citation.js';
import { evidenceHints } from './evidence.js';
import { procedureHints } from './procedure.js';
import type { HintSource } from './types.js';

/** Every source of hints, in the order the list shows them; similar cases are searched with the app's search. */
export const hintSources = (similar: SimilarSearch): readonly HintSource[] => [
  citationHints,
  benchmarkHints,
  similarCaseHints(similar),
  amountHints,
  evidenceHints,
  procedureHints,
];
