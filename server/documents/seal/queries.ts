import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../database/schema.js';

type Db = Kysely<DB> | Transaction<DB>;

const META = ['department_id', 'sm3', 'size', 'width', 'height', 'uploaded_by', 'uploaded_at'] as const;

export function findSealMeta(db: Db, departmentId: string) {
  return db.selectFrom('department_seals').select(META).where('department_id', '=', departmentId).executeTakeFirst();
}

export function findSeal(db: Db, departmentId: string) {
  return db
    .selectFrom('department_seals')
    .select([...META, 'image'])
    .where('department_id', '=', departmentId)
    .executeTakeFirst();
}

/** Stores a department's seal, replacing the one it had. */
export function upsertSeal(
  db: Db,
  values: {
    departmentId: string;
    image: Buffer;
    sm3: string;
    width: number;
    height: number;
    uploadedBy: string;
    uploadedAt: Date;
  },
) {
  const row = {
    image: values.image,
    sm3: values.sm3,
    size: values.image.length,
    width: values.width,
    height: values.height,
    uploaded_by: values.uploadedBy,
    uploaded_at: values.uploadedAt,
  };
  return db
    .insertInto('department_seals')
    .values({ department_id: values.departmentId, ...row })
    .onConflict((oc) => oc.column('department_id').doUpdateSet(row))
    .returning(META)
    .executeTakeFirstOrThrow();
}

export async function deleteSeal(db: Db, departmentId: string): Promise<boolean> {
  const result = await db.deleteFrom('department_seals').where('department_id', '=', departmentId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
