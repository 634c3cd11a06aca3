import { amountHints } from './amount.js';
import { citationHints } from './citation.js';
import { evidenceHints } from './evidence.js';
import { procedureHints } from './procedure.js';
import type { HintSource } from './types.js';

/**
 * Every source of hints, in the order the list shows them. The discretion benchmark (server/discretion/hints.ts,
 * benchmarkHints) and similar cases (server/similar/hints.ts, similarCaseHints) are added here.
 */
export const HINT_SOURCES: readonly HintSource[] = [citationHints, amountHints, evidenceHints, procedureHints];
