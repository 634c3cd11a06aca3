import { sql } from 'kysely';
import { AppError } from '../../http/errors.js';
import { type Actor, hasRole, readsAllDepartments } from '../../identity/service.js';
import { bigramTokens, normalisedText } from '../portal/search-tokens.js';
import * as q from '../queries.js';
import { WITHDRAWAL_GROUNDS, type WithdrawalGround } from '../schemas.js';
import { type DisclosureContent, type DisclosureRow, isoDate } from '../tables.js';
import { recordDisclosureEvent } from './history.js';
import { describeKinds, personalDataIn } from './personal-data.js';
import { applyWithheld } from './redaction.js';
import {
  cancelDisclosureTimers,
  deliverTimerEffects,
  noTimerEffects,
  type PublicityContext,
  scheduleDisclosureTimers,
} from './timers.js';

const PUBLISHED_FIELDS = ['title', 'party', 'facts', 'legalBasis', 'decision'] as const;

/** The legal unit (法制机构) and the chief of the deciding department manage its disclosures. */
function assertManages(actor: Actor, d: Pick<DisclosureRow, 'department_id'>) {
  if (actor.departmentId !== d.department_id || !hasRole(actor, 'legal_admin', 'chief')) {
    throw new AppError(403, 'FORBIDDEN', '只有本机关的法制机构或负责人可以处理公示');
  }
}

/** A disclosure its department (or a supervisor) may see; others get 404. */
export async function visibleDisclosure(ctx: PublicityContext, actor: Actor, id: string) {
  const d = await q.findDisclosure(ctx.db, id);
  if (!d || (d.department_id !== actor.departmentId && !readsAllDepartments(actor))) {
    throw new AppError(404, 'NOT_FOUND', '公示记录不存在');
  }
  return d;
}

/** Search tokens of what is published: the party's own (party search) and everything's (free text). */
export function searchIndexOf(content: DisclosureContent, decisionNumber: string, departmentName: string) {
  const body = [
    content.title,
    content.partyCode,
    content.facts,
    content.legalBasis,
    content.decision,
    decisionNumber,
    departmentName,
  ].join('\n');
  return {
    tokens: { party: bigramTokens(content.party), body: bigramTokens(body) },
    text: normalisedText(`${content.party}\n${body}`),
  };
}

/**
 * 审核公开: a person approves the redacted text (side by side with the original) for publication. Passages
 * wrapped in 【】 are withheld. Personal data the detector still finds refuses publication unless the
 * reviewer confirms it is meant to be public (e.g. a service hotline).
 */
export async function approveDisclosure(
  ctx: PublicityContext,
  actor: Actor,
  id: string,
  input: { redacted: Omit<DisclosureContent, 'partyCode'>; confirmRemaining?: boolean },
) {
  const effects = noTimerEffects();
  const result = await ctx.db.transaction().execute(async (trx) => {
    const d = await q.lockDisclosure(trx, id);
    if (!d) throw new AppError(404, 'NOT_FOUND', '公示记录不存在');
    assertManages(actor, d);
    assertNotCancelled(d);
    if (d.status !== 'pending') throw new AppError(409, 'CONFLICT', '此决定已审核公开或已撤下');
    const content: DisclosureContent = {
      ...d.redacted,
      partyCode: d.party_type === 'person' ? '' : d.original.partyCode,
    };
    for (const f of PUBLISHED_FIELDS) content[f] = applyWithheld(input.redacted[f].trim());
    const remaining = personalDataIn(d, Object.fromEntries(PUBLISHED_FIELDS.map((f) => [f, content[f]])));
    if (remaining.length && !input.confirmRemaining) {
      throw new AppError(400, 'VALIDATION_FAILED', '脱敏后的文本中仍有个人信息，请处理或确认后再公开', { remaining });
    }
    const rule = await q.findRule(trx, d.category);
    const years =
      d.party_type === 'person' ? (rule?.retention_years_person ?? 2) : (rule?.retention_years_organization ?? 5);
    const retentionUntil = addYears(isoDate(d.decision_date), years);
    const now = ctx.clock.now();
    const dept = await trx
      .selectFrom('departments')
      .select('name')
      .where('id', '=', d.department_id)
      .executeTakeFirstOrThrow();
    const index = searchIndexOf(content, d.decision_number, dept.name);
    await q.updateDisclosure(
      trx,
      id,
      {
        status: 'published',
        redacted: JSON.stringify(content),
        published_at: now,
        published_by: actor.id,
        retention_until: retentionUntil,
        search_text: index.text,
      },
      index.tokens,
    );
    await cancelDisclosureTimers(trx, id, ['disclosure_reminder', 'disclosure_deadline'], effects);
    await scheduleDisclosureTimers(
      trx,
      id,
      [{ kind: 'disclosure_retention', dueAt: new Date(`${retentionUntil}T00:00:00+08:00`) }],
      effects,
    );
    const timely = now.getTime() <= d.due_at.getTime();
    await recordDisclosureEvent(trx, d, {
      type: 'disclosure.published',
      actorId: actor.id,
      payload: { timely, retentionUntil, remainingConfirmed: remaining.length },
      at: now,
    });
    return { status: 'published' as const, publishedAt: now, timely, retentionUntil };
  });
  await deliverTimerEffects(ctx, effects);
  return result;
}

/**
 * 撤下: a published decision changed, revoked, found unlawful or void, or ordered to be remade leaves the portal at
 * once. The reason is published (art. 48(2)), so personal data the detector finds in it refuses the withdrawal,
 * as it refuses approval, unless the reviewer confirms it is meant to be public (e.g. a service hotline).
 */
export async function withdrawDisclosure(
  ctx: PublicityContext,
  actor: Actor,
  id: string,
  input: { ground: WithdrawalGround; reason: string; confirmRemaining?: boolean },
) {
  const effects = noTimerEffects();
  const result = await ctx.db.transaction().execute(async (trx) => {
    const d = await q.lockDisclosure(trx, id);
    if (!d) throw new AppError(404, 'NOT_FOUND', '公示记录不存在');
    assertManages(actor, d);
    assertNotCancelled(d);
    if (d.status !== 'published') throw new AppError(409, 'CONFLICT', '只有已公开的决定可以撤下');
    const written = input.reason.trim();
    const remaining = personalDataIn(d, { reason: written });
    if (remaining.length && !input.confirmRemaining) {
      throw new AppError(
        400,
        'VALIDATION_FAILED',
        `撤下原因将向社会公开，其中含有个人信息（${describeKinds(remaining)}），请删除或确认后再撤下`,
        { remaining },
      );
    }
    const now = ctx.clock.now();
    const reason = `${WITHDRAWAL_GROUNDS[input.ground]}：${written}`;
    await q.updateDisclosure(trx, id, {
      status: 'withdrawn',
      withdrawn_at: now,
      withdrawn_by: actor.id,
      withdrawal_reason: reason,
    });
    await cancelDisclosureTimers(trx, id, ['disclosure_retention'], effects);
    await recordDisclosureEvent(trx, d, {
      type: 'disclosure.withdrawn',
      actorId: actor.id,
      payload: { ground: input.ground, reason, remainingConfirmed: remaining.length },
      at: now,
    });
    return { status: 'withdrawn' as const, withdrawnAt: now, reason };
  });
  await deliverTimerEffects(ctx, effects);
  return result;
}

/** A decision corrected before publication (不予公开) is neither published nor withdrawn: say why. */
function assertNotCancelled(d: Pick<DisclosureRow, 'status' | 'cancellation_reason'>) {
  if (d.status !== 'cancelled') return;
  throw new AppError(
    409,
    'CONFLICT',
    `该决定在公开前已被行政复议或行政诉讼纠正（${d.cancellation_reason}），不予公开，也无须撤下`,
    { status: d.status, reason: d.cancellation_reason },
  );
}

function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const out = new Date(Date.UTC(y + years, m - 1, d));
  if (out.getUTCDate() !== d) out.setUTCDate(0); // 29 February → 28 February
  return out.toISOString().slice(0, 10);
}

export type DisclosureState = 'pending' | 'due_soon' | 'overdue' | 'published' | 'withdrawn' | 'expired' | 'cancelled';

/** The department's disclosures for the legal unit: overdue first, then by due time. */
export function listDepartmentDisclosures(
  ctx: PublicityContext,
  departmentId: string,
  filter: { state?: 'open' | 'overdue' | 'published' | 'withdrawn' | 'cancelled'; limit: number; offset: number },
) {
  let query = ctx.db
    .selectFrom('disclosures')
    .select([
      'id',
      'case_id',
      'category',
      'decision_number',
      'decision_date',
      'party_type',
      'status',
      'due_at',
      'due_provisional',
      'reminded_at',
      'overdue_at',
      'published_at',
      'withdrawn_at',
      'withdrawal_reason',
      'withdraw_due_at',
      'withdraw_required_reason',
      'cancelled_at',
      'cancellation_reason',
      'retention_until',
      'redacted',
      'created_at',
    ])
    .where('department_id', '=', departmentId);
  const now = ctx.clock.now();
  // To do: pending ones, and published ones a 复议 or 诉讼 outcome obliges the unit to withdraw.
  if (filter.state === 'open')
    query = query.where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'published'), eb('withdraw_due_at', 'is not', null)]),
      ]),
    );
  if (filter.state === 'overdue') query = query.where('status', '=', 'pending').where('due_at', '<', now);
  if (filter.state === 'published') query = query.where('status', '=', 'published');
  if (filter.state === 'withdrawn') query = query.where('status', 'in', ['withdrawn', 'expired']);
  if (filter.state === 'cancelled') query = query.where('status', '=', 'cancelled');
  return query
    .orderBy(sql`(status = 'published' AND withdraw_due_at IS NOT NULL)`, 'desc')
    .orderBy(sql`(status = 'pending')`, 'desc')
    .orderBy('due_at', 'asc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

export function stateOf(d: Pick<DisclosureRow, 'status' | 'due_at' | 'reminded_at'>, now: Date): DisclosureState {
  if (d.status !== 'pending') return d.status;
  if (d.due_at.getTime() < now.getTime()) return 'overdue';
  return d.reminded_at ? 'due_soon' : 'pending';
}

export async function countOverdue(ctx: PublicityContext, departmentId: string) {
  const row = await ctx.db
    .selectFrom('disclosures')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('department_id', '=', departmentId)
    .where('status', '=', 'pending')
    .where('due_at', '<', ctx.clock.now())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
