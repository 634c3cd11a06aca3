import { sql } from 'kysely';
import type { Database } from '../database/connect.js';
import { AppError } from '../http/errors.js';
import { tryDayNumber } from '../workdays/days.js';

const day = (col: string) => sql<string | null>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;

export interface RepealInput {
  lawId: string;
  /** One version of the law; absent: the law as a whole. */
  versionId?: string | null;
  /** The first day the law (or version) is no longer in force; null removes the mark. */
  repealedOn: string | null;
  note: string;
  userId: string;
}

/**
 * Marks a law, or one of its versions, repealed (废止) from a day — or removes the mark — and keeps the change in
 * law_repeals. Citations read on or after that day are not in force. A repeal cannot precede the text it ends.
 */
export async function markRepealed(db: Database, input: RepealInput) {
  const note = input.note.trim();
  if (!note) throw new AppError(400, 'VALIDATION_FAILED', '请写明废止依据或撤销理由', { field: 'note' });
  if (input.repealedOn && tryDayNumber(input.repealedOn) === undefined) {
    throw new AppError(400, 'VALIDATION_FAILED', '废止日期无效', { field: 'repealedOn' });
  }
  return db.transaction().execute(async (trx) => {
    const law = await trx
      .selectFrom('law_laws')
      .select('id')
      .where('id', '=', input.lawId)
      .forUpdate()
      .executeTakeFirst();
    if (!law) throw new AppError(404, 'NOT_FOUND', '没有这部法律法规');
    let versions = trx
      .selectFrom('law_versions')
      .select(['id', day('version_date').as('versionDate')])
      .where('law_id', '=', input.lawId)
      .orderBy('version_date');
    if (input.versionId) versions = versions.where('id', '=', input.versionId);
    const first = await versions.executeTakeFirst();
    if (input.versionId && !first) throw new AppError(404, 'NOT_FOUND', '这部法律法规没有该版本');
    if (input.repealedOn && first?.versionDate && input.repealedOn < first.versionDate) {
      throw new AppError(
        400,
        'VALIDATION_FAILED',
        `废止日期不能早于${input.versionId ? '该版本' : '最早版本'}的通过或修改日期（${first.versionDate}）`,
        {
          field: 'repealedOn',
        },
      );
    }
    const mark = { repealed_on: input.repealedOn, repeal_note: input.repealedOn ? note : null };
    if (input.versionId) await trx.updateTable('law_versions').set(mark).where('id', '=', input.versionId).execute();
    else await trx.updateTable('law_laws').set(mark).where('id', '=', input.lawId).execute();
    await trx
      .insertInto('law_repeals')
      .values({
        law_id: input.lawId,
        version_id: input.versionId ?? null,
        repealed_on: input.repealedOn,
        note,
        changed_by: input.userId,
      })
      .execute();
    return { lawId: input.lawId, versionId: input.versionId ?? null, repealedOn: input.repealedOn };
  });
}

/** Every repeal mark set or removed on a law and its versions, oldest first, with who did it. */
export async function repealHistory(db: Database, lawId: string) {
  const rows = await db
    .selectFrom('law_repeals as r')
    .leftJoin('law_versions as v', 'v.id', 'r.version_id')
    .leftJoin('users as u', 'u.id', 'r.changed_by')
    .select([
      'r.version_id as versionId',
      day('v.version_date').as('versionDate'),
      day('r.repealed_on').as('repealedOn'),
      'r.note',
      'u.display_name as changedBy',
      'r.changed_at',
    ])
    .where('r.law_id', '=', lawId)
    .orderBy('r.changed_at')
    .orderBy('r.id')
    .execute();
  return rows.map(({ changed_at, ...r }) => ({ ...r, changedAt: new Date(changed_at).toISOString() }));
}
