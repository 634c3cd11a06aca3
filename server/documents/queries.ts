import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { DocumentKind } from './kinds.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The department's name and the abbreviation its document numbers start with (column added by documents). */
export function departmentForDocuments(db: Db, departmentId: string) {
  return db
    .selectFrom('departments')
    .select(['id', 'name', 'code', sql<string | null>`document_abbr`.as('document_abbr')])
    .where('id', '=', departmentId)
    .executeTakeFirst();
}

/**
 * The next number of a department's documents of one kind in one year. The upsert holds the sequence row's
 * lock until the transaction ends, so concurrent issuers queue behind it, and a rollback gives the number back.
 */
export async function nextDocumentNumber(
  trx: Transaction<DB>,
  departmentId: string,
  kind: DocumentKind,
  year: number,
): Promise<number> {
  const row = await trx
    .insertInto('document_sequences')
    .values({ department_id: departmentId, kind, year, last_number: 1 })
    .onConflict((oc) =>
      oc
        .columns(['department_id', 'kind', 'year'])
        .doUpdateSet({ last_number: sql<number>`document_sequences.last_number + 1` }),
    )
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

export function insertDocument(
  trx: Transaction<DB>,
  values: {
    departmentId: string;
    caseId: string | null;
    kind: DocumentKind;
    number: string;
    year: number;
    fileName: string;
    content: Buffer;
    sm3: string;
    createdBy: string | null;
    createdAt: Date;
  },
) {
  return trx
    .insertInto('documents')
    .values({
      department_id: values.departmentId,
      case_id: values.caseId,
      kind: values.kind,
      number: values.number,
      year: values.year,
      file_name: values.fileName,
      content: values.content,
      sm3: values.sm3,
      size: values.content.length,
      created_by: values.createdBy,
      created_at: values.createdAt,
      signed_by: null,
      signed_at: null,
      signed_sm3: null,
    })
    .returning(['id'])
    .executeTakeFirstOrThrow();
}

const META = [
  'id',
  'department_id',
  'case_id',
  'kind',
  'number',
  'year',
  'file_name',
  'sm3',
  'size',
  'created_by',
  'created_at',
  'signed_by',
  'signed_at',
  'signed_sm3',
] as const;

export function findDocument(db: Db, id: string) {
  return db
    .selectFrom('documents')
    .select([...META, 'content'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Locks a document for signing: two signers of one document go one after the other. */
export function lockDocument(trx: Transaction<DB>, id: string) {
  return trx
    .selectFrom('documents')
    .select([...META, 'content'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function markSigned(trx: Transaction<DB>, id: string, userId: string, at: Date, sm3: string) {
  return trx
    .updateTable('documents')
    .set({ signed_by: userId, signed_at: at, signed_sm3: sm3 })
    .where('id', '=', id)
    .where('signed_at', 'is', null)
    .executeTakeFirst();
}

export function documentsOfCase(db: Db, caseId: string) {
  return db
    .selectFrom('documents')
    .select(META)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('number')
    .execute();
}

export function currentTemplate(db: Db, departmentId: string, kind: DocumentKind) {
  return db
    .selectFrom('document_templates')
    .select(['source', 'created_by', 'created_at'])
    .where('department_id', '=', departmentId)
    .where('kind', '=', kind)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The latest template row of each kind the department ever changed. */
export function templateChanges(db: Db, departmentId: string) {
  return db
    .selectFrom('document_templates')
    .distinctOn('kind')
    .select(['kind', 'source', 'created_by', 'created_at'])
    .where('department_id', '=', departmentId)
    .orderBy('kind')
    .orderBy('id', 'desc')
    .execute();
}

export function insertTemplate(
  db: Db,
  values: { departmentId: string; kind: DocumentKind; source: string | null; createdBy: string; createdAt: Date },
) {
  return db
    .insertInto('document_templates')
    .values({
      department_id: values.departmentId,
      kind: values.kind,
      source: values.source,
      created_by: values.createdBy,
      created_at: values.createdAt,
    })
    .returning(['created_at'])
    .executeTakeFirstOrThrow();
}
