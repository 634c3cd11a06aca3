import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import { findDepartmentById, listUsers } from '../identity/directory.js';
import type { Actor } from '../identity/service.js';
import { type LeaderInput, leaderList, mayEditLeaders, mayReadLeaders, saveLeaderList } from './leaders.js';
import { MAX_LEADERS } from './rules.js';

const VIEW = '../../collective/views/leaders.hbs';
const READERS = ['admin', 'legal_admin', 'chief', 'supervisor'] as const;
/** Empty rows under the list, to add leaders without a script. */
const BLANK_ROWS = 3;

type FormBody = Record<string, string | string[] | undefined>;
const list = (body: FormBody, name: string) => {
  const v = body[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim());
};

interface Row {
  userId: string;
  position: string;
  order: string;
  presiding?: boolean;
}

/**
 * The rows of the form as typed, and the list they make: rows without a person are dropped (that is how one is
 * removed), the rest ordered by 排序 (then as listed). A 排序 that is not a whole number is refused.
 */
function parseRows(body: FormBody): { rows: Row[]; leaders: LeaderInput[]; error?: string } {
  const users = list(body, 'userId');
  const positions = list(body, 'position');
  const orders = list(body, 'order');
  // 主持工作: one radio for the whole table, its value the row's number (1-based).
  const presiding = Number(list(body, 'presiding')[0] ?? '0');
  const rows = users.map((userId, i) => ({
    userId,
    position: positions[i] ?? '',
    order: orders[i] ?? '',
    presiding: presiding === i + 1,
  }));
  const chosen = rows.map((r, i) => ({ ...r, i })).filter((r) => r.userId);
  const bad = chosen.find((r) => r.order !== '' && !/^\d{1,3}$/.test(r.order));
  if (bad) return { rows, leaders: [], error: `排序“${bad.order}”应为整数` };
  if (chosen.some((r) => !UUID.test(r.userId))) return { rows, leaders: [], error: '请从列表中选择人员' };
  const rank = (r: (typeof chosen)[number]) => (r.order === '' ? 1000 + r.i : Number(r.order));
  chosen.sort((a, b) => rank(a) - rank(b) || a.i - b.i);
  return {
    rows,
    leaders: chosen.map((r) => ({ userId: r.userId, position: r.position, presiding: r.presiding })),
  };
}

/**
 * 领导班子名单: the agency's leadership a 集体讨论 (行政处罚法第五十七条第二款) convenes, with the quorum it needs. The
 * system admin and the department's legal admins edit it; its chiefs and the justice bureau read it.
 */
export const leadersPage: FastifyPluginAsync = async (app) => {
  async function department(request: FastifyRequest, actor: Actor) {
    const { id } = request.params as { id: string };
    const d = UUID.test(id) ? await findDepartmentById(app.db, id) : undefined;
    if (!d) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
    if (!mayReadLeaders(actor, d.id)) throw new AppError(403, 'FORBIDDEN', '只能查看本机关的领导班子名单');
    return d;
  }

  async function render(
    reply: FastifyReply,
    actor: Actor,
    dept: { id: string; name: string },
    opts: { rows?: Row[]; flash?: { kind: string; text: string } } = {},
  ) {
    const [{ leaders, quorum }, users] = await Promise.all([
      leaderList(app.db, dept.id),
      listUsers(app.db, { departmentId: dept.id }),
    ]);
    const typed = opts.rows?.filter((r) => r.userId || r.position);
    const rows: Row[] =
      typed ??
      leaders.map((l, i) => ({ userId: l.userId, position: l.position, order: `${i + 1}`, presiding: l.presiding }));
    const people = (selected: string) =>
      users
        .filter((u) => u.active || u.id === selected)
        .map((u) => ({
          id: u.id,
          label: `${u.display_name}（${u.username}${u.position ? ` · ${u.position}` : ''}）`,
          selected: u.id === selected,
        }));
    const formRows = [...rows, ...Array.from({ length: BLANK_ROWS }, () => ({ userId: '', position: '', order: '' }))]
      .slice(0, MAX_LEADERS + BLANK_ROWS)
      .map((r, i) => ({ ...r, no: i + 1, people: people(r.userId) }));
    return app.renderPage(
      reply,
      VIEW,
      {
        title: `领导班子名单 · ${dept.name}`,
        dept,
        leaders,
        quorum,
        maxLeaders: MAX_LEADERS,
        mayEdit: mayEditLeaders(actor, dept.id),
        rows: formRows,
        flash: opts.flash,
      },
      actor,
    );
  }

  app.get('/departments/:id/leaders', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, READERS);
    if (!actor) return reply;
    const dept = await department(request, actor);
    const saved = (request.query as Record<string, unknown>).saved === '1';
    return render(reply, actor, dept, saved ? { flash: { kind: 'ok', text: '已保存领导班子名单。' } } : {});
  });

  app.post(
    '/departments/:id/leaders',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, READERS);
      if (!actor) return reply;
      const dept = await department(request, actor);
      if (!mayEditLeaders(actor, dept.id)) {
        throw new AppError(403, 'FORBIDDEN', '只有系统管理员或本机关法制机构管理员可以修改领导班子名单');
      }
      const parsed = parseRows(request.body as FormBody);
      try {
        if (parsed.error) throw new AppError(400, 'VALIDATION_FAILED', parsed.error);
        await saveLeaderList(app.db, dept.id, parsed.leaders, actor.id);
      } catch (err) {
        if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
        reply.status(err.statusCode);
        return render(reply, actor, dept, { rows: parsed.rows, flash: { kind: 'error', text: err.message } });
      }
      return reply.redirect(`/departments/${dept.id}/leaders?saved=1`, 303);
    },
  );
};
