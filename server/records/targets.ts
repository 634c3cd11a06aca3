import type { Kysely } from 'kysely';
import type { DB } from '../database/schema.js';
import type { CaseFiles } from './case-files.js';
import { chainHeadsOfCases } from './queries.js';

/**
 * 同一执法对象集中储存: every case about one party (by ID number or unified social credit code), with the head
 * of its record and the files its record vouches for, across departments the caller may read.
 */
export async function casesOfTarget(files: CaseFiles, db: Kysely<DB>, idCode: string, departmentId: string | null) {
  const cases = await files.casesOfParty(db, idCode, departmentId);
  const ids = cases.map((c) => c.id);
  const [heads, attachments, documents] = ids.length
    ? await Promise.all([
        chainHeadsOfCases(db, ids),
        files.attachmentsOfCases(db, ids),
        files.documentSummariesOfCases(db, ids),
      ])
    : [[], [], []];
  const headOf = new Map(heads.map((h) => [h.case_id, h]));
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
    records: headOf.get(c.id)?.records ?? 0,
    headHash: headOf.get(c.id)?.head_hash ?? null,
    attachments: attachments
      .filter((a) => a.case_id === c.id)
      .map((a) => ({ id: a.id, fileName: a.file_name, mediaType: a.media_type, size: Number(a.size), sm3: a.sm3 })),
    documents: documents
      .filter((d) => d.case_id === c.id)
      .map((d) => ({ id: d.id, kind: d.kind, number: d.number, sm3: d.sm3 })),
  }));
}
