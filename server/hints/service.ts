import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { REVIEW_POINTS } from '../cases/review-points.js';
import type { CaseRow, Packet } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import type { HistoryListeners } from '../engine/registry.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { recordCaseEvent } from '../records/append.js';
import type { SimilarSearch } from '../similar/service.js';
import { hintSources } from './sources.js';
import type { HintMarkStatus } from './tables.js';
import type { HintCase, HintInput, HintSource } from './types.js';

export const KIND_LABELS: Record<string, string> = {
  citation: '引用问题',
  benchmark_deviation: '偏离裁量基准',
  similar_deviation: '偏离同类案件',
  amount_mismatch: '金额不一致',
  evidence_missing: '证据缺失',
  procedure_gap: '程序缺口',
};

export const MARK_LABELS: Record<HintMarkStatus, string> = { handled: '已处理', not_applicable: '不适用' };

const POINT_LABELS: Record<string, string> = Object.fromEntries(REVIEW_POINTS.map((p) => [p.key, p.label]));

export interface Hint extends HintInput {
  kindLabel: string;
  pointLabel: string;
  mark: { status: HintMarkStatus; statusLabel: string; note: string; markedBy: string; markedAt: string } | null;
}

export interface HintContext {
  db: Kysely<DB>;
  history: HistoryListeners;
  now: () => Date;
  similar: SimilarSearch;
}

/** The hints' context of an app: its database, record listeners, clock and similar-cases search. */
export const hintContext = (app: FastifyInstance): HintContext => ({
  db: app.db,
  history: app.cases.runtime.history,
  now: () => app.clock.now(),
  similar: app.similar,
});

const caseOf = (c: CaseRow): HintCase => ({
  id: c.id,
  department_id: c.department_id,
  packet: c.packet as Packet,
  created_at: c.created_at,
  facts: c.facts,
});

/**
 * The hints of a case, each with its mark. Sources run independently; one that fails (a missing table while a
 * source is new, a bad packet) costs its own hints only, never the reviewer's page.
 */
export async function caseHints(
  ctx: HintContext,
  c: CaseRow,
  sources: readonly HintSource[] = hintSources(ctx.similar),
  log?: (err: unknown) => void,
): Promise<Hint[]> {
  const input = caseOf(c);
  const lists = await Promise.all(
    sources.map((s) =>
      s(ctx.db, input).catch((err) => {
        log?.(err);
        return [] as HintInput[];
      }),
    ),
  );
  const seen = new Set<string>();
  const hints = lists.flat().filter((h) => !seen.has(h.key) && seen.add(h.key));
  const marks = await ctx.db
    .selectFrom('case_hint_marks as m')
    .innerJoin('users as u', 'u.id', 'm.marked_by')
    .select(['m.key', 'm.status', 'm.note', 'm.marked_at', 'u.display_name'])
    .where('m.case_id', '=', c.id)
    .execute();
  const byKey = new Map(marks.map((m) => [m.key, m]));
  return hints.map((h) => {
    const m = byKey.get(h.key);
    return {
      ...h,
      kindLabel: KIND_LABELS[h.kind] ?? h.kind,
      pointLabel: POINT_LABELS[h.point] ?? h.point,
      mark: m
        ? {
            status: m.status,
            statusLabel: MARK_LABELS[m.status],
            note: m.note,
            markedBy: m.display_name,
            markedAt: new Date(m.marked_at).toISOString(),
          }
        : null,
    };
  });
}

/** The case's reviewer: the one assigned, or one holding (or having held) a reviewer's task of its review. */
export async function isCaseReviewer(db: Kysely<DB>, actor: Actor, c: CaseRow) {
  if (c.reviewer_id === actor.id) return true;
  if (!c.instance_id) return false;
  const task = await db
    .selectFrom('tasks')
    .select('id')
    .where('instance_id', '=', c.instance_id)
    .where('assignee_id', '=', actor.id)
    .where('role', '=', 'reviewer')
    .executeTakeFirst();
  return !!task;
}

/**
 * The reviewer marks a hint handled or not applicable, with a note. The mark and its entry in the case's record
 * commit together; marking again replaces the mark (the record keeps every one).
 */
export async function markHint(
  ctx: HintContext,
  actor: Actor,
  c: CaseRow,
  key: string,
  input: { status: HintMarkStatus; note: string },
  sources: readonly HintSource[] = hintSources(ctx.similar),
) {
  if (!(await isCaseReviewer(ctx.db, actor, c))) {
    throw new AppError(403, 'FORBIDDEN', '只有本案的法制审核人员可以标记提示');
  }
  const hint = (await caseHints(ctx, c, sources)).find((h) => h.key === key);
  if (!hint) throw new AppError(404, 'NOT_FOUND', '本案没有这条提示（送审材料可能已修改）');
  const note = input.note.trim();
  const at = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('case_hint_marks')
      .values({ case_id: c.id, key, status: input.status, note, marked_by: actor.id, marked_at: at })
      .onConflict((oc) =>
        oc.columns(['case_id', 'key']).doUpdateSet({ status: input.status, note, marked_by: actor.id, marked_at: at }),
      )
      .execute();
    await recordCaseEvent(ctx.history, trx, c, {
      type: 'hint.marked',
      actorId: actor.id,
      at,
      payload: {
        caseId: c.id,
        key,
        kind: hint.kind,
        point: hint.point,
        title: hint.title,
        status: input.status,
        statusLabel: MARK_LABELS[input.status],
        note,
      },
    });
  });
  return (await caseHints(ctx, c, sources)).find((h) => h.key === key)!;
}
