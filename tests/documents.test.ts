import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentData } from '../server/documents/kinds.js';
import { sampleDataOf } from '../server/documents/samples.js';
import { getDocument, issueDocument, listDocuments, signDocument } from '../server/documents/service.js';
import { docxPart } from '../server/documents/testing/unzip.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';

let t: TestApp;
let deptA: { id: string; code: string };
let deptB: { id: string; code: string };
let legalA: TestUser;
let officerA: TestUser;
let legalB: TestUser;
let supervisor: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  deptA = await t.newDepartment();
  deptB = await t.newDepartment();
  legalA = await t.newUser({ departmentId: deptA.id, roles: ['legal_admin'] });
  officerA = await t.newUser({ departmentId: deptA.id, roles: ['officer'] });
  legalB = await t.newUser({ departmentId: deptB.id, roles: ['legal_admin'] });
  supervisor = await t.newUser({ departmentId: deptB.id, roles: ['supervisor'] });
});
afterAll(() => t.close());

const AT = new Date('2026-11-25T02:00:00Z');

function issue(departmentId: string, doc: DocumentData, at = AT, caseId: string | null = null) {
  return t.db
    .transaction()
    .execute((trx) =>
      issueDocument(trx, t.app.documentTemplates, { ...doc, departmentId, caseId, createdBy: legalA.id, at }),
    );
}

const opinion: DocumentData = { kind: 'review_opinion', data: sampleDataOf('review_opinion') };
const numberOf = (n: string) => Number(/〕(\d+)号$/.exec(n)?.[1]);

describe('document numbers', () => {
  it('gives 50 concurrent issuers the numbers 1 to 50, with no gap and no duplicate', async () => {
    const dept = await t.newDepartment();
    const issued = await Promise.all(Array.from({ length: 50 }, () => issue(dept.id, opinion)));
    const numbers = issued.map((d) => numberOf(d.number)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(issued[0].number).toMatch(new RegExp(`^${dept.code}法审〔2026〕\\d+号$`));
  });

  it('gives the number of a rolled-back transaction to the next document', async () => {
    const dept = await t.newDepartment();
    expect((await issue(dept.id, opinion)).number).toMatch(/〔2026〕1号$/);
    let numberInRollback = '';
    await expect(
      t.db.transaction().execute(async (trx) => {
        const d = await issueDocument(trx, t.app.documentTemplates, {
          ...opinion,
          departmentId: dept.id,
          caseId: null,
          createdBy: null,
          at: AT,
        });
        numberInRollback = d.number;
        throw new Error('the review step failed after issuing');
      }),
    ).rejects.toThrow('the review step failed');
    expect(numberInRollback).toMatch(/〔2026〕2号$/);
    expect((await issue(dept.id, opinion)).number).toMatch(/〔2026〕2号$/);
  });

  it('numbers each kind and each year (Asia/Shanghai) separately, with the department abbreviation', async () => {
    const dept = await t.newDepartment();
    const legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/document-numbering',
      headers: t.as(legal),
      payload: { abbreviation: '市监' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().examples.chief_decision).toMatch(/^市监决定〔\d{4}〕1号$/);
    const notice: DocumentData = { kind: 'correction_notice', data: sampleDataOf('correction_notice') };
    expect((await issue(dept.id, opinion)).number).toBe('市监法审〔2026〕1号');
    expect((await issue(dept.id, notice)).number).toBe('市监补正〔2026〕1号');
    // 2026-12-31 16:30 UTC is already 1 January 2027 in Beijing.
    expect((await issue(dept.id, opinion, new Date('2026-12-31T16:30:00Z'))).number).toBe('市监法审〔2027〕1号');
    expect((await issue(dept.id, opinion)).number).toBe('市监法审〔2026〕2号');
  });
});

describe('stored documents', () => {
  it('stores the file with the SM3 digest of its bytes and lists it under its case', async () => {
    const caseId = '7d0d5c55-3c0e-4e57-9d3b-4a4d0d3f3b01';
    const issued = await issue(deptA.id, opinion, AT, caseId);
    const doc = await getDocument(t.db, issued.id);
    expect(doc?.sm3).toBe(createHash('sm3').update(doc!.content).digest('hex'));
    expect(issued).toMatchObject({ sm3: doc?.sm3, size: doc?.content.length });
    expect(issued.fileName).toBe(`法制审核意见书（${issued.number}）.docx`);
    expect(docxPart(doc!.content)).toContain('某食品有限公司生产经营超过保质期食品案');
    expect((await listDocuments(t.db, caseId)).map((d) => d.id)).toEqual([issued.id]);
  });

  it('refuses data that misses what the kind requires, and an override without written reasons', async () => {
    const points = sampleDataOf('review_opinion').points.slice(1);
    await expect(
      issue(deptA.id, { kind: 'review_opinion', data: { ...sampleDataOf('review_opinion'), points } }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    const decision = { ...sampleDataOf('chief_decision'), departsFromReview: true, overrideReasons: ' ' };
    await expect(issue(deptA.id, { kind: 'chief_decision', data: decision })).rejects.toMatchObject({
      statusCode: 400,
      message: '负责人决定与法制审核意见或承办机构意见不一致的，必须书面说明理由',
    });
  });

  it('records who signed, when and the digest signed, once', async () => {
    const issued = await issue(deptA.id, opinion);
    const at = new Date('2026-11-25T03:00:00Z');
    const signed = await t.db.transaction().execute((trx) => signDocument(trx, issued.id, legalA.id, at));
    expect(signed).toEqual({ id: issued.id, signedBy: legalA.id, signedAt: at, signedSm3: issued.sm3 });
    await expect(
      t.db.transaction().execute((trx) => signDocument(trx, issued.id, officerA.id, new Date())),
    ).rejects.toMatchObject({ statusCode: 409, code: 'CONFLICT' });
    expect(await getDocument(t.db, issued.id)).toMatchObject({ signed_by: legalA.id, signed_sm3: issued.sm3 });
  });

  it('never lets an issued file change or disappear', async () => {
    const { id } = await issue(deptA.id, opinion);
    await expect(sql`UPDATE documents SET content = '\\x00' WHERE id = ${id}`.execute(t.db)).rejects.toThrow(
      /does not change/,
    );
    await expect(sql`DELETE FROM documents WHERE id = ${id}`.execute(t.db)).rejects.toThrow(/never deleted/);
  });

  it('serves the .docx with its Chinese file name to its department and to supervisors only', async () => {
    const issued = await issue(deptA.id, opinion);
    const res = await t.app.inject({ url: `/api/documents/${issued.id}`, headers: t.as(officerA) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="review_opinion.docx"; filename*=UTF-8''${encodeURIComponent(issued.fileName).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    );
    expect(createHash('sm3').update(res.rawPayload).digest('hex')).toBe(issued.sm3);
    expect((await t.app.inject({ url: `/api/documents/${issued.id}`, headers: t.as(legalB) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/api/documents/${issued.id}`, headers: t.as(supervisor) })).statusCode).toBe(
      200,
    );
    const missing = await t.app.inject({
      url: '/api/documents/00000000-0000-4000-8000-000000000000',
      headers: t.as(officerA),
    });
    expect(missing.statusCode).toBe(404);
  });
});
