import type { FastifyInstance } from 'fastify';
import type { CaseRow } from '../../cases/tables.js';
import { caseHints, type Hint, hintContext } from '../../hints/service.js';

export interface HintView extends Hint {
  /** An id safe for HTML (hint-0, hint-1 …), for anchors and labels. */
  anchor: string;
  /** The point's note field the detail is quoted into. */
  noteName: string;
}

/** The case's hints as pages show them; a failing source is logged and leaves the rest. */
export async function hintsView(app: FastifyInstance, c: CaseRow): Promise<HintView[]> {
  const ctx = hintContext(app);
  const hints = await caseHints(ctx, c, undefined, (err) => app.log.warn({ err, caseId: c.id }, 'hint source failed'));
  return hints.map((h, i) => ({ ...h, anchor: `hint-${i}`, noteName: `note_${h.point}` }));
}

/** Each review point with the hints that concern it; hints of a point the form lacks stay in the list only. */
export function pointsWithHints<P extends { key: string }>(points: P[], hints: HintView[]) {
  return points.map((p) => ({ ...p, hints: hints.filter((h) => h.point === p.key) }));
}
