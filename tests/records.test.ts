import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHash } from '../server/records/chain.js';
import { leafHash, verifyConsistency, verifyInclusion } from '../server/records/merkle.js';
import { sm2Verify } from '../server/records/sm2.js';
import { sequenceAndCheckpoint } from '../server/records/tree.js';
import { verifyStore } from '../server/records/verify-all.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { asSuperuser, type Crew, decidedCase, tempDataDir } from './helpers/records.js';

const clock = manualClock(new Date());
let t: TestApp;
let crew: Crew;
let supervisor: TestUser;

beforeAll(async () => {
  t = await createTestApp({ DATA_DIR: tempDataDir() }, { clock });
  const d = await t.newDepartment();
  const bureau = await t.newDepartment();
  crew = {
    officer: await t.newUser({ departmentId: d.id, roles: ['officer'] }),
    reviewers: [await t.newUser({ departmentId: d.id, roles: ['reviewer'] })],
    chief: await t.newUser({ departmentId: d.id, roles: ['chief'] }),
    legal: await t.newUser({ departmentId: d.id, roles: ['legal_admin'] }),
  };
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  await deploy(t, crew.legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

const get = (url: string, user?: TestUser) => t.app.inject({ url, headers: user ? t.as(user) : {} });
const verify = async (caseId: string) => (await get(`/api/cases/${caseId}/record/verify`, crew.officer)).json();
const checkpoint = () => sequenceAndCheckpoint(t.db, t.app.records.systemKey, clock.now());

describe('the case record', () => {
  it('holds every event of the case in a chain that verifies', async () => {
    const { caseId, reviewer } = await decidedCase(t, crew);
    const record = (await get(`/api/cases/${caseId}/record`, crew.officer)).json();
    const types = record.items.map((r: { type: string }) => r.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'case.submitted',
        'case.reviewer_assigned',
        'document.issued',
        'review.opinion_signed',
        'case.chief_decided',
        'case.decided',
      ]),
    );
    expect(record.items.map((r: { seq: number }) => r.seq)).toEqual(types.map((_: string, i: number) => i + 1));
    const opinion = record.items.find((r: { type: string }) => r.type === 'review.opinion_signed');
    expect(opinion.files).toEqual([{ kind: 'document', id: opinion.payload.documentId, sm3: opinion.payload.sm3 }]);
    expect(opinion.actorId).toBe(reviewer.id);
    const v = await verify(caseId);
    expect(v).toMatchObject({ ok: true, records: types.length, firstProblem: null });
  });

  it('holds each event of the case’s instance once, in its order, whichever statement read the case', async () => {
    // A start reads the case with a statement of its own; every later command reads it with the instance's lock.
    const { caseId } = await decidedCase(t, crew);
    const c = await t.db.selectFrom('cases').select('instance_id').where('id', '=', caseId).executeTakeFirstOrThrow();
    const history = await t.db
      .selectFrom('instance_events')
      .select('type')
      .where('instance_id', '=', c.instance_id)
      .orderBy('id')
      .execute();
    const records = await t.db
      .selectFrom('case_records')
      .select(sql<string>`(body::jsonb)->>'type'`.as('type'))
      .where('case_id', '=', caseId)
      .orderBy('seq')
      .execute();
    expect(history.length).toBeGreaterThan(8);
    expect(history.some((e) => e.type === 'task.completed')).toBe(true);
    expect(records.map((r) => r.type)).toEqual(history.map((e) => e.type));
  });

  it('is refused any UPDATE, DELETE or TRUNCATE by the database', async () => {
    await decidedCase(t, crew);
    for (const statement of [
      'UPDATE case_records SET body = body',
      'DELETE FROM case_records',
      'TRUNCATE case_records CASCADE',
      'DELETE FROM record_checkpoints',
      'UPDATE document_signatures SET signature = signature',
    ]) {
      await expect(sql.raw(statement).execute(t.db)).rejects.toThrow(/append-only/);
    }
  });

  it('records a supervisor reading it (可实时调阅)', async () => {
    const { caseId } = await decidedCase(t, crew);
    const before = (await get(`/api/cases/${caseId}/record`, crew.officer)).json().items.length;
    const res = await get(`/api/cases/${caseId}/record`, supervisor);
    expect(res.statusCode).toBe(200);
    const after = (await get(`/api/cases/${caseId}/record`, crew.officer)).json().items;
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ type: 'case.viewed_by_supervisor', actorId: supervisor.id });
  });
});

describe('SM2 signatures on opinions and chief decisions', () => {
  it('signs the opinion and the chief decision with the signers’ own keys and shows them valid', async () => {
    const { caseId, reviewer } = await decidedCase(t, crew);
    const res = await get(`/api/cases/${caseId}/signatures`, crew.officer);
    const items = res.json().items as { signerId: string; valid: boolean; label: string }[];
    expect(items.map((s) => s.signerId).sort()).toEqual([reviewer.id, crew.chief.id].sort());
    expect(items.every((s) => s.valid && s.label === '签名有效')).toBe(true);
    const keys = await t.db.selectFrom('user_signing_keys').selectAll().where('user_id', '=', reviewer.id).execute();
    expect(keys).toHaveLength(1);
    expect(keys[0].sealed_private_key).toMatch(/^sm4cbc-hmacsm3-v1:/);
    const record = (await get(`/api/cases/${caseId}/record`, crew.officer)).json();
    const signed = record.items.flatMap((r: { signatures: unknown[] }) => r.signatures);
    expect(signed).toHaveLength(2);
    for (const s of signed) expect(sm2Verify(s.message, s.signature, s.publicKey)).toBe(true);
  });
});

describe('the global Merkle tree and signed checkpoints', () => {
  it('publishes checkpoints signed by the system key, with inclusion and consistency proofs', async () => {
    const { caseId } = await decidedCase(t, crew);
    const first = await checkpoint();
    await decidedCase(t, crew);
    const second = await checkpoint();
    expect(Number(second.checkpoint.tree_size)).toBeGreaterThan(Number(first.checkpoint.tree_size));

    const list = (await get('/api/records/checkpoints')).json();
    expect(list.items[0].treeSize).toBe(Number(second.checkpoint.tree_size));
    for (const c of list.items) expect(sm2Verify(c.body, c.signature, list.systemKey.publicKey)).toBe(true);
    const latest = (await get('/api/records/checkpoints/latest')).json();
    expect(latest.root).toBe(second.checkpoint.root);

    const proof = (await get(`/api/cases/${caseId}/record/2/proof`, crew.officer)).json();
    expect(
      verifyInclusion(
        proof.leafIndex,
        proof.treeSize,
        leafHash(Buffer.from(proof.recordHash, 'hex')),
        proof.auditPath.map((h: string) => Buffer.from(h, 'hex')),
        Buffer.from(latest.root, 'hex'),
      ),
    ).toBe(true);

    const from = Number(first.checkpoint.tree_size);
    const to = Number(second.checkpoint.tree_size);
    const c = (await get(`/api/records/consistency?from=${from}&to=${to}`)).json();
    expect(
      verifyConsistency(
        from,
        to,
        Buffer.from(c.fromRoot, 'hex'),
        Buffer.from(c.toRoot, 'hex'),
        c.proof.map((h: string) => Buffer.from(h, 'hex')),
      ),
    ).toBe(true);
    expect((await verify(caseId)).sequenced).toBeGreaterThan(0);
  });
});

describe('tampering is found and pinned to the first broken link', () => {
  it('a single changed byte in a record', async () => {
    const { caseId } = await decidedCase(t, crew);
    await asSuperuser(t, [
      `UPDATE case_records SET body = replace(body, '"case.decided"', '"case.dedided"') WHERE case_id = '${caseId}'`,
    ]);
    const v = await verify(caseId);
    expect(v.ok).toBe(false);
    expect(v.firstProblem).toMatchObject({ check: 'hash' });
    const items = (await get(`/api/cases/${caseId}/record`, crew.officer)).json().items;
    expect(v.firstProblem.seq).toBe(items.find((r: { type: string }) => r.type === 'case.dedided').seq);
  });

  it('a deleted record in the middle of the chain', async () => {
    const { caseId } = await decidedCase(t, crew);
    await asSuperuser(t, [`DELETE FROM case_records WHERE case_id = '${caseId}' AND seq = 3`]);
    const v = await verify(caseId);
    expect(v.firstProblem).toMatchObject({ check: 'sequence', seq: 4, expected: '3', actual: '4' });
  });

  it('two records swapped in order', async () => {
    const { caseId } = await decidedCase(t, crew);
    await asSuperuser(t, [
      `UPDATE case_records SET seq = seq + 1000 WHERE case_id = '${caseId}' AND seq IN (2, 3)`,
      `UPDATE case_records SET seq = CASE seq WHEN 1002 THEN 3 ELSE 2 END WHERE case_id = '${caseId}' AND seq > 1000`,
    ]);
    const v = await verify(caseId);
    expect(v.firstProblem).toMatchObject({ check: 'link', seq: 2 });
  });

  it('a deleted last record that the tree already holds', async () => {
    const { caseId } = await decidedCase(t, crew);
    await checkpoint();
    await asSuperuser(t, [
      `DELETE FROM case_records WHERE case_id = '${caseId}' AND seq = (SELECT max(seq) FROM case_records WHERE case_id = '${caseId}')`,
    ]);
    const v = await verify(caseId);
    expect(v.firstProblem).toMatchObject({ check: 'tree' });
  });

  it('a swapped document: another file put in place of the signed opinion', async () => {
    const { caseId } = await decidedCase(t, crew);
    const docs = await t.db.selectFrom('documents').select(['id', 'kind']).where('case_id', '=', caseId).execute();
    const opinion = docs.find((d) => d.kind === 'review_opinion')!;
    const chief = docs.find((d) => d.kind === 'chief_decision')!;
    await asSuperuser(t, [
      `UPDATE documents SET content = (SELECT content FROM documents WHERE id = '${chief.id}'),
         sm3 = (SELECT sm3 FROM documents WHERE id = '${chief.id}'),
         size = (SELECT size FROM documents WHERE id = '${chief.id}') WHERE id = '${opinion.id}'`,
    ]);
    const v = await verify(caseId);
    expect(v.firstProblem).toMatchObject({ check: 'file' });
    expect(v.problems.some((p: { check: string }) => p.check === 'signature')).toBe(true);
    const signatures = (await get(`/api/cases/${caseId}/signatures`, crew.officer)).json().items;
    const bad = signatures.find((s: { documentId: string }) => s.documentId === opinion.id);
    expect(bad).toMatchObject({ valid: false, label: '签名无效：文书内容与签署时不一致（SM3 不符）' });
  });

  it('a superuser rewrite that recomputes every hash after a checkpoint', async () => {
    const { caseId } = await decidedCase(t, crew);
    await checkpoint();
    const rows = await t.db
      .selectFrom('case_records')
      .select(['id', 'seq', 'body', 'prev_hash'])
      .where('case_id', '=', caseId)
      .orderBy('seq')
      .execute();
    // Rewrite the decision record and re-chain it and everything after it, as an attacker with the rows would.
    let prev = rows[0].prev_hash;
    const statements: string[] = [];
    for (const r of rows) {
      const body = r.body.replace('市监罚〔2026〕18号', '市监罚〔2026〕81号');
      const hash = recordHash(prev, body);
      statements.push(
        `UPDATE case_records SET body = '${body.replaceAll("'", "''")}', prev_hash = '${prev}', hash = '${hash}' WHERE id = ${r.id}`,
      );
      prev = hash;
    }
    await asSuperuser(t, statements);
    const v = await verify(caseId);
    expect(v.firstProblem).toMatchObject({ check: 'inclusion' });
    const store = await verifyStore({ db: t.db, trusted: t.app.records.trusted, files: t.app.records.files });
    expect(store.ok).toBe(false);
    expect(store.problems.some((p) => p.check === 'tree')).toBe(true);
  });
});
