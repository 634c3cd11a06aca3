/**
 * Server render time of the workbench's heaviest pages, through app.inject (routing, session lookup, queries,
 * Handlebars, layout): the task list with 1,000 open tasks visible to one user, a case page with 200 timeline
 * events, and the legal unit's and the supervisor's dashboards over the same data. Seeds a fresh test database
 * with SQL. A baseline in the same run — the login page, the same layout around a static body, no queries —
 * shows the fixed cost of a page. Run with `npx tsx bench/pages.ts [iterations]` (PostgreSQL and Redis as
 * for the tests).
 */
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { createTestApp, type TestApp, type TestUser } from '../tests/helpers/app.js';
import { ensureTemplate } from '../tests/helpers/database.js';
import { packet } from '../tests/helpers/review.js';

const ITERATIONS = Number(process.argv[2] ?? 200);
const WARMUP = 20;
const TARGET_MS = 100;
const OPEN_TASKS = 1000;
const TIMELINE_EVENTS = 200;

const EVENT_TYPES = [
  ['case.status', { from: 'accepting', to: 'reviewing' }],
  ['task.created', { name: '法制审核' }],
  ['task.completed', { name: '受理审查' }],
  ['document.issued', { kind: 'review_opinion', number: '测监法审〔2026〕12号' }],
  ['deadline.extension_requested', { workingDays: 3, reason: '案情复杂' }],
  ['case.viewed_by_supervisor', {}],
] as const;

/** 1,000 cases in review, each with one open 法制审核 task of the reviewer role, due dates spread over a month. */
async function seedTaskList(t: TestApp, departmentId: string, definitionId: string, officerId: string) {
  const p = JSON.stringify(packet());
  await sql`
    WITH ids AS (
      SELECT g, gen_random_uuid() AS instance_id, gen_random_uuid() AS case_id FROM generate_series(1, ${OPEN_TASKS}) g
    ), instances AS (
      INSERT INTO process_instances (id, definition_id, department_id, business_key, status, state, variables, started_by)
      SELECT instance_id, ${definitionId}, ${departmentId}, '测监罚〔2026〕' || g || '号', 'running', 'null',
             jsonb_build_object('caseId', case_id, 'caseTitle', '某某公司第' || g || '号案', 'category',
                                (ARRAY['penalty','licensing','coercion','levy'])[1 + g % 4]),
             ${officerId}
      FROM ids RETURNING id
    ), cases AS (
      INSERT INTO cases (id, department_id, case_number, title, category, facts, packet, review_mandatory,
                         review_requested, catalogue_reason, status, instance_id, submitted_by, updated_at)
      SELECT case_id, ${departmentId}, '测监罚〔2026〕' || g || '号', '某某公司第' || g || '号案',
             (ARRAY['penalty','licensing','coercion','levy'])[1 + g % 4], '{}', ${p}::jsonb, true, true, '目录清单',
             'reviewing', instance_id, ${officerId}, now() - g * interval '1 minute'
      FROM ids RETURNING id
    )
    INSERT INTO tasks (instance_id, department_id, element_id, step, execution_id, name, role, status, due_at, paused_at)
    SELECT instance_id, ${departmentId}, 'Task_review', 'review', 'exec-' || g, '法制审核', 'reviewer', 'open',
           now() + ((g % 30) - 5) * interval '1 day', CASE WHEN g % 50 = 0 THEN now() END
    FROM ids
  `.execute(t.db);
}

/** One case with its round, a few tasks and 200 events on its timeline. */
async function seedCasePage(t: TestApp, departmentId: string, definitionId: string, officerId: string) {
  const p = packet({ caseNumber: '测监罚〔2026〕9999号' });
  const instance = await t.db
    .insertInto('process_instances')
    .values({
      definition_id: definitionId,
      department_id: departmentId,
      business_key: p.caseNumber,
      status: 'running',
      state: 'null',
      variables: '{}',
      error: 'null',
      started_by: officerId,
      ended_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const c = await t.db
    .insertInto('cases')
    .values({
      department_id: departmentId,
      case_number: p.caseNumber,
      title: p.title,
      category: 'penalty',
      facts: '{}',
      packet: JSON.stringify(p),
      review_mandatory: true,
      review_requested: true,
      catalogue_reason: '罚款数额达到目录清单标准',
      status: 'reviewing',
      instance_id: instance.id,
      submitted_by: officerId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.db
    .updateTable('process_instances')
    .set({ variables: JSON.stringify({ caseId: c.id, caseTitle: p.title, category: 'penalty' }) })
    .where('id', '=', instance.id)
    .execute();
  await t.db
    .insertInto('case_rounds')
    .values({ case_id: c.id, round: 1, packet: JSON.stringify(p), changes: '[]', note: null, submitted_by: officerId })
    .execute();
  await t.db
    .insertInto('tasks')
    .values(
      ['Task_accept', 'Task_review'].map((element, i) => ({
        instance_id: instance.id,
        department_id: departmentId,
        element_id: element,
        step: element === 'Task_accept' ? 'accept' : 'review',
        execution_id: `case-${element}`,
        name: element === 'Task_accept' ? '受理审查' : '法制审核',
        role: element === 'Task_accept' ? 'legal_admin' : 'reviewer',
        form: 'null',
        status: i === 0 ? ('completed' as const) : ('open' as const),
        due_at: new Date(Date.now() + 3 * 86_400_000),
        ended_at: i === 0 ? new Date() : null,
      })),
    )
    .execute();
  await t.db
    .insertInto('instance_events')
    .values(
      Array.from({ length: TIMELINE_EVENTS }, (_, i) => {
        const [type, payload] = EVENT_TYPES[i % EVENT_TYPES.length];
        return {
          instance_id: instance.id,
          type,
          element_id: i % 3 === 0 ? 'Task_review' : null,
          actor_id: officerId,
          payload: JSON.stringify({ caseId: c.id, ...payload }),
          at: new Date(Date.now() - (TIMELINE_EVENTS - i) * 60_000),
        };
      }),
    )
    .execute();
  return c.id;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Pads to a column width counting CJK characters as two columns, so the table lines up in a terminal. */
function pad(text: string, width: number, left = false): string {
  const w = [...text].reduce((n, ch) => n + (/[\u2E80-\uFFEF]/.test(ch) ? 2 : 1), 0);
  const fill = ' '.repeat(Math.max(width - w, 0));
  return left ? fill + text : text + fill;
}

async function measure(t: TestApp, user: TestUser | null, url: string, expected = 200) {
  const request = () =>
    t.app.inject({ url, headers: { accept: 'text/html' }, cookies: user ? { fashen_session: user.token } : {} });
  const first = await request();
  if (first.statusCode !== expected) {
    return { url, ok: false, status: first.statusCode, bytes: 0, p50: Number.NaN, p95: Number.NaN };
  }
  for (let i = 0; i < WARMUP; i++) await request();
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now();
    const res = await request();
    times.push(performance.now() - start);
    if (res.statusCode !== expected) throw new Error(`${url} answered ${res.statusCode}`);
  }
  times.sort((a, b) => a - b);
  return {
    url,
    ok: true,
    status: first.statusCode,
    bytes: first.body.length,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
  };
}

async function main() {
  await ensureTemplate();
  const t = await createTestApp();
  try {
    const dept = await t.newDepartment({ name: '测试市场监督管理局', enforcementStaffCount: 400 });
    const reviewer = await t.newUser({ departmentId: dept.id, roles: ['reviewer'] });
    const legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
    const officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
    const supervisor = await t.newUser({ departmentId: dept.id, roles: ['supervisor'] });
    const xml = await readFile(new URL('../workflows/legal-review.bpmn', import.meta.url), 'utf8');
    const def = await t.db
      .insertInto('workflow_definitions')
      .values({
        department_id: dept.id,
        process_key: 'legal_review',
        version: 1,
        name: '法制审核',
        xml,
        sha256: 'bench',
        deployed_by: legal.id,
        change_note: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await seedTaskList(t, dept.id, def.id, officer.id);
    const caseId = await seedCasePage(t, dept.id, def.id, officer.id);
    await sql`ANALYZE`.execute(t.db);

    const pages: [string, TestUser | null, string, number?][] = [
      ['基线：登录页（同一布局，静态正文）', null, '/login'],
      ['基线：无权访问页（另含会话查询）', reviewer, '/admin', 403],
      [`待办 /tasks（${OPEN_TASKS} 项可见任务，首页）`, reviewer, '/tasks'],
      ['待办 /tasks（按期限筛选，第 5 页）', reviewer, '/tasks?state=normal&page=5'],
      [`案件页 /cases/:id（${TIMELINE_EVENTS} 条时间线事件）`, reviewer, `/cases/${caseId}`],
      [`案件 API /api/cases/:id（${TIMELINE_EVENTS} 条事件）`, reviewer, `/api/cases/${caseId}`],
      ['法制机构工作台 /legal', legal, '/legal'],
      ['执法监督 /supervisor', supervisor, '/supervisor'],
    ];
    const results = [];
    for (const [label, user, url, expected] of pages)
      results.push({ label, ...(await measure(t, user, url, expected)) });
    const baseline = results[0].p50;
    console.log(`\n页面服务端渲染耗时（app.inject，${ITERATIONS} 次，预热 ${WARMUP} 次；目标 < ${TARGET_MS} ms）\n`);
    console.log(
      [pad('页面', 46), pad('p50 ms', 8, true), pad('p95 ms', 8, true), pad('÷基线', 8, true), pad('KB', 5, true)].join(
        ' ',
      ),
    );
    for (const r of results) {
      if (!r.ok) {
        console.log(`${pad(r.label, 46)} 未测：${r.url} 返回 ${r.status}（页面尚未提供？）`);
        continue;
      }
      const verdict = r.p95 < TARGET_MS ? '达标' : '超出目标';
      console.log(
        [
          pad(r.label, 46),
          pad(r.p50.toFixed(2), 8, true),
          pad(r.p95.toFixed(2), 8, true),
          pad(`${(r.p50 / baseline).toFixed(1)}×`, 8, true),
          pad((r.bytes / 1024).toFixed(0), 5, true),
          verdict,
        ].join(' '),
      );
    }
  } finally {
    await t.close();
  }
}

await main();
