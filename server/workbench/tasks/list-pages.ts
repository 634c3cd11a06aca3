import type { FastifyPluginAsync } from 'fastify';
import { isStep, STEPS as STEP_LABELS, STEP_NAMES } from '../../../workflows/lint/steps.js';
import { deadlineState, dueSoonBoundary } from '../../engine/deadlines.js';
import { countTasksByState, listTasks } from '../../engine/reads.js';
import { CATEGORY_LABELS, DEADLINE_LABELS } from '../../http/view-engine.js';
import { claimTask } from '../../tasks/actions.js';
import { taskViewer } from '../../tasks/viewer.js';

const PAGE_SIZE = 50;
const STATES = ['overdue', 'due_soon', 'normal', 'paused', 'none'] as const;
type State = (typeof STATES)[number];

/** The steps of the review process (`fashen:step`), for the step filter. */
const STEPS = STEP_NAMES.map((id) => ({ id, name: STEP_LABELS[id].label }));

export const taskPages: FastifyPluginAsync = async (app) => {
  app.get('/tasks', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['officer', 'reviewer', 'chief', 'legal_admin']);
    if (!actor) return reply;
    const q = request.query as Record<string, string | undefined>;
    const state = STATES.includes(q.state as State) ? (q.state as State) : undefined;
    const sort = q.sort === 'created_at' ? 'created_at' : 'due_at';
    const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const step = isStep(q.step) ? q.step : undefined;
    const category = q.category && q.category in CATEGORY_LABELS ? q.category : undefined;
    const now = app.clock.now();
    const calendar = await app.calendar.calendarFor(app.db);
    const soon = dueSoonBoundary(calendar, now);
    const [rows, counts] = await Promise.all([
      listTasks(app.db, taskViewer(actor), {
        status: 'open',
        scope: 'all',
        sort,
        limit: PAGE_SIZE + 1,
        offset: (page - 1) * PAGE_SIZE,
        step,
        category,
        deadline: state ? { state, now, soon } : undefined,
      }),
      countTasksByState(app.db, taskViewer(actor), now, soon),
    ]);
    const tasks = rows.slice(0, PAGE_SIZE).map((t) => {
      const light = deadlineState(calendar, t, now);
      return {
        id: t.id,
        name: t.name,
        caseId: t.case_id,
        caseTitle: t.case_title,
        category: t.category,
        businessKey: t.business_key ?? t.process_key,
        departmentName: t.department_name,
        dueAt: t.due_at,
        dueProvisional: t.due_provisional,
        escalatedTo: t.escalated_to,
        deadlineState: light.state,
        remainingWorkingDays: light.remainingWorkingDays,
        mine: t.assignee_id === actor.id,
        claimable: t.assignee_id === null && actor.roles.includes(t.role as never),
      };
    });
    const params = (p: number) => {
      const u = new URLSearchParams();
      if (state) u.set('state', state);
      if (step) u.set('step', step);
      if (category) u.set('category', category);
      if (sort !== 'due_at') u.set('sort', sort);
      u.set('page', String(p));
      return `/tasks?${u}`;
    };
    const flash = q.claimed ? { kind: 'ok', text: '已签收，任务已列入“我的待办”。' } : undefined;
    return app.renderPage(
      reply,
      'tasks.hbs',
      {
        title: '待办',
        tasks,
        counts,
        page,
        prevHref: page > 1 ? params(page - 1) : null,
        nextHref: rows.length > PAGE_SIZE ? params(page + 1) : null,
        filters: { state, sort, step, category },
        steps: STEPS,
        categories: Object.entries(CATEGORY_LABELS).map(([code, label]) => ({ code, label })),
        states: STATES.map((code) => ({ code, label: DEADLINE_LABELS[code] })),
        flash,
      },
      actor,
    );
  });

  app.post('/tasks/:id/claim', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply);
    if (!actor) return reply;
    await claimTask(app.tasks, actor, (request.params as { id: string }).id);
    return reply.redirect('/tasks?claimed=1', 303);
  });
};
