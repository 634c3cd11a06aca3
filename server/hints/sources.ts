import { benchmarkHints } from '../discretion/hints.js';
import type { Segmenter } from '../laws/segment.js';
import { similarCaseHints } from '../similar/hints.js';
import { amountHints } from './amount.js';
import { citationHints } from './citation.js';
import { evidenceHints } from './evidence.js';
import { procedureHints } from './procedure.js';
import type { HintSource } from './types.js';

/** Every source of hints, in the order the list shows them; similar cases segment with the process's segmenter. */
export const hintSources = (segmenter: Segmenter): readonly HintSource[] => [
  citationHints,
  benchmarkHints,
  similarCaseHints(segmenter),
  amountHints,
  evidenceHints,
  procedureHints,
];
