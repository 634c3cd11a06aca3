import type { FastifyPluginAsync } from 'fastify';
import { countOpenCases, filteredTaskStates, supervisedCases } from '../../cases/reads.js';
import type { CaseStatus, CasesTable } from '../../cases/tables.js';
import { catalogueGaps } from '../../catalogue/coverage.js';
import { deadlineState, dueSoonBoundary } from '../../engine/deadlines.js';
import { changeCounts } from '../../governance/service.js';
import { CASE_STATUS_LABELS, CATEGORY_LABELS } from '../../http/view-engine.js';
import { listDepartments } from '../../identity/directory.js';
import { missingRecordingsView } from '../../lifecycle/view.js';
import { supervisionItems } from '../../supervision/view.js';
import { openTasksOf } from '../../tasks/task-stats.js';
import { openTransfersView } from '../../transfers/view.js';
import { DEPARTMENT_KIND_LABELS, staffingView } from './stats-labels.js';
import { departmentStaffing } from './stats-queries.js';

const PAGE_SIZE = 50;
const REFRESH_SECONDS = 30;
const HEAD = '<link rel="stylesheet" href="/assets/stats.css"><script src="/assets/supervisor-live.js" defer></script>';

/** 执法监督: the justice bureau reads every department's cases, read-only and kept current. */
export const supervisorPages: FastifyPluginAsync = async (app) => {
  app.get('/supervisor', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['supervisor', 'admin']);
    if (!actor) return reply;
    const q = request.query as Record<string, string | undefined>;
    const departments = await listDepartments(app.db);
    const departmentId = departments.some((d) => d.id === q.department) ? q.department : undefined;
    const status = q.status && q.status in CASE_STATUS_LABELS ? (q.status as CaseStatus) : undefined;
    const category = q.category && q.category in CATEGORY_LABELS ? (q.category as CasesTable['category']) : undefined;
    const search = (q.q ?? '').trim().slice(0, 100) || undefined;
    const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const filter = { departmentId, status, category, q: search };

    const now = app.clock.now();
    const calendar = await app.calendar.calendarFor(app.db);
    const soon = dueSoonBoundary(calendar, now);
    const [rows, openCases, states, staffing, supervisionOverdue, catalogueGapRows, changes] = await Promise.all([
      supervisedCases(app.db, { ...filter, limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE }),
      countOpenCases(app.db, filter),
      filteredTaskStates(app.db, now, soon, filter),
      departmentStaffing(app.db),
      supervisionItems(app.db, { departmentId, overdueOnly: true }, now),
      catalogueGaps({ db: app.db, cache: app.runtime.cache }),
      // Flow and catalogue changes of the last 30 days: the supervisors are told of them here and on /changes.
      changeCounts(app.db, new Date(now.getTime() - 30 * 86_400_000)),
    ]);
    const missingRecordings = await missingRecordingsView(app.db, departmentId);
    const shown = rows.slice(0, PAGE_SIZE);
    const tasks = await openTasksOf(
      app.db,
      shown.flatMap((c) => (c.instance_id ? [c.instance_id] : [])),
    );
    const firstTask = new Map<string, (typeof tasks)[number]>();
    for (const t of tasks) if (!firstTask.has(t.instance_id)) firstTask.set(t.instance_id, t);

    const cases = shown.map((c) => {
      const t = c.instance_id ? firstTask.get(c.instance_id) : undefined;
      const light = t ? deadlineState(calendar, t, now) : null;
      return { ...c, task: t ? { ...t, state: light?.state, remaining: light?.remainingWorkingDays } : null };
    });
    const href = (p: number) => {
      const u = new URLSearchParams();
      if (departmentId) u.set('department', departmentId);
      if (status) u.set('status', status);
      if (category) u.set('category', category);
      if (search) u.set('q', search);
      if (p > 1) u.set('page', String(p));
      const s = u.toString();
      return s ? `/supervisor?${s}` : '/supervisor';
    };
    const staffingRows = staffing.filter((s) => s.kind === 'agency').map(staffingView);
    return app.renderPage(
      reply,
      'supervisor.hbs',
      {
        title: '执法监督',
        headExtra: HEAD,
        refreshSeconds: REFRESH_SECONDS,
        generatedAt: now,
        generatedAtIso: now.toISOString(),
        filters: { departmentId, status, category, q: search },
        filtered: Boolean(departmentId || status || category || search),
        departments: departments.map((d) => ({ id: d.id, name: d.name, kindLabel: DEPARTMENT_KIND_LABELS[d.kind] })),
        statuses: Object.entries(CASE_STATUS_LABELS).map(([code, label]) => ({ code, label })),
        categories: Object.entries(CATEGORY_LABELS).map(([code, label]) => ({ code, label })),
        cases,
        openCases,
        states,
        supervisionOverdue: supervisionOverdue.length,
        changes,
        page,
        prevHref: page > 1 ? href(page - 1) : null,
        nextHref: rows.length > PAGE_SIZE ? href(page + 1) : null,
        staffing: staffingRows,
        staffingFailing: staffingRows.filter((s) => s.state !== 'pass').length,
        transfers: await openTransfersView(app.db, departmentId, now),
        missingRecordings,
        catalogueGaps: catalogueGapRows.map((g) => ({ ...g, missingLabels: g.missing.map((m) => m.label).join('、') })),
      },
      actor,
    );
  });
};
