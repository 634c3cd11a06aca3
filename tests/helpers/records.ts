import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { TestApp, TestUser } from './app.js';
import { caseOf, completeStep, FACTS, packet, reviewForm, today } from './review.js';

export const tempDataDir = () => mkdtempSync(path.join(tmpdir(), 'fashen-records-'));

export interface Crew {
  officer: TestUser;
  reviewers: TestUser[];
  chief: TestUser;
  legal: TestUser;
}

export async function submitCase(t: TestApp, crew: Crew, overrides: Record<string, unknown> = {}) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/cases',
    headers: t.as(crew.officer),
    payload: { packet: packet(overrides), facts: FACTS },
  });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json().caseId as string;
}

/** A case taken the whole approve path: submitted, accepted, reviewed (signed opinion), chief's decision, decided. */
export async function decidedCase(t: TestApp, crew: Crew, overrides: Record<string, unknown> = {}) {
  const caseId = await submitCase(t, crew, overrides);
  await completeStep(t, crew.legal, caseId, 'Task_accept', { complete: true });
  const c = await caseOf(t, crew.legal, caseId);
  const reviewer = crew.reviewers.find((r) => r.id === c.reviewerId)!;
  await completeStep(t, reviewer, caseId, 'Task_review', reviewForm('同意'));
  await completeStep(t, crew.chief, caseId, 'Task_chief_decision', { decision: '同意作出决定' });
  await completeStep(t, crew.officer, caseId, 'Task_record_decision', {
    decisionNumber: '市监罚〔2026〕18号',
    decisionDate: today(),
    decisionContent: '没收不合格产品，并处罚款六万四千元。',
  });
  return { caseId, reviewer };
}

/**
 * What a database superuser can do that the application cannot: with triggers off (session_replication_role =
 * replica) the append-only guard and foreign keys no longer apply.
 */
export async function asSuperuser(t: TestApp, statements: string[]) {
  await t.db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    for (const s of statements) await sql.raw(s).execute(trx);
  });
}
