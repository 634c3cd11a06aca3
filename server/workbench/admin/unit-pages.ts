import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../../http/errors.js';
import { UUID } from '../../http/schemas.js';
import { findDepartmentById, listUsers, UNIT_KIND_LABELS, type UnitKind } from '../../identity/directory.js';
import type { Actor } from '../../identity/service.js';
import { createUnit, listUnits, updateUnit } from '../../identity/units.js';
import type { FormBody } from './forms.js';
import { ADMIN_HEAD, adminTabs } from './tabs.js';

const field = (body: FormBody, name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');

/** A unit as the form gives it, with the message for what is wrong with it, if anything. */
function parseUnit(body: FormBody): { name: string; kind: UnitKind; headUserId: string | null; error?: string } {
  const name = field(body, 'name');
  const kind = field(body, 'kind') as UnitKind;
  const head = field(body, 'headUserId');
  const headUserId = UUID.test(head) ? head : null;
  if (!name) return { name, kind, headUserId, error: '请填写机构名称' };
  if (name.length > 50) return { name, kind, headUserId, error: '机构名称不能超过 50 个字' };
  if (!(kind in UNIT_KIND_LABELS)) return { name, kind: 'other', headUserId, error: '请选择机构类别' };
  return { name, kind, headUserId };
}

/** 内设机构: an administrator lists a department's units, adds one, renames it, changes its kind or head. */
export const adminUnitPages: FastifyPluginAsync = async (app) => {
  async function department(id: string) {
    const d = UUID.test(id) ? await findDepartmentById(app.db, id) : undefined;
    if (!d) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
    return d;
  }

  async function page(
    reply: FastifyReply,
    actor: Actor,
    dept: { id: string; name: string },
    opts: { flash?: { kind: string; text: string }; values?: { name: string; kind: string } } = {},
  ) {
    const [units, users] = await Promise.all([
      listUnits(app.db, dept.id),
      listUsers(app.db, { departmentId: dept.id }),
    ]);
    const kinds = (selected: string) =>
      Object.entries(UNIT_KIND_LABELS).map(([code, label]) => ({ code, label, selected: code === selected }));
    const people = (selected: string | null) =>
      users.map((u) => ({ id: u.id, name: u.display_name, selected: u.id === selected }));
    return app.renderPage(
      reply,
      'admin-units.hbs',
      {
        title: `内设机构 · ${dept.name}`,
        headExtra: ADMIN_HEAD,
        tabs: adminTabs('/admin/departments'),
        dept,
        units: units.map((u) => ({ ...u, kinds: kinds(u.kind), people: people(u.head_user_id) })),
        members: units.map((u) => ({
          name: u.name,
          users: users.filter((x) => x.unit_id === u.id).map((x) => x.display_name),
        })),
        unassigned: users.filter((x) => !x.unit_id && x.active).map((x) => ({ id: x.id, name: x.display_name })),
        newKinds: kinds(opts.values?.kind ?? 'handling'),
        values: opts.values ?? { name: '', kind: 'handling' },
        people: people(null),
        flash: opts.flash,
      },
      actor,
    );
  }

  const FLASH: Record<string, string> = { created: '已新增内设机构。', updated: '已保存内设机构。' };

  app.get('/admin/departments/:id/units', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const dept = await department((request.params as { id: string }).id);
    const saved = String((request.query as Record<string, unknown>).saved ?? '');
    return page(reply, actor, dept, { flash: FLASH[saved] ? { kind: 'ok', text: FLASH[saved] } : undefined });
  });

  app.post(
    '/admin/departments/:id/units',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const dept = await department((request.params as { id: string }).id);
      const unit = parseUnit(request.body as FormBody);
      const error = unit.error ?? (await attempt(() => createUnit(app.db, dept.id, unit)));
      if (error) {
        reply.status(400);
        return page(reply, actor, dept, { flash: { kind: 'error', text: error }, values: unit });
      }
      return reply.redirect(`/admin/departments/${dept.id}/units?saved=created`, 303);
    },
  );

  app.post(
    '/admin/departments/:id/units/:unitId',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const params = request.params as { id: string; unitId: string };
      const dept = await department(params.id);
      const unit = parseUnit(request.body as FormBody);
      const own = (await listUnits(app.db, dept.id)).some((u) => u.id === params.unitId);
      if (!own) throw new AppError(404, 'NOT_FOUND', '内设机构不存在');
      const error = unit.error ?? (await attempt(() => updateUnit(app.db, params.unitId, unit)));
      if (error) {
        reply.status(400);
        return page(reply, actor, dept, { flash: { kind: 'error', text: error } });
      }
      return reply.redirect(`/admin/departments/${dept.id}/units?saved=updated`, 303);
    },
  );
};

/** The message of a refused change (a duplicate name, a head from elsewhere), or null when it was made. */
async function attempt(change: () => Promise<unknown>): Promise<string | null> {
  try {
    await change();
    return null;
  } catch (e) {
    if (e instanceof AppError && e.statusCode < 500) return e.message;
    throw e;
  }
}
