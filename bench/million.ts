/**
 * bench/million: loads N review cases (default 1,000,000) with their process instances, tasks, rounds, opinions
 * and disclosures into a fresh database, then measures the pages and APIs that list or count them through
 * app.inject with real sessions (officer, reviewer, legal admin, chief, supervisor).
 *
 *   npx tsx bench/million.ts [--cases 1000000] [--requests 200] [--open-every 250] [--keep] [--load-only]
 *   npx tsx bench/million.ts --reuse <database> [--requests 200] [--plans]
 *
 * Rows are made with generate_series in chunks; the big tables' secondary indexes are dropped for the load and
 * rebuilt afterwards (as a bulk load should). The baseline is one case's page (GET /api/cases/:id: the case by its
 * primary key, then its rounds, opinions, files, documents, timeline and tasks) measured in the same run; each page
 * prints p50/p95 and its p95 as a ratio of the baseline's. Every SQL statement a page runs (the baseline's too) is
 * timed (by wrapping pg's Client.query), and with `--plans` the slowest of each page is printed with EXPLAIN
 * (ANALYZE, BUFFERS), and any sequential scan of a big table in those plans is listed at the end. `--keep` leaves the database (its name is
 * printed); `--reuse <name>` measures it again after applying migrations added since (no reload).
 * `--open-every K` makes every K-th case open (bench/rss.ts loads 100,000 all open); `--load-only` skips measuring.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../server/app.js';
import { assemble } from '../server/assembly.js';
import { loadConfig } from '../server/config.js';
import { connectDatabase } from '../server/database/connect.js';
import { migrateToLatest } from '../server/database/migrate.js';
import { insertDepartment } from '../server/identity/queries.js';
import { connectRedis } from '../server/infra/redis.js';
import { JobQueues } from '../server/jobs/queues.js';
import { createSegmenter } from '../server/laws/segment.js';
import { catchUp } from '../server/similar/sync.js';
import { createTestApp, type TestApp, type TestUser } from '../tests/helpers/app.js';
import { ADMIN_URL } from '../tests/helpers/database.js';
import { FACTS, packet } from '../tests/helpers/review.js';
import { numberArg } from './args.js';

const N = numberArg('cases', 1_000_000);
const REQUESTS = numberArg('requests', 200);
const OPEN_EVERY = numberArg('open-every', 250);
const DEPTS = 30;
/** A fixed SM2 private key for servers started on a kept database (bench only; see measureExisting). */
const BENCH_SIGNING_KEY = '5a'.repeat(32);
/**
 * A case's facts and packet as the service stores them (the shapes tests/helpers/review.ts submits), with the case's
 * own number, title, category and party written in per row (SQL over bench_chunk): the case page reads every field.
 */
const FACTS_SQL = `${pg.escapeLiteral(JSON.stringify({ ...FACTS, partyType: 'organization', hearingHeld: false }))}::jsonb
  || jsonb_build_object('category', category)`;
const SUBMITTED = packet();
const PACKET_SQL = `${pg.escapeLiteral(JSON.stringify(SUBMITTED))}::jsonb || jsonb_build_object('caseNumber', case_number,
  'title', title, 'category', category, 'party', party, 'legalBasis', legal_basis)`;
/** A decided case's recorded decision (cases.decision): number, date, and the proposal as decided. */
const DECISION_SQL = `jsonb_build_object('number', '盐执决〔' || g || '〕号',
  'date', to_char((created + interval '9 days') AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'),
  'content', ${pg.escapeLiteral(SUBMITTED.proposedDecision)}, 'deviationReason', NULL,
  'recordedBy', officers[1 + g % 4], 'recordedAt', created + interval '9 days')`;
const BIG = ['process_instances', 'cases', 'tasks', 'case_rounds', 'review_opinions', 'disclosures', 'export_changes'];

// Every statement's text, values and time, collected per page while it is measured.
interface Timed {
  text: string;
  values: unknown[];
  ms: number;
}
let bucket: Timed[] | null = null;
const origQuery = pg.Client.prototype.query as (...a: unknown[]) => unknown;
(pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown }).query = function (
  this: unknown,
  ...a: unknown[]
) {
  const r = origQuery.apply(this, a);
  const into = bucket;
  if (into && r && typeof (r as Promise<unknown>).then === 'function' && typeof a[0] === 'string') {
    const t0 = performance.now();
    (r as Promise<unknown>).then(
      () => into.push({ text: a[0] as string, values: (a[1] as unknown[]) ?? [], ms: performance.now() - t0 }),
      () => undefined,
    );
  }
  return r;
};

function percentile(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const OPEN = ['accepting', 'reviewing', 'correcting', 'rereviewing', 'deciding', 'recording'];
const STEP_OF: Record<string, [string, string, string]> = {
  accepting: ['Task_accept', 'accept', 'legal_admin'],
  reviewing: ['Task_review', 'review', 'reviewer'],
  correcting: ['Task_correct', 'correct', 'officer'],
  rereviewing: ['Task_rereview', 'rereview', 'reviewer'],
  deciding: ['Task_chief_decision', 'chief_decision', 'chief'],
  recording: ['Task_record_decision', 'record_decision', 'officer'],
};

async function main() {
  const reuse = process.argv.indexOf('--reuse');
  if (reuse > 0) return measureExisting(process.argv[reuse + 1]);
  const t = await createTestApp();
  const db = t.db;
  const x = (q: string) =>
    sql
      .raw(q)
      .execute(db)
      .catch((e) => {
        throw new Error(`${(e as Error).message}\n${q}`);
      });
  console.log(`database ${t.database.name}, ${N} cases`);
  try {
    const t0 = performance.now();
    const departments: string[] = [];
    for (let i = 0; i < DEPTS; i++) departments.push((await t.newDepartment({ name: `盐城市第${i + 1}执法局` })).id);
    const bureau = await insertDepartment(db, {
      code: 'SFJ',
      name: '盐城市司法局',
      kind: 'justice_bureau',
      enforcement_staff_count: 0,
    });
    const home = departments[0];
    const officer = await t.newUser({ departmentId: home, roles: ['officer'], username: 'bench_officer' });
    const reviewer = await t.newUser({ departmentId: home, roles: ['reviewer'], username: 'bench_reviewer' });
    const legal = await t.newUser({ departmentId: home, roles: ['legal_admin'], username: 'bench_legal' });
    const chief = await t.newUser({ departmentId: home, roles: ['chief'], username: 'bench_chief' });
    const supervisor = await t.newUser({
      departmentId: bureau.id,
      roles: ['supervisor'],
      username: 'bench_supervisor',
    });
    // A few hundred more users: 4 officers, 3 reviewers, 1 chief per department (not logged in).
    const hash = (await sql<{ h: string }>`SELECT password_hash AS h FROM users LIMIT 1`.execute(db)).rows[0].h;
    await sql`
      INSERT INTO users (department_id, username, display_name, password_hash, roles)
      SELECT d.id, 'bench' || d.n || '_' || k, '执法人员' || d.n || '-' || k, ${hash},
        CASE WHEN k <= 4 THEN ARRAY['officer'] WHEN k <= 7 THEN ARRAY['reviewer'] ELSE ARRAY['chief'] END
      FROM unnest(${departments}::uuid[]) WITH ORDINALITY AS d(id, n), generate_series(1, 8) k`.execute(db);
    await x(`CREATE TABLE bench_staff AS
      SELECT department_id, array_agg(id) FILTER (WHERE 'officer' = ANY(roles)) AS officers,
        array_agg(id) FILTER (WHERE 'reviewer' = ANY(roles)) AS reviewers,
        array_agg(id) FILTER (WHERE 'chief' = ANY(roles)) AS chiefs
      FROM users GROUP BY department_id`);
    await sql`INSERT INTO workflow_definitions (department_id, process_key, version, name, xml, sha256)
      SELECT id, 'review', 1, '法制审核', '<definitions/>', 'bench' FROM unnest(${departments}::uuid[]) id`.execute(db);
    await x(`CREATE TABLE bench_dept AS
      SELECT row_number() OVER (ORDER BY s.department_id) - 1 AS n, s.department_id AS id, w.id AS definition_id, s.officers, s.reviewers, s.chiefs
      FROM bench_staff s JOIN workflow_definitions w ON w.department_id = s.department_id`);
    await x('ALTER TABLE bench_dept ADD PRIMARY KEY (n)');

    // Drop the secondary indexes and foreign keys of the big tables for the load; rebuilt below from the catalogue.
    const big = BIG.filter((b) => b !== 'export_changes');
    const saved = (
      await sql<{ def: string; name: string; tbl: string; kind: string }>`
        SELECT pg_get_indexdef(i.indexrelid) AS def, c.relname AS name, t.relname AS tbl, 'index' AS kind
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
        WHERE t.relname = ANY(${big}) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        UNION ALL
        SELECT pg_get_constraintdef(k.oid), k.conname, t.relname, k.contype::text
        FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
        WHERE t.relname = ANY(${big}) AND k.contype IN ('f', 'u')`.execute(db)
    ).rows;
    for (const s of saved.filter((s) => s.kind !== 'index')) await x(`ALTER TABLE ${s.tbl} DROP CONSTRAINT ${s.name}`);
    for (const s of saved.filter((s) => s.kind === 'index')) await x(`DROP INDEX ${s.name}`);
    // Its per-row lookup of the round would read case_rounds whole without the dropped unique index.
    await x('ALTER TABLE review_opinions DISABLE TRIGGER review_opinions_department');

    // Case g: department g % 30, created between 2022-01-01 and 2026-11-30 in order of g; every OPEN_EVERY-th is open
    // (250 by default: 4,000 open cases of a million; bench/rss.ts loads 100,000 all open).
    const span = "interval '1795 days'";
    const chunk = 100_000;
    for (let from = 1; from <= N; from += chunk) {
      const to = Math.min(N, from + chunk - 1);
      await x(`CREATE TEMP TABLE bench_chunk AS
        SELECT g, d.id AS department_id, d.definition_id, d.officers, d.reviewers, d.chiefs,
          t.created,
          -- The case number is also its instances' business key, as the service starts them.
          '盐执罚〔' || extract(year FROM t.created AT TIME ZONE 'Asia/Shanghai') || '〕' || g || '号' AS case_number,
          CASE WHEN g % ${OPEN_EVERY} = 0 THEN (ARRAY['${OPEN.join("','")}'])[1 + (g / ${OPEN_EVERY}) % ${OPEN.length}]
               WHEN g % 50 = 1 THEN 'not_required' WHEN g % 50 = 2 THEN 'withdrawn' WHEN g % 50 = 3 THEN 'not_approved'
               ELSE 'decided' END AS status,
          gen_random_uuid() AS case_id, gen_random_uuid() AS instance_id,
          (ARRAY['licensing','penalty','coercion','levy'])[1 + (g / 7) % 4] AS category,
          (ARRAY['销售不符合食品安全标准的食品','未取得排污许可证排放大气污染物','未按规定设置安全警示标志',
            '生产销售不合格产品','未经许可擅自从事经营活动','违法占用城市道路堆放物料'])[1 + g % 6] || '案' AS title,
          -- The provision each kind of violation is punished under (what the similar-cases search matches on).
          jsonb_build_array((ARRAY[
            '{"law": "中华人民共和国食品安全法", "article": "第一百二十四条"}',
            '{"law": "中华人民共和国大气污染防治法", "article": "第九十九条"}',
            '{"law": "中华人民共和国安全生产法", "article": "第九十九条"}',
            '{"law": "中华人民共和国产品质量法", "article": "第四十九条"}',
            '{"law": "无证无照经营查处办法", "article": "第十三条"}',
            '{"law": "城市道路管理条例", "article": "第四十二条"}'])[1 + g % 6]::jsonb) AS legal_basis,
          jsonb_build_object('type', 'organization', 'name', '盐城市某某有限公司' || (g % 5003),
            'idCode', '91320900MA' || lpad((g % 5003)::text, 8, '0'), 'address', '盐城市亭湖区某路1号') AS party
        FROM generate_series(${from}, ${to}) g JOIN bench_dept d ON d.n = g % ${DEPTS},
          LATERAL (SELECT timestamptz '2022-01-01 09:00+08' + ${span} * (g::float8 / ${N + 1})
            + (g % 480) * interval '1 minute' AS created) t`);
      await x(`INSERT INTO process_instances (id, definition_id, department_id, business_key, status, variables,
          started_by, created_at, updated_at, ended_at)
        SELECT instance_id, definition_id, department_id, case_number,
          CASE WHEN g % ${OPEN_EVERY} = 0 THEN 'running' ELSE 'completed' END, '{}', officers[1 + g % 4], created,
          created + interval '9 days', CASE WHEN g % ${OPEN_EVERY} = 0 THEN NULL ELSE created + interval '9 days' END
        FROM bench_chunk`);
      await x(`INSERT INTO cases (id, department_id, case_number, title, category, facts, packet, review_mandatory,
          review_requested, catalogue_reason, status, review_passed, reviewer_id, instance_id, decision, submitted_by,
          created_at, updated_at)
        SELECT case_id, department_id, case_number, title, category, ${FACTS_SQL}, ${PACKET_SQL},
          g % 3 <> 0, g % 3 = 0, '重大执法决定法制审核目录', status, status = 'decided',
          CASE WHEN status = 'accepting' OR status = 'not_required' THEN NULL ELSE reviewers[1 + g % 3] END,
          instance_id,
          CASE WHEN status = 'decided' THEN ${DECISION_SQL} END,
          officers[1 + g % 4], created,
          CASE WHEN g % ${OPEN_EVERY} = 0 THEN created + interval '1 day' ELSE created + interval '9 days' END
        FROM bench_chunk`);
      await x(`INSERT INTO case_rounds (case_id, round, packet, submitted_by, submitted_at)
        SELECT case_id, 1, ${PACKET_SQL}, officers[1 + g % 4], created FROM bench_chunk WHERE status <> 'not_required'`);
      // The department and round's submission time, which the trigger would copy row by row, are written here.
      await x(`INSERT INTO review_opinions (case_id, round, kind, reviewer_id, findings, conclusion, reasons, created_at,
          department_id, submitted_at)
        SELECT case_id, 1, 'review', reviewers[1 + g % 3], '[]',
          CASE status WHEN 'not_approved' THEN 'disapprove' WHEN 'withdrawn' THEN 'return'
            ELSE (ARRAY['approve','approve','approve_with_changes'])[1 + g % 3] END, '经审核', created + interval '4 days',
          department_id, created
        FROM bench_chunk WHERE status IN ('decided', 'not_approved', 'withdrawn', 'deciding', 'recording')`);
      // Completed steps: accept, review, chief decision, record; the open step of an open case.
      await x(`INSERT INTO tasks (instance_id, department_id, element_id, execution_id, name, role, assignee_id,
          status, due_at, created_at, ended_at, completed_by, step)
        SELECT instance_id, department_id, s.el, s.el || '_' || g, s.name, s.role,
          CASE s.role WHEN 'reviewer' THEN reviewers[1 + g % 3] WHEN 'chief' THEN chiefs[1] ELSE officers[1 + g % 4] END,
          'completed', created + s.due, created + s.start,
          created + s.start + CASE WHEN g % 97 = 0 THEN interval '12 days' ELSE interval '1 day' END,
          CASE s.role WHEN 'reviewer' THEN reviewers[1 + g % 3] WHEN 'chief' THEN chiefs[1] ELSE officers[1 + g % 4] END,
          s.step
        FROM bench_chunk CROSS JOIN (VALUES
          ('Task_accept', '受理', 'legal_admin', 'accept', interval '0', interval '2 days'),
          ('Task_review', '法制审核', 'reviewer', 'review', interval '1 day', interval '8 days'),
          ('Task_chief_decision', '负责人决定', 'chief', 'chief_decision', interval '5 days', interval '8 days'),
          ('Task_record_decision', '决定登记', 'officer', 'record_decision', interval '7 days', interval '10 days')
        ) s(el, name, role, step, start, due)
        WHERE status IN ('decided', 'not_approved', 'withdrawn')`);
      await x(`INSERT INTO tasks (instance_id, department_id, element_id, execution_id, name, role, assignee_id,
          status, due_at, created_at, step, deadline)
        SELECT instance_id, department_id, s.el, s.el || '_' || g, '待办' || s.step, s.role,
          CASE WHEN g % 500 = 0 THEN NULL WHEN s.role = 'reviewer' THEN reviewers[1 + g % 3]
            WHEN s.role = 'chief' THEN chiefs[1] WHEN s.role = 'officer' THEN officers[1 + g % 4] END,
          'open', now() + ((g / ${OPEN_EVERY}) % 30 - 5) * interval '1 day', created + interval '1 day', s.step,
          '{"workingDays": 15}'
        FROM bench_chunk JOIN (VALUES ${Object.entries(STEP_OF)
          .map(([st, [el, step, role]]) => `('${st}', '${el}', '${step}', '${role}')`)
          .join(', ')}) s(st, el, step, role) ON s.st = status`);
      await x(`INSERT INTO disclosures (department_id, case_id, category, decision_number, decision_date, party_type,
          original, redacted, status, due_at, published_at, withdrawn_at, withdrawal_reason, retention_until, search_text,
          created_at)
        SELECT department_id, case_id, category, '盐执决〔' || g || '〕号', (created + interval '9 days')::date,
          CASE WHEN g % 3 = 0 THEN 'person' ELSE 'organization' END, '{}', '{}',
          CASE WHEN g % 400 = 7 THEN 'withdrawn' WHEN created > timestamptz '2026-11-20' THEN 'pending' ELSE 'published' END,
          created + interval '16 days',
          CASE WHEN created > timestamptz '2026-11-20' THEN NULL
            ELSE created + CASE WHEN g % 61 = 0 THEN interval '25 days' ELSE interval '12 days' END END,
          CASE WHEN g % 400 = 7 THEN created + interval '40 days' END, CASE WHEN g % 400 = 7 THEN '决定被撤销' END,
          date '2036-01-01', '', created + interval '9 days'
        FROM bench_chunk WHERE status = 'decided'`);
      await x('DROP TABLE bench_chunk');
      process.stdout.write(`  loaded ${to}\r`);
    }
    await x('DROP TABLE bench_dept, bench_staff');
    await x('ALTER TABLE review_opinions ENABLE TRIGGER review_opinions_department');
    const loaded = performance.now();
    for (const s of saved.filter((s) => s.kind === 'index')) await x(s.def);
    for (const s of saved.filter((s) => s.kind !== 'index'))
      await x(`ALTER TABLE ${s.tbl} ADD CONSTRAINT ${s.name} ${s.def}`);
    await x('VACUUM ANALYZE');
    const indexed = performance.now();
    const counts = (
      await sql<{ t: string; n: string }>`
        SELECT 'cases' t, count(*) n FROM cases UNION ALL SELECT 'tasks', count(*) FROM tasks
        UNION ALL SELECT 'open tasks', count(*) FROM tasks WHERE status = 'open'
        UNION ALL SELECT 'review_opinions', count(*) FROM review_opinions
        UNION ALL SELECT 'disclosures', count(*) FROM disclosures`.execute(db)
    ).rows;
    console.log(
      `loaded in ${((loaded - t0) / 1000).toFixed(1)} s, indexed in ${((indexed - loaded) / 1000).toFixed(1)} s: ${counts.map((c) => `${c.t} ${c.n}`).join(', ')}`,
    );

    if (!process.argv.includes('--load-only')) {
      // The similar-cases index (server/similar) takes in decided cases before each search; here all at once, as
      // the first search after loading (or after upgrading a database that predates it) would.
      const c0 = performance.now();
      const taken = await catchUp(t.db, createSegmenter());
      console.log(
        `similar-cases index caught up: ${taken} decided cases in ${((performance.now() - c0) / 1000).toFixed(1)} s`,
      );
      await measureAll(t, { officer, reviewer, legal, chief, supervisor }, departments);
    }
  } finally {
    if (process.argv.includes('--keep')) {
      await t.app.close();
      await t.queues.close();
      t.redis.disconnect();
      await t.database.handle.close();
      console.log(`kept database ${t.database.name}`);
    } else await t.close();
  }
}

type Measured = Pick<TestApp, 'app' | 'db' | 'as'> & { database: { url: string } };

// API routes with the bearer token, pages with the session cookie (as a browser sends it).
const get = (t: Measured, user: TestUser, url: string) =>
  url.startsWith('/api/')
    ? t.app.inject({ url, headers: t.as(user) })
    : t.app.inject({ url, cookies: { fashen_session: user.token } });

/** Measures a database kept by an earlier `--keep` run (`--reuse <name>`), e.g. after adding an index by hand. */
async function measureExisting(name: string) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  // The key the loading run generated is sealed with that run's own keystore secret: sign with a configured one.
  const config = loadConfig({
    DATABASE_URL: url.toString(),
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: prefix,
    RECORD_SIGNING_KEY: BENCH_SIGNING_KEY,
  });
  const database = await connectDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 10 });
  // Migrations added since the database was loaded (new indexes, summaries) apply to it before measuring.
  const applied = await migrateToLatest(database.db);
  if (applied.length) console.log(`migrated ${name}: ${applied.join(', ')}`);
  const redis = await connectRedis(config.REDIS_URL);
  const queues = new JobQueues(config.REDIS_URL, prefix);
  const log = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }) as unknown as FastifyBaseLogger;
  const core = await assemble({ config, database, queues, log });
  const app = await buildApp({ config, database, redis, queues, ownsConnections: false, core });
  await app.ready();
  try {
    const login = async (username: string): Promise<TestUser> => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username, password: 'test-password-1' },
      });
      const row = await sql<{ id: string; department_id: string }>`
        SELECT id, department_id FROM users WHERE username = ${username}`.execute(database.db);
      return {
        ...row.rows[0],
        departmentId: row.rows[0].department_id,
        username,
        password: '',
        token: res.json().token,
      };
    };
    const users = {
      officer: await login('bench_officer'),
      reviewer: await login('bench_reviewer'),
      legal: await login('bench_legal'),
      chief: await login('bench_chief'),
      supervisor: await login('bench_supervisor'),
    };
    const departments = (
      await sql<{ id: string }>`SELECT id FROM departments WHERE kind = 'agency' ORDER BY id`.execute(database.db)
    ).rows.map((r) => r.id);
    const view = {
      app,
      db: database.db,
      database: { url: url.toString() },
      as: (u: TestUser) => ({ authorization: `Bearer ${u.token}` }),
    };
    await measureAll(view, users, departments);
  } finally {
    await app.close();
    await queues.close();
    redis.disconnect();
    await database.close();
  }
}

type Users = Record<'officer' | 'reviewer' | 'legal' | 'chief' | 'supervisor', TestUser>;

async function measureAll(t: Measured, u: Users, departments: string[]) {
  const year = 2025;
  const someCase = (
    await sql<{ id: string }>`SELECT id FROM cases WHERE department_id = ${u.legal.departmentId} LIMIT 1`.execute(t.db)
  ).rows[0].id;
  // Case pages of the department's cases in random order (cold pages, as users open them), and of an open one.
  const caseIds = (
    await sql<{ id: string }>`SELECT id FROM cases WHERE department_id = ${u.legal.departmentId}
      ORDER BY md5(id::text) LIMIT ${REQUESTS + 5}`.execute(t.db)
  ).rows.map((r) => r.id);
  let nextCase = 0;
  const anyCase = () => caseIds[nextCase++ % caseIds.length];
  const pages: [string, TestUser, () => string][] = [
    ['baseline GET /api/cases/:id', u.legal, () => `/api/cases/${someCase}`],
    ['legal GET /api/cases/:id (any case)', u.legal, () => `/api/cases/${anyCase()}`],
    ['legal GET /cases/:id (案件页, any case)', u.legal, () => `/cases/${anyCase()}`],
    ['officer GET /api/tasks', u.officer, () => '/api/tasks'],
    ['officer GET /api/tasks?scope=mine', u.officer, () => '/api/tasks?scope=mine'],
    ['reviewer GET /api/tasks', u.reviewer, () => '/api/tasks'],
    ['chief GET /api/tasks?sort=created_at', u.chief, () => '/api/tasks?sort=created_at'],
    ['reviewer GET /tasks (待办)', u.reviewer, () => '/tasks'],
    ['legal GET /api/cases', u.legal, () => '/api/cases'],
    ['legal GET /api/cases?status=reviewing', u.legal, () => '/api/cases?status=reviewing'],
    ['legal GET /api/cases?status=decided&offset=200', u.legal, () => '/api/cases?status=decided&offset=200'],
    ['legal GET /api/cases?category=levy', u.legal, () => '/api/cases?category=levy'],
    [
      'legal GET /api/cases?q=<number>',
      u.legal,
      () => `/api/cases?q=${encodeURIComponent(`〕${30 * (1 + Math.floor(Math.random() * (N / 30)))}号`)}`,
    ],
    ['legal GET /api/cases?q=<title>', u.legal, () => `/api/cases?q=${encodeURIComponent('排污许可')}`],
    ['legal GET /cases (page)', u.legal, () => '/cases'],
    ['supervisor GET /api/cases', u.supervisor, () => '/api/cases'],
    [
      'supervisor GET /api/cases?departmentId&status',
      u.supervisor,
      () => `/api/cases?departmentId=${departments[Math.floor(Math.random() * 30)]}&status=decided`,
    ],
    ['supervisor GET /supervisor', u.supervisor, () => '/supervisor'],
    ['supervisor GET /supervisor?status=reviewing', u.supervisor, () => '/supervisor?status=reviewing'],
    ['legal GET /legal (dashboard)', u.legal, () => '/legal'],
    ['legal GET /api/statistics/own', u.legal, () => `/api/statistics/own?year=${year}`],
    ['supervisor GET /api/supervisor/statistics', u.supervisor, () => `/api/supervisor/statistics?year=${year}`],
  ];
  let base = 0;
  const slowest: { page: string; q: Timed }[] = [];
  console.log(`\n${'page'.padEnd(48)} ${'p50'.padStart(8)} ${'p95'.padStart(8)}  p95/baseline  (n=${REQUESTS})`);
  for (const [label, user, url] of pages) {
    for (let i = 0; i < 5; i++) await get(t, user, url());
    const times: number[] = [];
    const stmts: Timed[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      bucket = [];
      const a = performance.now();
      const res = await get(t, user, url());
      times.push(performance.now() - a);
      if (res.statusCode !== 200) throw new Error(`${label}: ${res.statusCode} ${res.body.slice(0, 300)}`);
      await new Promise((r) => setImmediate(r));
      stmts.push(...bucket);
    }
    bucket = null;
    const p95 = percentile(times, 95);
    if (!base) base = p95;
    console.log(
      `${label.padEnd(48)} ${percentile(times, 50).toFixed(1).padStart(6)} ms ${p95.toFixed(1).padStart(6)} ms  ${(p95 / base).toFixed(1).padStart(6)}×`,
    );
    // The page's statements by their own median over the run (less disturbed than p95 by a busy machine): the
    // slowest is explained; a page over 50 ms lists its three slowest.
    const byText = new Map<string, number[]>();
    const last = new Map<string, Timed>();
    for (const s of stmts) {
      if (/^(begin|commit|rollback|set )/i.test(s.text)) continue;
      byText.set(s.text, [...(byText.get(s.text) ?? []), s.ms]);
      last.set(s.text, s);
    }
    const ranked = [...byText.entries()]
      .map(([text, ms]) => ({ text, p50: percentile(ms, 50), p95: percentile(ms, 95), n: ms.length / REQUESTS }))
      .sort((a, b) => b.p50 - a.p50);
    if (p95 > 50)
      for (const r of ranked.slice(0, 3))
        console.log(
          `    ${r.p50.toFixed(1).padStart(6)} / ${r.p95.toFixed(1).padStart(6)} ms ×${r.n.toFixed(0)}  ${r.text.replace(/\s+/g, ' ').slice(0, 110)}`,
        );
    const worst = ranked[0] && last.get(ranked[0].text);
    if (worst)
      slowest.push({
        page: `${label} (slowest statement p50 ${ranked[0].p50.toFixed(1)} ms, p95 ${ranked[0].p95.toFixed(1)} ms)`,
        q: worst,
      });
  }
  if (!process.argv.includes('--plans')) return;
  const seqScans: string[] = [];
  const client = new pg.Client({ connectionString: t.database.url });
  await client.connect();
  try {
    for (const s of slowest) {
      const plan = await origQuery.call(client, `EXPLAIN (ANALYZE, BUFFERS) ${s.q.text}`, s.q.values);
      console.log(`\n== ${s.page}\n${s.q.text.replace(/\s+/g, ' ')}\n${JSON.stringify(s.q.values)}`);
      const lines = (plan as pg.QueryResult).rows.map((r) => String(r['QUERY PLAN']));
      console.log(lines.map((l) => `  ${l}`).join('\n'));
      for (const l of lines) {
        const m = /Seq Scan on (\w+)/.exec(l);
        if (m && BIG.includes(m[1])) seqScans.push(`${s.page}: ${l.trim()}`);
      }
    }
  } finally {
    await client.end();
  }
  console.log(
    seqScans.length
      ? `\nsequential scans of big tables:\n${seqScans.map((l) => `  ${l}`).join('\n')}`
      : '\nno sequential scan of a big table in these plans',
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
