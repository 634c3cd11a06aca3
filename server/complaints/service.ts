import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { CalendarService } from '../calendar/service.js';
import type { Database } from '../database/connect.js';
import type { DB } from '../database/schema.js';
import { deliverCommitted, type OutboxRow } from '../engine/outbox.js';
import { closeOwnedTimers, findOwnedTimer, scheduleOwnedTimers } from '../engine/owned-timers.js';
import type { TimerOutcome } from '../engine/registry.js';
import { AppError } from '../http/errors.js';
import { type Actor, hasRole, readsAllDepartments } from '../identity/service.js';
import type { Clock } from '../infra/clock.js';
import type { JobQueues } from '../jobs/queues.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { addWorkingDays } from '../workdays/deadlines.js';
import type { ComplaintRow } from './tables.js';

export interface ComplaintsContext {
  db: Database;
  calendar: CalendarService;
  clock: Clock;
  queues: JobQueues;
  log: FastifyBaseLogger;
}

/** Working days the agency has to answer a complaint (counted from the day it was received). */
export const COMPLAINT_WORKING_DAYS = 15;
export const COMPLAINT_TIMER_KIND = 'complaint_deadline';

type Db = Kysely<DB> | Transaction<DB>;
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const pick = (n: number) => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
const digest = (number: string, secret: string) => createHash('sm3').update(`${number}\n${secret}`).digest('hex');
const normalPhone = (p: string) => p.replace(/[\s-]/g, '');

export interface NewComplaint {
  departmentId: string;
  about: 'act' | 'officer';
  officerName?: string;
  certificateNumber?: string;
  occurredOn?: string;
  content: string;
  name: string;
  phone: string;
  email?: string;
}

/** Receives a complaint: numbered, its answer deadline counted in working days and kept as a durable timer. */
export async function receiveComplaint(ctx: ComplaintsContext, input: NewComplaint) {
  const agency = await ctx.db
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('id', '=', input.departmentId)
    .where('kind', '=', 'agency')
    .executeTakeFirst();
  if (!agency) throw new AppError(400, 'VALIDATION_FAILED', '所选执法机关不存在', { departmentId: input.departmentId });
  const now = ctx.clock.now();
  const day = instantToShanghaiDate(now);
  const code = pick(8);
  const effects: OutboxRow[] = [];
  const row = await ctx.db.transaction().execute(async (trx) => {
    const due = addWorkingDays(await ctx.calendar.calendarFor(trx), day, COMPLAINT_WORKING_DAYS);
    const number = `TS${day.replaceAll('-', '')}-${pick(6)}`;
    const created = await trx
      .insertInto('complaints')
      .values({
        number,
        secret_hash: digest(number, code),
        department_id: agency.id,
        about: input.about,
        officer_name: input.officerName?.trim() || null,
        certificate_number: input.certificateNumber?.trim() || null,
        occurred_on: input.occurredOn || null,
        content: input.content.trim(),
        complainant_name: input.name.trim(),
        phone: normalPhone(input.phone),
        phone_hash: digest(number, normalPhone(input.phone)),
        email: input.email?.trim() || null,
        working_days: COMPLAINT_WORKING_DAYS,
        due_at: due.dueAt,
        due_provisional: due.provisional,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    effects.push(
      ...(await scheduleOwnedTimers(trx, { type: 'complaint', id: created.id }, [
        { kind: COMPLAINT_TIMER_KIND, dueAt: due.dueAt },
      ])),
    );
    return created;
  });
  await deliverCommitted(ctx, effects).catch((err) => ctx.log.warn({ err }, 'complaint timer deferred to relay'));
  return { row, code, agencyName: agency.name };
}

/**
 * The complainant's look-up: the number and either the query code or the phone given. A wrong number and a
 * wrong check answer alike (null), and both hash once, so neither the answer nor its timing tells them apart.
 */
export async function complaintForComplainant(db: Db, number: string, check: string) {
  const row = await db
    .selectFrom('complaints as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .select(['c.number', 'c.secret_hash', 'c.phone_hash', 'c.status', 'c.due_at', 'c.created_at'])
    .select(['c.answer', 'c.answered_at', 'd.name as agency_name'])
    .where('c.number', '=', number)
    .executeTakeFirst();
  const given = Buffer.from(digest(number, normalPhone(check)), 'hex');
  const same = (h: string | undefined) => timingSafeEqual(given, Buffer.from(h ?? '0'.repeat(64), 'hex'));
  const ok = [same(row?.secret_hash), same(row?.phone_hash)].some(Boolean);
  return row && ok ? row : null;
}

/** Masks contact details for whoever does not handle the complaint. */
export function maskedContact(c: Pick<ComplaintRow, 'complainant_name' | 'phone' | 'email'>) {
  const phone = c.phone.length > 7 ? `${c.phone.slice(0, 3)}****${c.phone.slice(-4)}` : '****';
  const email = c.email ? c.email.replace(/^(.).*(@.*)$/, '$1***$2') : null;
  return { name: `${[...c.complainant_name][0] ?? ''}*`, phone, email };
}

/** The handler of a complaint: the legal unit (or chief) of the agency it was routed to. */
export function handles(actor: Actor, c: Pick<ComplaintRow, 'department_id'>) {
  return actor.departmentId === c.department_id && hasRole(actor, 'legal_admin', 'chief');
}

export async function visibleComplaint(db: Db, actor: Actor, id: string) {
  const c = await db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c || (c.department_id !== actor.departmentId && !readsAllDepartments(actor))) {
    throw new AppError(404, 'NOT_FOUND', '投诉举报不存在');
  }
  return c;
}

export async function answerComplaint(ctx: ComplaintsContext, actor: Actor, id: string, answer: string) {
  const c = await visibleComplaint(ctx.db, actor, id);
  if (!handles(actor, c)) throw new AppError(403, 'FORBIDDEN', '只有被投诉机关的法制机构可以答复');
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('complaints')
      .set({ status: 'answered', answer: answer.trim(), answered_by: actor.id, answered_at: now })
      .where('id', '=', id)
      .where('status', '=', 'received')
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw new AppError(409, 'CONFLICT', '该投诉举报已经答复');
    return updated;
  });
}

/**
 * The deadline came: flag the complaint overdue if it is still unanswered. Four round trips (a burst of deadlines
 * is bound by them): the complaint is found through its pending timer and locked in one statement, as an answer
 * locks it; the timer is closed and the complaint flagged in another, which does nothing if a second delivery of
 * the job closed the timer first.
 */
export async function fireComplaintTimer(ctx: ComplaintsContext, timerId: string): Promise<TimerOutcome> {
  return ctx.db.transaction().execute(async (trx) => {
    const c = await trx
      .selectFrom('complaints')
      .select(['id', 'status'])
      .where(
        'id',
        '=',
        sql<string>`(SELECT split_part(t.execution_id, ':', 2)::uuid FROM timers t
                     WHERE t.id = ${timerId} AND t.status = 'pending' AND t.kind = ${COMPLAINT_TIMER_KIND})`,
      )
      .forUpdate()
      .executeTakeFirst();
    if (!c) {
      // Not pending (stale), or its complaint is gone: close it so that it is not delivered again.
      const timer = await findOwnedTimer(trx, timerId);
      if (timer?.status !== 'pending') return { kind: 'stale', reason: timer?.status ?? 'missing' };
      await closeOwnedTimers(trx, [timerId], 'cancelled');
      return { kind: 'stale', reason: 'missing' };
    }
    if (c.status !== 'received') {
      await closeOwnedTimers(trx, [timerId], 'cancelled');
      return { kind: 'stale', reason: c.status };
    }
    const flagged = await sql<{ id: string }>`
      WITH fired AS (
        UPDATE timers SET status = 'fired', ended_at = now() WHERE id = ${timerId} AND status = 'pending' RETURNING id
      )
      UPDATE complaints SET overdue_at = ${ctx.clock.now()} WHERE id = ${c.id} AND EXISTS (SELECT 1 FROM fired)
      RETURNING id`.execute(trx);
    return flagged.rows.length ? { kind: 'fired' } : { kind: 'stale', reason: 'fired' };
  });
}

/** Counts per agency for a year (Beijing time), for the indicators: received, answered, on time, overdue. */
export function complaintCounts(db: Db, year: number, departmentId?: string) {
  const from = new Date(Date.UTC(year, 0, 1) - 8 * 3_600_000);
  const to = new Date(Date.UTC(year + 1, 0, 1) - 8 * 3_600_000);
  let q = db
    .selectFrom('complaints as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .select(['c.department_id', 'd.name'])
    .select([
      sql<number>`count(*)::int`.as('received'),
      sql<number>`count(*) FILTER (WHERE c.status = 'answered')::int`.as('answered'),
      sql<number>`count(*) FILTER (WHERE c.answered_at <= c.due_at)::int`.as('answeredOnTime'),
      sql<number>`count(*) FILTER (WHERE c.overdue_at IS NOT NULL OR c.answered_at > c.due_at)::int`.as('overdue'),
    ])
    .where('c.created_at', '>=', from)
    .where('c.created_at', '<', to);
  if (departmentId) q = q.where('c.department_id', '=', departmentId);
  return q.groupBy(['c.department_id', 'd.name']).orderBy('d.name').execute();
}
