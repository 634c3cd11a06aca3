import { type Kysely, sql } from 'kysely';
import type { DB } from '../database/schema.js';

/**
 * 同一执法对象集中储存: every case about one party (by ID number or unified social credit code), with the head
 * of its record and the files its record vouches for, across departments the caller may read.
 */
export async function casesOfTarget(db: Kysely<DB>, idCode: string, departmentId: string | null) {
  let query = db
    .selectFrom('cases as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .select([
      'c.id',
      'c.case_number',
      'c.title',
      'c.category',
      'c.status',
      'c.department_id',
      'c.instance_id',
      'd.name as department_name',
      'c.created_at',
      sql<string>`c.packet->'party'->>'name'`.as('party_name'),
      (eb) =>
        eb
          .selectFrom('case_records as r')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('r.case_id', '=', 'c.id')
          .as('records'),
      (eb) =>
        eb
          .selectFrom('case_records as r')
          .select('r.hash')
          .whereRef('r.case_id', '=', 'c.id')
          .orderBy('r.seq', 'desc')
          .limit(1)
          .as('head_hash'),
    ])
    .where(sql<string>`c.packet->'party'->>'idCode'`, '=', idCode);
  if (departmentId) query = query.where('c.department_id', '=', departmentId);
  const cases = await query.orderBy('c.created_at').execute();
  const ids = cases.map((c) => c.id);
  const [attachments, documents] = ids.length
    ? await Promise.all([
        db
          .selectFrom('case_attachments')
          .select(['id', 'case_id', 'file_name', 'media_type', 'size', 'sm3', 'uploaded_at'])
          .where('case_id', 'in', ids)
          .orderBy('uploaded_at')
          .execute(),
        db
          .selectFrom('documents')
          .select(['id', 'case_id', 'kind', 'number', 'sm3', 'created_at'])
          .where('case_id', 'in', ids)
          .orderBy('created_at')
          .execute(),
      ])
    : [[], []];
  return cases.map((c) => ({
    caseId: c.id,
    caseNumber: c.case_number,
    title: c.title,
    category: c.category,
    status: c.status,
    departmentId: c.department_id,
    departmentName: c.department_name,
    instanceId: c.instance_id,
    partyName: c.party_name,
    createdAt: c.created_at.toISOString(),
    records: c.records ?? 0,
    headHash: c.head_hash ?? null,
    attachments: attachments
      .filter((a) => a.case_id === c.id)
      .map((a) => ({ id: a.id, fileName: a.file_name, mediaType: a.media_type, size: Number(a.size), sm3: a.sm3 })),
    documents: documents
      .filter((d) => d.case_id === c.id)
      .map((d) => ({ id: d.id, kind: d.kind, number: d.number, sm3: d.sm3 })),
  }));
}
