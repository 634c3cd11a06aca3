import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { appendCaseRecords } from '../records/append.js';
import type { CaseContext } from './context.js';
import { COORDINATION_LABELS } from './review-points.js';
import { visibleCase } from './service.js';
import type { CaseRow, CoordinationConfirmation } from './tables.js';

// A coordination (协调) that ends in agreement binds both units, so both units' heads confirm the agreed
// conclusion: the handling unit's head here, before the meeting's record is completed; the review unit's head by
// completing it (review.recordCoordination refuses an agreement the handling side has not confirmed).

export type AgreedOutcome = 'agree_with_review' | 'agree_with_handling';

/** The handling unit's head confirms the conclusion the coordination is about to record as agreed. */
export async function confirmCoordination(ctx: CaseContext, actor: Actor, caseId: string, outcome: AgreedOutcome) {
  const c = await visibleCase(ctx, actor, caseId);
  if (c.department_id !== actor.departmentId) throw new AppError(403, 'FORBIDDEN', '只能确认本机关案件的协调意见');
  if (c.status !== 'coordinating') throw new AppError(409, 'CONFLICT', '案件不在协调阶段，无需确认协调意见');
  const head = await handlingHead(ctx.db, c);
  if (head && head.userId !== actor.id) {
    throw new AppError(403, 'FORBIDDEN', `协调意见须由承办机构（${head.unit}）负责人${head.name}确认`);
  }
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('coordination_confirmations')
      .values({ case_id: c.id, round: c.current_round, side: 'handling', outcome, user_id: actor.id, confirmed_at: at })
      .onConflict((oc) =>
        oc.columns(['case_id', 'round', 'side']).doUpdateSet({ outcome, user_id: actor.id, confirmed_at: at }),
      )
      .execute();
    await appendCaseRecords(trx, c.id, [
      {
        at: at.toISOString(),
        actorId: actor.id,
        type: 'case.coordination_confirmed',
        payload: {
          caseId: c.id,
          round: c.current_round,
          side: 'handling',
          outcome,
          outcomeLabel: COORDINATION_LABELS[outcome],
        },
      },
    ]);
  });
  return { outcome, side: 'handling' as const, confirmedBy: actor.id, confirmedAt: at.toISOString() };
}

/**
 * The head of the case's handling unit (承办机构负责人), when the case names a unit that has one. Without units the
 * agency's officers stand for the handling side, as before units existed.
 */
export async function handlingHead(db: CaseContext['db'], c: Pick<CaseRow, 'handling_unit_id'>) {
  if (!c.handling_unit_id) return null;
  const row = await db
    .selectFrom('units as u')
    .innerJoin('users as h', 'h.id', 'u.head_user_id')
    .select(['u.name as unit', 'h.id as userId', 'h.display_name as name'])
    .where('u.id', '=', c.handling_unit_id)
    .executeTakeFirst();
  return row ?? null;
}

async function nameOf(trx: Transaction<DB>, userId: string): Promise<string> {
  const row = await trx.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
  return row?.display_name ?? '';
}

/**
 * Both heads' confirmations of an agreed coordination: the handling unit's head's (recorded earlier, for this
 * round and this very conclusion) and the review unit's head's, who completes the coordination now. Refuses an
 * agreement the handling side has not confirmed, or one person confirming for both units.
 */
export async function agreementConfirmations(
  trx: Transaction<DB>,
  c: CaseRow,
  outcome: AgreedOutcome,
  reviewHead: string | null,
  at: Date,
): Promise<CoordinationConfirmation[]> {
  const handling = await trx
    .selectFrom('coordination_confirmations')
    .selectAll()
    .where('case_id', '=', c.id)
    .where('round', '=', c.current_round)
    .where('side', '=', 'handling')
    .executeTakeFirst();
  if (!handling || handling.outcome !== outcome) {
    throw new AppError(
      409,
      'COORDINATION_NOT_CONFIRMED',
      `协调结果为“${COORDINATION_LABELS[outcome]}”的，须先由承办机构负责人确认该协调意见`,
      { field: 'outcome' },
    );
  }
  if (!reviewHead)
    throw new AppError(409, 'COORDINATION_NOT_CONFIRMED', '达成一致的协调意见须由法制审核机构负责人确认');
  if (handling.user_id === reviewHead) {
    throw new AppError(409, 'COORDINATION_NOT_CONFIRMED', '承办机构与法制审核机构的负责人须分别确认，不能由同一人确认');
  }
  return [
    {
      side: 'handling',
      userId: handling.user_id,
      name: await nameOf(trx, handling.user_id),
      at: handling.confirmed_at.toISOString(),
    },
    { side: 'review', userId: reviewHead, name: await nameOf(trx, reviewHead), at: at.toISOString() },
  ];
}
