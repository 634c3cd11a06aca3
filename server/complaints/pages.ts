import type { FastifyPluginAsync } from 'fastify';
import { AppError, statusOf } from '../http/errors.js';
import { readsAllDepartments } from '../identity/service.js';
import { DomainError } from '../infra/errors.js';
import { UUID } from '../infra/ids.js';
import { complaintView } from './routes.js';
import { answerComplaint, handles, visibleComplaint } from './service.js';

const VIEW = (name: string) => `../../complaints/views/${name}.hbs`;
const ROLES = ['legal_admin', 'chief', 'supervisor'] as const;
const ABOUT = { act: '执法行为', officer: '执法人员' } as Record<string, string>;
const TABS = [
  { key: '', label: '全部' },
  { key: 'open', label: '待答复' },
  { key: 'overdue', label: '已超期' },
  { key: 'answered', label: '已答复' },
];

/** The workbench's 投诉举报 pages: the agency's legal unit answers; the justice bureau reads every agency's. */
export const complaintPages: FastifyPluginAsync = async (app) => {
  app.get('/complaints', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const { state = '' } = request.query as { state?: string };
    const cityWide = readsAllDepartments(actor);
    const now = app.clock.now();
    let q = app.db
      .selectFrom('complaints as c')
      .innerJoin('departments as d', 'd.id', 'c.department_id')
      .selectAll('c')
      .select('d.name as agency');
    if (!cityWide) q = q.where('c.department_id', '=', actor.departmentId);
    if (state === 'answered') q = q.where('c.status', '=', 'answered');
    if (state === 'open') q = q.where('c.status', '=', 'received');
    if (state === 'overdue') q = q.where('c.status', '=', 'received').where('c.due_at', '<', now);
    const rows = await q.orderBy('c.created_at', 'desc').limit(200).execute();
    const items = rows.map((r) => ({
      ...complaintView(r, handles(actor, r), now),
      agency: r.agency,
      aboutLabel: ABOUT[r.about],
      excerpt: [...r.content].slice(0, 40).join('') + (r.content.length > 40 ? '…' : ''),
    }));
    const tabs = TABS.map((t) => ({ ...t, current: t.key === state }));
    return app.renderPage(reply, VIEW('complaints'), { title: '投诉举报', items, tabs, cityWide }, actor);
  });

  const detail = async (id: string, actor: NonNullable<Awaited<ReturnType<typeof app.pageActor>>>) => {
    if (!UUID.test(id)) throw new AppError(404, 'NOT_FOUND', '投诉举报不存在');
    const row = await visibleComplaint(app.db, actor, id);
    const names = await app.db
      .selectFrom('departments')
      .select('name')
      .where('id', '=', row.department_id)
      .unionAll(
        app.db
          .selectFrom('users')
          .select('display_name as name')
          .where('id', '=', row.answered_by ?? id),
      )
      .execute();
    return {
      c: complaintView(row, handles(actor, row), app.clock.now()),
      agency: names[0]?.name,
      answeredBy: names[1]?.name ?? '',
      aboutLabel: ABOUT[row.about],
      canAnswer: handles(actor, row),
    };
  };

  app.get('/complaints/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const data = await detail((request.params as { id: string }).id, actor);
    const { done } = request.query as { done?: string };
    return app.renderPage(
      reply,
      VIEW('complaint'),
      { title: `投诉举报 ${data.c.number}`, ...data, done: done ? '已答复，投诉人可凭受理编号查询。' : undefined },
      actor,
    );
  });

  app.post(
    '/complaints/:id/answer',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['legal_admin', 'chief']);
      if (!actor) return reply;
      const { id } = request.params as { id: string };
      const answer = String((request.body as { answer?: string } | undefined)?.answer ?? '').trim();
      try {
        if (answer.length < 2 || answer.length > 5000) {
          throw new AppError(400, 'VALIDATION_FAILED', '答复内容应为 2 至 5000 字');
        }
        await answerComplaint(app.complaints, actor, id, answer);
        return reply.redirect(`/complaints/${id}?done=1`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || err.kind === 'not_found') throw err;
        const data = await detail(id, actor);
        return app.renderPage(
          reply.status(statusOf(err)),
          VIEW('complaint'),
          { title: `投诉举报 ${data.c.number}`, ...data, error: err.message, draft: answer },
          actor,
        );
      }
    },
  );
};
