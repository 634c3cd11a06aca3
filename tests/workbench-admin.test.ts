import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffingCheck } from '../server/workbench/dashboard/stats.js';
import { createTestApp, manualClock, type TestApp, type TestUser } from './helpers/app.js';
import { html, openPage } from './helpers/pages.js';
import { packet as reviewPacket } from './helpers/review.js';

// Wednesday 18 November 2026, 10:00 in Shanghai: due-soon runs to the end of Thursday the 19th.
const NOW = '2026-11-18T02:00:00Z';
const endOfDay = (date: string) => new Date(`${date}T23:59:59+08:00`);

const clock = manualClock(NOW);
let t: TestApp;
let dept: { id: string; code: string };
let legal: TestUser;
let chief: TestUser;
let reviewer1: TestUser;
let reviewer2: TestUser;
let officer: TestUser;
let admin: TestUser;
let supervisor: TestUser;
let definitionId: string;
let extensionId: string;
let reviewingCaseId: string;

/** A case with its running review instance, as the review process would have left it. */
async function seedCase(status: string, caseNumber: string) {
  const instanceId = randomUUID();
  const caseId = randomUUID();
  await t.db
    .insertInto('process_instances')
    .values({
      id: instanceId,
      definition_id: definitionId,
      department_id: dept.id,
      business_key: caseNumber,
      status: 'running',
      state: JSON.stringify(null),
      variables: JSON.stringify({ caseId, caseTitle: `案件${caseNumber}`, category: 'penalty' }),
      error: JSON.stringify(null),
      started_by: officer.id,
      ended_at: null,
    })
    .execute();
  const packet = reviewPacket({ caseNumber, title: `案件${caseNumber}` });
  await t.db
    .insertInto('cases')
    .values({
      id: caseId,
      department_id: dept.id,
      case_number: caseNumber,
      title: `案件${caseNumber}`,
      category: 'penalty',
      facts: '{}',
      packet: JSON.stringify(packet),
      review_mandatory: true,
      review_requested: true,
      catalogue_reason: '测试',
      status: status as never,
      instance_id: instanceId,
      submitted_by: officer.id,
    })
    .execute();
  return { caseId, instanceId };
}

async function seedTask(
  instanceId: string,
  v: {
    assignee?: string;
    due?: Date | null;
    paused?: boolean;
    status?: 'open' | 'completed';
    created?: string;
    ended?: string;
  },
) {
  const id = randomUUID();
  await t.db
    .insertInto('tasks')
    .values({
      id,
      instance_id: instanceId,
      department_id: dept.id,
      element_id: 'Task_review',
      step: 'review',
      execution_id: `exec-${id}`,
      name: '法制审核',
      role: 'reviewer',
      assignee_id: v.assignee ?? null,
      form: JSON.stringify(null),
      status: v.status ?? 'open',
      due_at: v.due ?? null,
      paused_at: v.paused ? new Date(NOW) : null,
      created_at: v.created ? new Date(v.created) : new Date(NOW),
      ended_at: v.ended ? new Date(v.ended) : null,
      deadline: JSON.stringify({
        unit: 'working_days',
        days: 5,
        basisDate: '2026-11-18',
        basisDays: 5,
        extendedDays: 0,
        reminderDays: null,
        escalateTo: null,
      }),
    })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  dept = await t.newDepartment({ enforcementStaffCount: 100, name: '测试市场监督管理局' });
  const bureau = await t.newDepartment({ enforcementStaffCount: 0, name: '测试司法局' });
  legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
  chief = await t.newUser({ departmentId: dept.id, roles: ['chief'] });
  reviewer1 = await t.newUser({ departmentId: dept.id, roles: ['reviewer'] });
  reviewer2 = await t.newUser({ departmentId: dept.id, roles: ['reviewer'] });
  officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
  admin = await t.newUser({ departmentId: bureau.id, roles: ['admin'] });
  supervisor = await t.newUser({ departmentId: bureau.id, roles: ['supervisor'] });
  await t.db.updateTable('users').set({ reviewer_kind: 'legal_adviser' }).where('id', '=', reviewer2.id).execute();

  const def = await t.db
    .insertInto('workflow_definitions')
    .values({
      department_id: dept.id,
      process_key: 'legal_review',
      version: 1,
      name: '法制审核',
      xml: '<definitions/>',
      sha256: 'test',
      deployed_by: legal.id,
      change_note: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  definitionId = def.id;

  const a = await seedCase('reviewing', 'A-1');
  reviewingCaseId = a.caseId;
  const b = await seedCase('reviewing', 'A-2');
  const c = await seedCase('correcting', 'A-3');
  const d = await seedCase('deciding', 'A-4');
  await seedCase('decided', 'A-5');
  await seedTask(a.instanceId, { assignee: reviewer1.id, due: endOfDay('2026-11-17') }); // overdue
  await seedTask(b.instanceId, { assignee: reviewer1.id, due: endOfDay('2026-11-19') }); // due soon
  const normal = await seedTask(c.instanceId, { assignee: reviewer2.id, due: endOfDay('2026-11-25') });
  await seedTask(d.instanceId, { paused: true });
  // Finished reviews: 9 Nov → 11 Nov is 2 working days, 9 Nov → 16 Nov is 5; the 2025 one is out of the year.
  await seedTask(d.instanceId, { status: 'completed', created: '2026-11-09T02:00:00Z', ended: '2026-11-11T08:00:00Z' });
  await seedTask(c.instanceId, { status: 'completed', created: '2026-11-09T02:00:00Z', ended: '2026-11-16T08:00:00Z' });
  await seedTask(c.instanceId, { status: 'completed', created: '2025-06-02T02:00:00Z', ended: '2025-06-20T08:00:00Z' });

  const ext = await t.db
    .insertInto('deadline_extensions')
    .values({
      task_id: normal,
      instance_id: c.instanceId,
      department_id: dept.id,
      working_days: 3,
      reason: '案情复杂，需补充调查',
      requested_by: reviewer2.id,
      decided_by: null,
      decided_at: null,
      decision_note: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  extensionId = ext.id;
});
afterAll(() => t.close());

async function submitForm(user: TestUser, from: string, action: string, fields: [string, string][]) {
  const { cookies, token } = await openPage(t, user, from);
  const body = new URLSearchParams([['_csrf', token], ...fields]);
  return t.app.inject({
    method: 'POST',
    url: action,
    cookies,
    headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
}

/** The number shown in a KPI tile by its label. */
function kpi(body: string, label: string): string | undefined {
  const re = new RegExp(`<span class="kpi-label">${label}[^<]*</span>\\s*<b>([^<]+)</b>`);
  return re.exec(body)?.[1];
}

function bar(body: string, label: string): string | undefined {
  return new RegExp(`<span class="bar-label">${label}</span>.*?<span class="bar-value">(\\d+)</span>`).exec(body)?.[1];
}

describe('role checks', () => {
  it('shows an officer a 403 page on /admin', async () => {
    const { page } = await openPage(t, officer, '/admin');
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('无权访问');
    expect(page.body).toContain('系统管理员');
  });

  it('keeps a reviewer out of the legal unit dashboard and the supervisor view', async () => {
    expect((await openPage(t, reviewer1, '/legal')).page.statusCode).toBe(403);
    expect((await openPage(t, reviewer1, '/supervisor')).page.statusCode).toBe(403);
  });

  it('lets a chief open the legal unit dashboard and a supervisor the supervisor view', async () => {
    expect((await openPage(t, chief, '/legal')).page.statusCode).toBe(200);
    expect((await openPage(t, supervisor, '/supervisor')).page.statusCode).toBe(200);
  });
});

describe('legal unit dashboard', () => {
  it('counts open reviews per state, leaving closed cases out', async () => {
    const { page } = await openPage(t, legal, '/legal');
    expect(page.statusCode).toBe(200);
    expect(kpi(page.body, '在审案件')).toBe('4');
    expect(bar(page.body, '法制审核中')).toBe('2');
    expect(bar(page.body, '退回补正中')).toBe('1');
    expect(bar(page.body, '待负责人决定')).toBe('1');
    expect(bar(page.body, '已作出决定')).toBeUndefined();
  });

  it('shows overdue and due-soon tasks with links to the filtered task list', async () => {
    const { page } = await openPage(t, legal, '/legal');
    expect(kpi(page.body, '已超期任务')).toBe('1');
    expect(kpi(page.body, '即将到期任务')).toBe('1');
    expect(page.body).toContain('href="/tasks?state=overdue"');
    expect(page.body).toContain('href="/tasks?state=due_soon"');
    expect(page.body).toContain('暂停计时 <b>1</b>');
  });

  it('averages review time in working days over the chosen period', async () => {
    const { page } = await openPage(t, legal, '/legal');
    expect(kpi(page.body, '平均审核用时（近一年）')).toBe('3.5');
    expect(page.body).toMatch(/<dt>最长用时<\/dt><dd>5 个工作日/);
    expect(page.body).toMatch(/<dt>已完成审核<\/dt><dd>2 次/);
    const week = await openPage(t, legal, '/legal?period=30');
    expect(kpi(week.page.body, '平均审核用时（近 30 天）')).toBe('3.5');
  });

  it('shows each reviewer’s open tasks', async () => {
    const { page } = await openPage(t, legal, '/legal');
    const section = page.body.split('id="h-load"')[1];
    const row = (name: string) => new RegExp(`<td>${name}[ <].*?<b class="load-n">(\\d+)</b>`, 's').exec(section)?.[1];
    const names = await t.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', [reviewer1.id, reviewer2.id])
      .execute();
    const name = (id: string) => names.find((n) => n.id === id)!.display_name;
    expect(row(name(reviewer1.id))).toBe('2');
    expect(row(name(reviewer2.id))).toBe('1');
  });

  it('checks reviewer staffing against 5% of enforcement staff, legal advisers included', async () => {
    const { page } = await openPage(t, legal, '/legal');
    expect(kpi(page.body, '审核人员配备（5% 规则）')).toBe('未达标');
    expect(page.body).toContain('未达标：还需 3 名');
    expect(page.body).toContain('2 人（其中法律顾问 1 人、公职律师 0 人）');
  });

  it('approves a pending extension through the form and moves the due date', async () => {
    const { page } = await openPage(t, legal, '/legal');
    expect(page.body).toContain('案情复杂，需补充调查');
    const res = await submitForm(legal, '/legal', `/legal/extensions/${extensionId}/decision`, [
      ['decision', 'approve'],
      ['note', '同意延长'],
    ]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/legal?extension=approved#extensions');
    const ext = await t.db
      .selectFrom('deadline_extensions as e')
      .innerJoin('tasks', 'tasks.id', 'e.task_id')
      .select(['e.status', 'e.decided_by', 'tasks.due_at'])
      .where('e.id', '=', extensionId)
      .executeTakeFirstOrThrow();
    expect(ext.status).toBe('approved');
    expect(ext.decided_by).toBe(legal.id);
    expect(ext.due_at?.toISOString()).toBe(endOfDay('2026-11-30').toISOString());
    const after = await openPage(t, legal, '/legal?extension=approved');
    expect(after.page.body).toContain('已批准延期');
    expect(after.page.body).toContain('没有待审批的延期申请');
  });

  it('refuses to reject an extension without reasons', async () => {
    const res = await submitForm(legal, '/legal', `/legal/extensions/${extensionId}/decision`, [
      ['decision', 'reject'],
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('驳回延期申请须写明理由');
  });
});

describe('staffing rule', () => {
  it('passes at exactly 5% and fails just below it', () => {
    expect(staffingCheck(100, 5)).toMatchObject({ state: 'pass', required: 5, percent: 5, shortfall: 0 });
    expect(staffingCheck(100, 4)).toMatchObject({ state: 'fail', required: 5, shortfall: 1 });
    expect(staffingCheck(101, 5)).toMatchObject({ state: 'fail', required: 6, shortfall: 1 });
    expect(staffingCheck(20, 1)).toMatchObject({ state: 'pass', required: 1 });
    expect(staffingCheck(7, 0)).toMatchObject({ state: 'fail', required: 1 });
  });

  it('does not judge a department that has filed no enforcement staff number', () => {
    expect(staffingCheck(0, 3)).toMatchObject({ state: 'unknown', percent: null });
  });

  it('lists every agency against the rule on the supervisor view', async () => {
    const { page } = await openPage(t, supervisor, '/supervisor');
    const row = page.body.split('测试市场监督管理局').at(-1) ?? '';
    expect(row).toMatch(/<td class="num">100<\/td>\s*<td class="num">2<\/td>/);
    expect(row).toContain('未达标');
  });
});

describe('supervisor view', () => {
  it('lists cases of every department, filterable by status', async () => {
    const all = await openPage(t, supervisor, '/supervisor');
    expect(all.page.body).toContain('A-1');
    expect(all.page.body).toContain('A-5');
    const filtered = await openPage(t, supervisor, `/supervisor?status=correcting&department=${dept.id}`);
    expect(filtered.page.body).toContain('A-3');
    expect(filtered.page.body).not.toContain('>A-1<');
    expect(filtered.page.body).toContain('data-refresh-seconds="30"');
  });

  it('records every opening of a case by a supervisor in its timeline, from the page and the API', async () => {
    const page = await openPage(t, supervisor, `/cases/${reviewingCaseId}`);
    expect(page.page.statusCode).toBe(200);
    const api = await t.app.inject({ url: `/api/cases/${reviewingCaseId}`, headers: t.as(supervisor) });
    expect(api.statusCode).toBe(200);
    const events = await t.db
      .selectFrom('instance_events')
      .innerJoin('cases', 'cases.instance_id', 'instance_events.instance_id')
      .select(['instance_events.actor_id'])
      .where('cases.id', '=', reviewingCaseId)
      .where('instance_events.type', '=', 'case.viewed_by_supervisor')
      .execute();
    expect(events.map((e) => e.actor_id)).toEqual([supervisor.id, supervisor.id]);
  });
});

describe('administration', () => {
  it('creates a user with roles, reviewer kind and certificate through the form', async () => {
    const res = await submitForm(admin, '/admin/users/new', '/admin/users', [
      ['departmentId', dept.id],
      ['username', 'Zhang.Wei'],
      ['displayName', '张伟'],
      ['roles', 'officer'],
      ['roles', 'reviewer'],
      ['reviewerKind', 'public_lawyer'],
      ['certNumber', '32090012345'],
      ['certDomain', '市场监管'],
      ['certFrom', '2025-01-01'],
      ['certUntil', '2030-12-31'],
      ['password', 'a-long-password-1'],
      ['password2', 'a-long-password-1'],
    ]);
    expect(res.statusCode).toBe(303);
    const user = await t.db
      .selectFrom('users')
      .select(['roles', 'reviewer_kind', 'certificate_number', 'display_name', 'department_id'])
      .where('username', '=', 'zhang.wei')
      .executeTakeFirstOrThrow();
    expect(user).toMatchObject({
      roles: ['officer', 'reviewer'],
      reviewer_kind: 'public_lawyer',
      certificate_number: '32090012345',
      display_name: '张伟',
      department_id: dept.id,
    });
    const list = await openPage(t, admin, res.headers.location as string);
    expect(list.page.body).toContain('已新增用户');
    expect(list.page.body).toContain('张伟');
  });

  it('shows what is wrong next to the field when an officer has no certificate', async () => {
    const res = await submitForm(admin, '/admin/users/new', '/admin/users', [
      ['departmentId', dept.id],
      ['username', 'li.na'],
      ['displayName', '李娜'],
      ['roles', 'officer'],
      ['password', 'short'],
      ['password2', 'short'],
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('承办人须登记执法证号');
    expect(res.body).toContain('密码至少 10 位');
    expect(res.body).toContain('value="li.na"');
    expect(
      await t.db.selectFrom('users').select('id').where('username', '=', 'li.na').executeTakeFirst(),
    ).toBeUndefined();
  });

  it('counts a new reviewer toward the department’s staffing once the admin edits its enforcement staff', async () => {
    const res = await submitForm(admin, `/admin/departments/${dept.id}`, `/admin/departments/${dept.id}`, [
      ['name', '测试市场监督管理局'],
      ['staff', '60'],
      ['abbr', '测监'],
    ]);
    expect(res.statusCode).toBe(303);
    // Three reviewers now (the new public lawyer included) against 60 officers: 5% of 60 is 3.
    const { page } = await openPage(t, legal, '/legal');
    expect(kpi(page.body, '审核人员配备（5% 规则）')).toBe('达标');
    const numbering = await t.app.inject({ url: '/api/document-numbering', headers: t.as(legal) });
    expect(numbering.json().abbreviation).toBe('测监');
  });

  it('deactivates a user and ends their sessions', async () => {
    const res = await submitForm(admin, `/admin/users/${chief.id}`, `/admin/users/${chief.id}/active`, [
      ['active', '0'],
    ]);
    expect(res.statusCode).toBe(303);
    const page = await t.app.inject({ url: '/legal', cookies: { fashen_session: chief.token } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toContain('/login');
  });

  it('adds a reviewer to the pool and removes them again', async () => {
    const added = await submitForm(admin, '/admin/pool', '/admin/pool', [
      ['userId', reviewer1.id],
      ['note', '擅长产品质量案件'],
    ]);
    expect(added.statusCode).toBe(303);
    const pool = await openPage(t, admin, '/admin/pool?saved=added');
    expect(pool.page.body).toContain('擅长产品质量案件');
    const removed = await submitForm(admin, '/admin/pool', `/admin/pool/${reviewer1.id}/remove`, []);
    expect(removed.statusCode).toBe(303);
    expect(await t.db.selectFrom('reviewer_pool').selectAll().execute()).toEqual([]);
  });

  it('refuses to put a non-reviewer in the pool', async () => {
    const res = await submitForm(admin, '/admin/pool', '/admin/pool', [['userId', officer.id]]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('不是在用的法制审核人员');
  });

  it('lists conflicts with the case and the user', async () => {
    await t.db
      .insertInto('case_conflicts')
      .values({
        case_id: reviewingCaseId,
        user_id: reviewer2.id,
        reason: '与当事人有亲属关系',
        declared_by: reviewer2.id,
      })
      .execute();
    const { page } = await openPage(t, admin, '/admin/conflicts');
    expect(page.body).toContain('A-1');
    expect(page.body).toContain('与当事人有亲属关系');
    expect(page.body).toContain('本人申报');
  });

  it('warns from 1 December that next year’s holidays are not loaded', async () => {
    const november = await openPage(t, admin, '/admin/calendar');
    expect(november.page.body).not.toContain('2027 年的节假日安排尚未载入');
    clock.set('2026-12-01T01:00:00Z');
    try {
      for (const url of ['/admin', '/admin/calendar']) {
        const { page } = await openPage(t, admin, url);
        expect(page.body).toContain('2027 年的节假日安排尚未载入');
      }
    } finally {
      clock.set(NOW);
    }
  });

  it('loads a calendar year pasted as CSV and lists problems of a bad one', async () => {
    const bad = await submitForm(admin, '/admin/calendar', '/admin/calendar', [
      ['year', '2031'],
      ['content', 'holiday,2031-10-01~2031-10-07,国庆节\nworkday,2031-10-08,国庆节'],
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('调休上班日 2031-10-08 不是周六或周日');
    const ok = await submitForm(admin, '/admin/calendar', '/admin/calendar', [
      ['year', '2031'],
      ['content', 'holiday,2031-10-01~2031-10-07,国庆节\nworkday,2031-09-28,国庆节'],
    ]);
    expect(ok.statusCode).toBe(303);
    const { page } = await openPage(t, admin, ok.headers.location as string);
    expect(page.body).toContain('已载入 2031 年节假日安排');
    expect(page.body).toMatch(/<th scope="row">2031<\/th>\s*<td class="num">7<\/td>\s*<td class="num">1<\/td>/);
  });
});
