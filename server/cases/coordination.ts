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
// conclusion: the handling unit's head here, before the meeting's record is completed; the review unit's head here
// too, or by completing the record (review.recordCoordination refuses an agreement either head has not confirmed).

export type AgreedOutcome = 'agree_with_review' | 'agree_with_handling';
type Side = 'handling' | 'review';

/**
 * A unit head confirms the conclusion the coordination is about to record as agreed: the review unit's head for the
 * review side, else the handling unit's head (without a head, the agency's officers stand for the handling side).
 */
export async function confirmCoordination(ctx: CaseContext, actor: Actor, caseId: string, outcome: AgreedOutcome) {
  const c = await visibleCase(ctx, actor, caseId);
  if (c.department_id !== actor.departmentId) throw new AppError(403, 'FORBIDDEN', '只能确认本机关案件的协调意见');
  if (c.status !== 'coordinating') throw new AppError(409, 'CONFLICT', '案件不在协调阶段，无需确认协调意见');
  const side = await confirmingSide(ctx.db, actor, c);
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('coordination_confirmations')
      .values({ case_id: c.id, round: c.current_round, side, outcome, user_id: actor.id, confirmed_at: at })
      .onConflict((oc) =>
        oc.columns(['case_id', 'round', 'side']).doUpdateSet({ outcome, user_id: actor.id, confirmed_at: at }),
      )
      .execute();
    await appendCaseRecords(trx, c.id, [
      {
        at: at.toISOString(),
        actorId: actor.id,
        type: 'case.coordination_confirmed',
        payload: { caseId: c.id, round: c.current_round, side, outcome, outcomeLabel: COORDINATION_LABELS[outcome] },
      },
    ]);
  });
  return { outcome, side, confirmedBy: actor.id, confirmedAt: at.toISOString() };
}

/** Which unit the actor confirms for, or the refusal naming who confirms. */
export async function confirmingSide(
  db: CaseContext['db'],
  actor: Pick<Actor, 'id' | 'roles'>,
  c: Pick<CaseRow, 'handling_unit_id' | 'review_unit_id'>,
): Promise<Side> {
  const review = await reviewHead(db, c);
  if (review?.userId === actor.id) return 'review';
  const head = await handlingHead(db, c);
  if (head ? head.userId === actor.id : actor.roles.includes('officer')) return 'handling';
  throw new AppError(
    403,
    'FORBIDDEN',
    head
      ? `协调意见须由承办机构（${head.unit}）负责人${head.name}确认`
      : '协调意见须由承办机构负责人（本机关执法人员）或法制审核机构负责人确认',
  );
}

/**
 * The head of the case's handling unit (承办机构负责人), when the case names a unit that has one. Without units the
 * agency's officers stand for the handling side, as before units existed.
 */
export function handlingHead(db: CaseContext['db'], c: Pick<CaseRow, 'handling_unit_id'>) {
  return unitHead(db, c.handling_unit_id);
}

/**
 * The head of the unit that reviews the case (法制审核机构负责人), when it has one. Without one, whoever completes the
 * coordination for the legal unit stands for the review side.
 */
export function reviewHead(db: CaseContext['db'], c: Pick<CaseRow, 'review_unit_id'>) {
  return unitHead(db, c.review_unit_id);
}

async function unitHead(db: CaseContext['db'], unitId: string | null) {
  if (!unitId) return null;
  const row = await db
    .selectFrom('units as u')
    .innerJoin('users as h', 'h.id', 'u.head_user_id')
    .select(['u.name as unit', 'h.id as userId', 'h.display_name as name'])
    .where('u.id', '=', unitId)
    .executeTakeFirst();
  return row ?? null;
}

async function nameOf(trx: Transaction<DB>, userId: string): Promise<string> {
  const row = await trx.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
  return row?.display_name ?? '';
}

/**
 * Both heads' confirmations of an agreed coordination, for this round and this very conclusion: the handling unit's
 * head's (recorded earlier) and the review unit's head's — recorded earlier, or given now by completing the
 * coordination (`completedBy`). Refuses an agreement either head has not confirmed, or one person confirming for both.
 */
export async function agreementConfirmations(
  trx: Transaction<DB>,
  c: CaseRow,
  outcome: AgreedOutcome,
  completedBy: string | null,
  at: Date,
): Promise<CoordinationConfirmation[]> {
  const recorded = await trx
    .selectFrom('coordination_confirmations')
    .selectAll()
    .where('case_id', '=', c.id)
    .where('round', '=', c.current_round)
    .execute();
  const handling = recorded.find((r) => r.side === 'handling');
  if (!handling || handling.outcome !== outcome) {
    throw new AppError(
      409,
      'COORDINATION_NOT_CONFIRMED',
      `协调结果为“${COORDINATION_LABELS[outcome]}”的，须先由承办机构负责人确认该协调意见`,
      { field: 'outcome' },
    );
  }
  const review = await reviewSide(trx, c, outcome, completedBy, at, recorded);
  if (handling.user_id === review.userId) {
    throw new AppError(409, 'COORDINATION_NOT_CONFIRMED', '承办机构与法制审核机构的负责人须分别确认，不能由同一人确认');
  }
  return [
    {
      side: 'handling',
      userId: handling.user_id,
      name: await nameOf(trx, handling.user_id),
      at: handling.confirmed_at.toISOString(),
    },
    { side: 'review', userId: review.userId, name: await nameOf(trx, review.userId), at: review.at.toISOString() },
  ];
}

/** The review side's confirmation: its head's (recorded, or by completing), or the completer's when it has no head. */
async function reviewSide(
  trx: Transaction<DB>,
  c: CaseRow,
  outcome: AgreedOutcome,
  completedBy: string | null,
  at: Date,
  recorded: { side: string; outcome: string; user_id: string; confirmed_at: Date }[],
): Promise<{ userId: string; at: Date }> {
  const head = await reviewHead(trx, c);
  if (!head) {
    if (!completedBy)
      throw new AppError(409, 'COORDINATION_NOT_CONFIRMED', '达成一致的协调意见须由法制审核机构负责人确认');
    return { userId: completedBy, at };
  }
  if (completedBy === head.userId) return { userId: head.userId, at };
  const own = recorded.find((r) => r.side === 'review' && r.user_id === head.userId);
  if (own?.outcome === outcome) return { userId: head.userId, at: own.confirmed_at };
  throw new AppError(
    409,
    'COORDINATION_NOT_CONFIRMED',
    `协调结果为“${COORDINATION_LABELS[outcome]}”的，须由法制审核机构（${head.unit}）负责人${head.name}确认该协调意见（在案件页面确认，或由其完成协调）`,
    { field: 'outcome' },
  );
}
