import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { addToPool, removeFromPool } from '../../cases/pool.js';
import { listConflicts, poolCandidates, poolMembers } from '../../cases/reads.js';
import { AppError } from '../../http/errors.js';
import { UUID } from '../../http/schemas.js';
import { listDepartments } from '../../identity/directory.js';
import type { Actor } from '../../identity/service.js';
import { REVIEWER_KIND_LABELS } from '../dashboard/stats-labels.js';
import { type FormBody, field } from './forms.js';
import { ADMIN_HEAD, adminTabs } from './tabs.js';

const CONFLICTS_PAGE = 50;
const FLASH: Record<string, string> = { added: '已加入人才库。', removed: '已移出人才库。' };

/** The city's shared reviewer pool (人才库) and the record of conflicts (回避). */
export const adminPoolPages: FastifyPluginAsync = async (app) => {
  async function poolPage(reply: FastifyReply, actor: Actor, flash?: { kind: string; text: string }, note = '') {
    const [members, candidates] = await Promise.all([poolMembers(app.db), poolCandidates(app.db)]);
    const groups = new Map<string, { department: string; users: typeof candidates }>();
    for (const c of candidates) {
      const g = groups.get(c.department_id) ?? { department: c.department_name, users: [] };
      g.users.push(c);
      groups.set(c.department_id, g);
    }
    return app.renderPage(
      reply,
      'admin-pool.hbs',
      {
        title: '审核人才库 · 系统管理',
        headExtra: ADMIN_HEAD,
        tabs: adminTabs('/admin/pool'),
        members: members.map((m) => ({
          ...m,
          kindLabel: REVIEWER_KIND_LABELS[m.reviewer_kind ?? 'staff'],
          openTasks: Number(m.open_tasks ?? 0),
        })),
        groups: [...groups.values()].map((g) => ({
          ...g,
          users: g.users.map((u) => ({ ...u, kindLabel: REVIEWER_KIND_LABELS[u.reviewer_kind ?? 'staff'] })),
        })),
        note,
        flash,
      },
      actor,
    );
  }

  app.get('/admin/pool', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const saved = (request.query as Record<string, string | undefined>).saved ?? '';
    return poolPage(reply, actor, FLASH[saved] ? { kind: 'ok', text: FLASH[saved] } : undefined);
  });

  app.post('/admin/pool', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const body = request.body as FormBody;
    const userId = field(body, 'userId');
    const note = field(body, 'note');
    const problem = !UUID.test(userId)
      ? '请选择要加入人才库的审核人员'
      : note.length > 500
        ? '备注不能超过 500 字'
        : await addToPool(app.db, userId, note || null, actor.id).then(
            (added) => (added ? null : '该用户不是在用的法制审核人员，不能加入人才库'),
            (e: unknown) => {
              if (e instanceof AppError && e.code === 'REVIEWER_UNQUALIFIED') return e.message;
              throw e;
            },
          );
    if (problem) {
      reply.status(400);
      return poolPage(reply, actor, { kind: 'error', text: problem }, note);
    }
    return reply.redirect('/admin/pool?saved=added', 303);
  });

  app.post(
    '/admin/pool/:userId/remove',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const { userId } = request.params as { userId: string };
      if (!UUID.test(userId)) throw new AppError(404, 'NOT_FOUND', '人才库中没有该审核人员');
      await removeFromPool(app.db, userId);
      return reply.redirect('/admin/pool?saved=removed', 303);
    },
  );

  app.get('/admin/conflicts', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const q = request.query as Record<string, string | undefined>;
    const departments = await listDepartments(app.db);
    const departmentId = departments.some((d) => d.id === q.department) ? q.department : undefined;
    const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const rows = await listConflicts(app.db, {
      departmentId,
      limit: CONFLICTS_PAGE + 1,
      offset: (page - 1) * CONFLICTS_PAGE,
    });
    const href = (p: number) =>
      `/admin/conflicts?${new URLSearchParams({ ...(departmentId && { department: departmentId }), page: String(p) })}`;
    return app.renderPage(
      reply,
      'admin-conflicts.hbs',
      {
        title: '回避记录 · 系统管理',
        headExtra: ADMIN_HEAD,
        tabs: adminTabs('/admin/conflicts'),
        conflicts: rows.slice(0, CONFLICTS_PAGE),
        departments,
        filters: { departmentId },
        page,
        prevHref: page > 1 ? href(page - 1) : null,
        nextHref: rows.length > CONFLICTS_PAGE ? href(page + 1) : null,
      },
      actor,
    );
  });
};
