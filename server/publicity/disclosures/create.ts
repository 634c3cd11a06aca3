import type { Transaction } from 'kysely';
import type { CalendarService } from '../../calendar/service.js';
import type { DB } from '../../database/schema.js';
import type { Clock } from '../../infra/clock.js';
import type { WorkingCalendar } from '../../workdays/calendar.js';
import { instantToShanghaiDate, tryDayNumber } from '../../workdays/days.js';
import { addWorkingDays } from '../../workdays/deadlines.js';
import * as q from '../queries.js';
import type { DisclosureCategory, DisclosureContent, PartyType, RedactionFinding } from '../tables.js';
import { type Finding, redact } from './redaction.js';
import { noTimerEffects, scheduleDisclosureTimers, type TimerEffects } from './timers.js';

export interface DisclosureDeps {
  calendar: CalendarService;
  clock: Clock;
}

/** A recorded decision as the review capability hands it over. */
export interface RecordedDecisionInput {
  departmentId: string;
  caseId: string | null;
  category: DisclosureCategory;
  decisionNumber: string;
  decisionDate: string;
  party: { type: PartyType; name: string; idCode: string };
  title: string;
  facts: string;
  legalBasis: string;
  decision: string;
  actorId: string | null;
}

const FIELDS = ['title', 'party', 'facts', 'legalBasis', 'decision'] as const;

/** The automatic redaction proposal for every published field; a person reviews it before publication. */
export function proposeRedaction(original: DisclosureContent, partyType: PartyType) {
  const ctx = {
    personNames: partyType === 'person' ? [original.party] : [],
    organizationNames: partyType === 'organization' ? [original.party] : [],
  };
  const findings: RedactionFinding[] = [];
  const redacted = { ...original };
  for (const field of FIELDS) {
    const r = redact(original[field], ctx);
    redacted[field] = r.text;
    findings.push(
      ...r.findings.map((f: Finding) => ({
        field,
        kind: f.kind,
        start: f.start,
        end: f.end,
        replacement: f.replacement,
      })),
    );
  }
  // A natural person's identity code is never published; an organisation's credit code always is.
  if (partyType === 'person') redacted.partyCode = '';
  return { redacted, findings };
}

/**
 * Creates the disclosure of a just-recorded decision in the caller's transaction, with its legal deadline
 * (7 working days for licensing and penalty, 20 for others, per `disclosure_rules`) counted with the
 * calendar from the decision day, and durable reminder and deadline timers. The timers reach Redis through
 * the outbox (relay) and the timer reconciler, so nothing is lost if this process dies after the commit.
 */
export async function createDisclosure(trx: Transaction<DB>, deps: DisclosureDeps, input: RecordedDecisionInput) {
  const existing = input.caseId ? await q.findDisclosureByCase(trx, input.caseId) : undefined;
  if (existing) return { id: existing.id, dueAt: existing.due_at, effects: noTimerEffects() };
  const rule = await q.findRule(trx, input.category);
  if (!rule) throw new Error(`no disclosure rule for category ${input.category}`);
  const now = deps.clock.now();
  const decisionDate = tryDayNumber(input.decisionDate) !== undefined ? input.decisionDate : instantToShanghaiDate(now);
  const calendar = await deps.calendar.calendarFor(trx);
  const due = addWorkingDays(calendar, decisionDate, rule.deadline_working_days);
  const original: DisclosureContent = {
    title: input.title,
    party: input.party.name,
    partyCode: input.party.idCode,
    facts: input.facts,
    legalBasis: input.legalBasis,
    decision: input.decision,
  };
  const { redacted, findings } = proposeRedaction(original, input.party.type);
  const row = await q.insertDisclosure(trx, {
    departmentId: input.departmentId,
    caseId: input.caseId,
    category: input.category,
    decisionNumber: input.decisionNumber || '（未编号）',
    decisionDate,
    partyType: input.party.type,
    original,
    redacted,
    findings,
    dueAt: due.dueAt,
    provisional: due.provisional,
  });
  const effects: TimerEffects = noTimerEffects();
  await scheduleDisclosureTimers(trx, row.id, deadlineTimers(calendar, decisionDate, rule, due.dueAt), effects);
  await q.appendDisclosureEvent(trx, {
    disclosureId: row.id,
    type: 'disclosure.created',
    actorId: input.actorId,
    payload: { dueAt: due.dueAt.toISOString(), workingDays: rule.deadline_working_days, findings: findings.length },
    at: now,
  });
  return { id: row.id, dueAt: row.due_at, effects };
}

/** The deadline timer and, when the rule asks for one, the reminder some working days before it. */
export function deadlineTimers(
  calendar: WorkingCalendar,
  decisionDate: string,
  rule: { deadline_working_days: number; reminder_working_days: number },
  dueAt: Date,
) {
  const timers: { kind: q.DisclosureTimerKind; dueAt: Date }[] = [{ kind: 'disclosure_deadline', dueAt }];
  const remindDays = rule.deadline_working_days - rule.reminder_working_days;
  if (rule.reminder_working_days > 0 && remindDays >= 1) {
    timers.push({ kind: 'disclosure_reminder', dueAt: addWorkingDays(calendar, decisionDate, remindDays).dueAt });
  }
  return timers;
}

/** The disclosure input of a case whose decision was just recorded (the packet as last revised). */
export function decisionOfCase(
  c: {
    id: string;
    department_id: string;
    category: DisclosureCategory;
    title: string;
    packet: {
      party: { type: PartyType; name: string; idCode: string };
      factsFound: string;
      legalBasis: { law: string; article: string }[];
    };
  },
  d: { number: string; date: string; content: string },
  actorId: string | null,
): RecordedDecisionInput {
  return {
    departmentId: c.department_id,
    caseId: c.id,
    category: c.category,
    decisionNumber: d.number,
    decisionDate: d.date,
    party: c.packet.party,
    title: c.title,
    facts: c.packet.factsFound,
    legalBasis: c.packet.legalBasis.map((b) => `${b.law}${b.article}`).join('；'),
    decision: d.content,
    actorId,
  };
}
