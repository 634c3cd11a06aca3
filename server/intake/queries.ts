import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

export function listSystems(db: Db, departmentId: string) {
  return db
    .selectFrom('intake_systems')
    .selectAll()
    .where('department_id', '=', departmentId)
    .orderBy('created_at')
    .execute();
}

export function findSystem(db: Db, departmentId: string, by: { id: string } | { code: string }) {
  let query = db.selectFrom('intake_systems').selectAll().where('department_id', '=', departmentId);
  query = 'id' in by ? query.where('id', '=', by.id) : query.where('code', '=', by.code);
  return query.executeTakeFirst();
}

/** The service account a system acts through: an officer of the department who cannot log in. */
export async function insertSystem(
  trx: Transaction<DB>,
  v: { departmentId: string; code: string; name: string; by: string },
) {
  const user = await trx
    .insertInto('users')
    .values({
      department_id: v.departmentId,
      username: `intake.${v.code}.${Date.now().toString(36)}`,
      display_name: `${v.name}（接口）`,
      password_hash: '!intake-system',
      roles: ['officer'],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return trx
    .insertInto('intake_systems')
    .values({ department_id: v.departmentId, code: v.code, name: v.name, user_id: user.id, created_by: v.by })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listKeys(db: Db, systemIds: string[]) {
  if (systemIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('intake_keys')
    .select(['id', 'system_id', 'prefix', 'created_at', 'revoked_at'])
    .where('system_id', 'in', systemIds)
    .orderBy('created_at')
    .execute();
}

export function insertKey(db: Db, v: { systemId: string; keyHash: string; prefix: string; by: string }) {
  return db
    .insertInto('intake_keys')
    .values({ system_id: v.systemId, key_hash: v.keyHash, prefix: v.prefix, created_by: v.by })
    .returning(['id', 'prefix', 'created_at'])
    .executeTakeFirstOrThrow();
}

export function revokeKey(db: Db, systemId: string, keyId: string, by: string, at: Date) {
  return db
    .updateTable('intake_keys')
    .set({ revoked_at: at, revoked_by: by })
    .where('id', '=', keyId)
    .where('system_id', '=', systemId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
}

/** The live key with this hash, its system, and the system's service account and department. */
export function findKey(db: Db, keyHash: string) {
  return db
    .selectFrom('intake_keys as k')
    .innerJoin('intake_systems as s', 's.id', 'k.system_id')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('departments as d', 'd.id', 's.department_id')
    .select([
      'k.id as key_id',
      's.id as system_id',
      's.code',
      's.name',
      's.department_id',
      'u.id as user_id',
      'u.username',
      'u.display_name',
      'd.code as department_code',
      'd.name as department_name',
    ])
    .where('k.key_hash', '=', keyHash)
    .where('k.revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function mappedCase(db: Db, systemId: string, externalId: string) {
  const row = await db
    .selectFrom('intake_cases')
    .select('case_id')
    .where('system_id', '=', systemId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row?.case_id ?? null;
}

/** Maps an external case id to a case; false when either side is mapped already. */
export async function mapCase(db: Db, systemId: string, externalId: string, caseId: string) {
  const row = await db
    .insertInto('intake_cases')
    .values({ system_id: systemId, external_id: externalId, case_id: caseId })
    .onConflict((oc) => oc.doNothing())
    .returning('case_id')
    .executeTakeFirst();
  return Boolean(row);
}

/** The department's case with this number (a submission the mapping missed, e.g. a crash in between). */
export async function caseByNumber(db: Db, departmentId: string, caseNumber: string) {
  const row = await db
    .selectFrom('cases')
    .select('id')
    .where('department_id', '=', departmentId)
    .where('case_number', '=', caseNumber)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The department's officer holding a 执法证 of that number (the person a document the event issues names). */
export function officerByCertificate(db: Db, departmentId: string, certificateNumber: string) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'roles', 'active', 'certificate_number', 'certificate_valid_until'])
    .where('department_id', '=', departmentId)
    .where('certificate_number', '=', certificateNumber)
    .where('password_hash', '!=', '!intake-system')
    .executeTakeFirst();
}
