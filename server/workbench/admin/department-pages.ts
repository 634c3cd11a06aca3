import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import { SEAL_RULES, sealInfo } from '../../documents/seal/service.js';
import { AppError } from '../../http/errors.js';
import { UUID } from '../../http/schemas.js';
import { findDepartmentByCode, findDepartmentById } from '../../identity/directory.js';
import { type Actor, createDepartment, setEnforcementSystem, updateDepartment } from '../../identity/service.js';
import { DEPARTMENT_KIND_LABELS, staffingView } from '../dashboard/stats-labels.js';
import { departmentStaffing } from '../dashboard/stats-queries.js';
import { type DepartmentValues, type FieldErrors, type FormBody, parseDepartment } from './forms.js';
import { ADMIN_HEAD, adminTabs } from './tabs.js';

const EMPTY: DepartmentValues = { code: '', name: '', kind: 'agency', staff: '', abbr: '', system: '' };

export async function loadDepartment(app: FastifyInstance, id: string) {
  const d = UUID.test(id) ? await findDepartmentById(app.db, id) : undefined;
  if (!d) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
  const [staffing] = await departmentStaffing(app.db, d.id);
  return { ...staffingView(staffing), enforcementSystem: d.enforcement_system };
}

/** The edit form filled in with the department as stored. */
export function savedValues(dept: Awaited<ReturnType<typeof loadDepartment>>): DepartmentValues {
  return {
    ...EMPTY,
    code: dept.code,
    name: dept.name,
    kind: dept.kind,
    staff: String(dept.enforcementStaff),
    abbr: dept.documentAbbr ?? '',
    system: dept.enforcementSystem ?? '',
  };
}

/** What the seal card says after an upload or a removal: a notice, or the reason an upload was refused. */
export interface SealNotice {
  flash?: { kind: string; text: string };
  error?: string;
}

const SEAL_FLASH: Record<string, SealNotice['flash']> = {
  saved: { kind: 'ok', text: '已保存印章，此后签发的文书在落款处盖印。' },
  opaque: { kind: 'warn', text: '已保存印章。图片没有透明背景，建议换用透明背景的 PNG。' },
  removed: { kind: 'ok', text: '已删除印章，此后签发的文书不再盖印。' },
};

export async function departmentEditPage(
  app: FastifyInstance,
  reply: FastifyReply,
  actor: Actor,
  dept: Awaited<ReturnType<typeof loadDepartment>>,
  form: { values: DepartmentValues; errors: FieldErrors },
  sealNotice: SealNotice = {},
) {
  const info = await sealInfo(app.db, dept.departmentId);
  const seal = {
    ...sealNotice,
    info,
    // Served with no-store, so a replaced seal's preview is never a stale copy.
    url: info ? `/api/departments/${dept.departmentId}/seal` : null,
    rules: SEAL_RULES,
  };
  return app.renderPage(
    reply,
    'admin-department-edit.hbs',
    {
      title: `${dept.name} · 执法机关`,
      headExtra: ADMIN_HEAD,
      tabs: adminTabs('/admin/departments'),
      dept: { ...dept, kindLabel: DEPARTMENT_KIND_LABELS[dept.kind] },
      form,
      seal,
    },
    actor,
  );
}

export const adminDepartmentPages: FastifyPluginAsync = async (app) => {
  async function list(
    reply: FastifyReply,
    actor: Actor,
    form: { values: DepartmentValues; errors: FieldErrors },
    flash?: { kind: string; text: string },
  ) {
    const rows = (await departmentStaffing(app.db)).map((s) => ({
      ...staffingView(s),
      kindLabel: DEPARTMENT_KIND_LABELS[s.kind],
    }));
    return app.renderPage(
      reply,
      'admin-departments.hbs',
      { title: '执法机关 · 系统管理', headExtra: ADMIN_HEAD, tabs: adminTabs('/admin/departments'), rows, form, flash },
      actor,
    );
  }

  app.get('/admin/departments', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const q = request.query as Record<string, string | undefined>;
    const flash =
      q.saved === 'created'
        ? { kind: 'ok', text: '已新增执法机关。' }
        : q.saved === 'updated'
          ? { kind: 'ok', text: '已保存执法机关信息。' }
          : undefined;
    return list(reply, actor, { values: EMPTY, errors: {} }, flash);
  });

  app.post('/admin/departments', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const errors: FieldErrors = {};
    const { values, department } = parseDepartment(request.body as FormBody, true, errors);
    if (!errors.code && (await findDepartmentByCode(app.db, department.code))) {
      errors.code = `机关代码 ${department.code} 已存在`;
    }
    if (Object.keys(errors).length) {
      reply.status(400);
      return list(reply, actor, { values, errors }, { kind: 'error', text: '请按提示修改后再提交。' });
    }
    await createDepartment(app.db, {
      code: department.code,
      name: department.name,
      kind: department.kind,
      enforcementStaffCount: department.enforcementStaffCount,
      documentAbbr: department.abbreviation,
      enforcementSystem: department.enforcementSystem,
    });
    return reply.redirect('/admin/departments?saved=created', 303);
  });

  app.get('/admin/departments/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const dept = await loadDepartment(app, (request.params as { id: string }).id);
    const seal = SEAL_FLASH[String((request.query as Record<string, unknown>).seal)];
    return departmentEditPage(app, reply, actor, dept, { values: savedValues(dept), errors: {} }, { flash: seal });
  });

  app.post(
    '/admin/departments/:id',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const dept = await loadDepartment(app, (request.params as { id: string }).id);
      const errors: FieldErrors = {};
      const { values, department } = parseDepartment(request.body as FormBody, false, errors);
      if (Object.keys(errors).length) {
        reply.status(400);
        const form = { values: { ...values, code: dept.code, kind: dept.kind }, errors };
        return departmentEditPage(app, reply, actor, dept, form);
      }
      await updateDepartment(app.db, dept.departmentId, {
        name: department.name,
        enforcementStaffCount: department.enforcementStaffCount,
        documentAbbr: department.abbreviation,
      });
      await setEnforcementSystem(app.db, dept.departmentId, department.enforcementSystem);
      return reply.redirect('/admin/departments?saved=updated', 303);
    },
  );
};
