import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { ChallengeKind, ChallengeOutcome } from './outcomes.js';

type Db = Kysely<DB> | Transaction<DB>;

export async function insertChallenge(
  trx: Transaction<DB>,
  c: {
    caseId: string;
    kind: ChallengeKind;
    organ: string;
    outcome: ChallengeOutcome;
    decidedOn: string;
    documentNumber: string;
    note: string;
    recordedBy: string;
    at: Date;
  },
) {
  return trx
    .insertInto('decision_challenges')
    .values({
      case_id: c.caseId,
      kind: c.kind,
      organ: c.organ,
      outcome: c.outcome,
      decided_on: c.decidedOn,
      document_number: c.documentNumber,
      note: c.note,
      recorded_by: c.recordedBy,
      recorded_at: c.at,
    })
    .returning(['id', 'recorded_at'])
    .executeTakeFirstOrThrow();
}

export async function challengesOfCase(db: Db, caseId: string) {
  return db
    .selectFrom('decision_challenges as x')
    .innerJoin('users as u', 'u.id', 'x.recorded_by')
    .select([
      'x.id',
      'x.kind',
      'x.organ',
      'x.outcome',
      sql<string>`to_char(x.decided_on, 'YYYY-MM-DD')`.as('decided_on'),
      'x.document_number',
      'x.note',
      'u.display_name as recorded_by',
      'x.recorded_at',
    ])
    .where('x.case_id', '=', caseId)
    .orderBy('x.decided_on')
    .orderBy('x.recorded_at')
    .execute();
}
