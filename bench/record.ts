/**
 * The whole-process record under load: records appended per second by 8 concurrent writers (each its own
 * transaction, as a command does), then full-chain verification speed against Node's native SM3 hashing of the
 * same bytes in the same run (target ≥ 0.5 of raw), and the store-wide `fashen verify` pass end to end.
 * Needs PostgreSQL (TEST_DATABASE_ADMIN_URL); run with `npx tsx bench/record.ts [seconds] [writers]`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { documentFilesByIds } from '../server/documents/reads.js';
import { appendCaseRecords } from '../server/records/append.js';
import { checkChain } from '../server/records/chain.js';
import { generateSm2KeyPair, keyIdOf, sm2Sign } from '../server/records/sm2.js';
import { sequenceAndCheckpoint } from '../server/records/tree.js';
import { verifyStore } from '../server/records/verify-all.js';
import { createTestDatabase, ensureTemplate } from '../tests/helpers/database.js';

const SECONDS = Number(process.argv[2] ?? 5);
const WRITERS = Number(process.argv[3] ?? 8);
const CASES_PER_WRITER = 25;

await ensureTemplate();
const database = await createTestDatabase(WRITERS + 2);
const db = database.handle.db;
try {
  const dep = await db
    .insertInto('departments')
    .values({ code: 'BENCH', name: '压测机关', kind: 'agency', enforcement_staff_count: 100 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await db
    .insertInto('users')
    .values({
      department_id: dep.id,
      username: 'bench',
      display_name: '压测',
      password_hash: 'x',
      roles: ['officer'],
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const cases = Array.from({ length: WRITERS * CASES_PER_WRITER }, () => randomUUID());
  await db
    .insertInto('cases')
    .values(
      cases.map((id, i) => ({
        id,
        department_id: dep.id,
        case_number: `BENCH-${i}`,
        title: '压测案件',
        category: 'penalty' as const,
        facts: '{}',
        packet: JSON.stringify({ party: { idCode: `BENCH${i % 10}` } }),
        review_mandatory: true,
        review_requested: true,
        catalogue_reason: '压测',
        status: 'reviewing' as const,
        submitted_by: user.id,
      })),
    )
    .execute();

  // An event the size of a real one: a signed opinion with its document hash.
  const entry = (caseId: string, n: number) => ({
    at: new Date().toISOString(),
    actorId: user.id,
    type: 'review.opinion_signed',
    payload: {
      caseId,
      opinionId: randomUUID(),
      kind: 'review',
      round: 1,
      conclusion: 'approve',
      conclusionLabel: '同意',
      documentNumber: `市监法审〔2026〕${n}号`,
      documentSm3: createHash('sm3').update(String(n)).digest('hex'),
      reasons: '经审核，本案事实清楚，证据确实充分，适用法律正确，程序合法，裁量适当。',
    },
  });

  // The floor: the same writers committing one plain row per transaction, no chain, no lock, no head read.
  await db.schema.createTable('bench_rows').addColumn('id', 'bigserial').addColumn('body', 'text').execute();
  let plain = 0;
  const plainUntil = Date.now() + SECONDS * 1000;
  const plainStart = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (Date.now() < plainUntil) {
        await db.transaction().execute((trx) =>
          trx
            .insertInto('bench_rows' as never)
            .values({ body: JSON.stringify(entry(cases[0], plain)) } as never)
            .execute(),
        );
        plain += 1;
      }
    }),
  );
  const plainSeconds = (performance.now() - plainStart) / 1000;
  console.log(
    `baseline: ${(plain / plainSeconds).toFixed(0)} plain one-row transactions/s by ${WRITERS} writers (commit cost of this machine)`,
  );

  let appended = 0;
  const until = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; Date.now() < until; i++) {
        const caseId = cases[w * CASES_PER_WRITER + (i % CASES_PER_WRITER)];
        await db.transaction().execute((trx) => appendCaseRecords(trx, caseId, [entry(caseId, i)]));
        appended += 1;
      }
    }),
  );
  const appendSeconds = (performance.now() - started) / 1000;
  console.log(
    `append: ${appended} records in ${appendSeconds.toFixed(2)} s by ${WRITERS} writers = ${(appended / appendSeconds).toFixed(0)} records/s`,
  );

  const pair = generateSm2KeyPair();
  const key = {
    keyId: keyIdOf(pair.publicKey),
    publicKey: pair.publicKey,
    source: 'config' as const,
    sign: (m: string) => sm2Sign(m, pair),
  };
  let t0 = performance.now();
  const cp = await sequenceAndCheckpoint(db, key, new Date());
  console.log(
    `checkpoint: ${cp.added} leaves sequenced and signed in ${((performance.now() - t0) / 1000).toFixed(2)} s`,
  );

  const rows = await db
    .selectFrom('case_records')
    .select(['id', 'case_id', 'seq', 'body', 'prev_hash', 'hash'])
    .orderBy('case_id')
    .orderBy('seq')
    .execute();
  const byCase = new Map<string, typeof rows>();
  for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r]);
  const bytes = rows.reduce((n, r) => n + 32 + Buffer.byteLength(r.body), 0);
  const ROUNDS = 5;
  const best = (fn: () => void) => {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < ROUNDS; i++) {
      const s = performance.now();
      fn();
      min = Math.min(min, performance.now() - s);
    }
    return min / 1000;
  };
  const raw = best(() => {
    for (const r of rows) createHash('sm3').update(Buffer.from(r.prev_hash, 'hex')).update(r.body).digest();
  });
  let problems = 0;
  const chain = best(() => {
    problems = 0;
    for (const [caseId, rs] of byCase) problems += checkChain(caseId, rs).problems.length;
  });
  if (problems) throw new Error(`chain verification found ${problems} problems`);
  const mb = bytes / 1024 / 1024;
  console.log(
    `raw SM3 (same ${rows.length} messages, ${mb.toFixed(1)} MiB): ${(rows.length / raw).toFixed(0)} records/s, ${(mb / raw).toFixed(0)} MiB/s`,
  );
  console.log(
    `chain verification (hash + link + sequence + body): ${(rows.length / chain).toFixed(0)} records/s — ${(raw / chain).toFixed(2)} of raw SM3`,
  );

  t0 = performance.now();
  const store = await verifyStore({
    db,
    trusted: new Map([[key.keyId, key.publicKey]]),
    files: { documentFilesByIds },
  });
  const storeSeconds = (performance.now() - t0) / 1000;
  console.log(
    `fashen verify (database read, chains, tree rebuild vs ${store.checkpoints} checkpoint): ${store.records} records in ${storeSeconds.toFixed(2)} s = ${(store.records / storeSeconds).toFixed(0)} records/s, ok=${store.ok}`,
  );
} finally {
  await database.drop();
}
