import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { inPool } from '../../cases/reads.js';
import { statusOf } from '../../http/errors.js';
import { UUID } from '../../http/schemas.js';
import { ROLE_LABELS } from '../../http/view-engine.js';
import { listDepartments, ROLES, type Role, searchUsers } from '../../identity/directory.js';
import { type Actor, createUser } from '../../identity/service.js';
import { DomainError } from '../../infra/errors.js';
import { REVIEWER_KIND_LABELS } from '../dashboard/stats-labels.js';
import { type FieldErrors, type FormBody, field, parseProfile, passwordProblem } from './forms.js';
import { ADMIN_HEAD, adminTabs, reviewerKindOptions, roleOptions } from './tabs.js';
import { userEditPages } from './user-edit-pages.js';

const PAGE_SIZE = 50;

export const adminUserPages: FastifyPluginAsync = async (app) => {
  app.get('/admin/users', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const q = request.query as Record<string, string | undefined>;
    const departments = await listDepartments(app.db);
    const departmentId = departments.some((d) => d.id === q.department) ? q.department : undefined;
    const role = (ROLES as readonly string[]).includes(q.role ?? '') ? (q.role as Role) : undefined;
    const status = q.status === 'active' || q.status === 'inactive' ? q.status : 'all';
    const search = (q.q ?? '').trim().slice(0, 64) || undefined;
    const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const rows = await searchUsers(app.db, {
      departmentId,
      role,
      active: status === 'all' ? undefined : status === 'active',
      q: search,
      limit: PAGE_SIZE + 1,
      offset: (page - 1) * PAGE_SIZE,
    });
    const shown = rows.slice(0, PAGE_SIZE);
    const pooled = await inPool(
      app.db,
      shown.map((u) => u.id),
    );
    const href = (p: number) => {
      const u = new URLSearchParams();
      if (departmentId) u.set('department', departmentId);
      if (role) u.set('role', role);
      if (status !== 'all') u.set('status', status);
      if (search) u.set('q', search);
      u.set('page', String(p));
      return `/admin/users?${u}`;
    };
    return app.renderPage(
      reply,
      'admin-users.hbs',
      {
        title: '用户与角色 · 系统管理',
        headExtra: ADMIN_HEAD,
        tabs: adminTabs('/admin/users'),
        users: shown.map((u) => ({
          ...u,
          in_pool: pooled.has(u.id),
          roleNames: u.roles.map((r) => ROLE_LABELS[r]).join('、'),
          kindLabel: u.roles.includes('reviewer') ? REVIEWER_KIND_LABELS[u.reviewer_kind ?? 'staff'] : null,
        })),
        departments,
        roles: ROLES.map((code) => ({ code, label: ROLE_LABELS[code] })),
        filters: { departmentId, role, status, q: search },
        page,
        prevHref: page > 1 ? href(page - 1) : null,
        nextHref: rows.length > PAGE_SIZE ? href(page + 1) : null,
        flash: q.saved === 'created' ? { kind: 'ok', text: '已新增用户。' } : undefined,
      },
      actor,
    );
  });

  async function newUserPage(
    reply: FastifyReply,
    actor: Actor,
    values: Record<string, unknown>,
    errors: FieldErrors,
    selectedRoles: readonly string[],
  ) {
    return app.renderPage(
      reply,
      'admin-user-form.hbs',
      {
        title: '新增用户 · 系统管理',
        creating: true,
        action: '/admin/users',
        headExtra: ADMIN_HEAD,
        tabs: adminTabs('/admin/users'),
        departments: await listDepartments(app.db),
        roles: roleOptions(selectedRoles),
        kinds: reviewerKindOptions((values.reviewerKind as string) ?? null),
        values,
        errors,
        hasErrors: Object.keys(errors).length > 0,
      },
      actor,
    );
  }

  app.get('/admin/users/new', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const q = request.query as Record<string, string | undefined>;
    return newUserPage(reply, actor, { departmentId: q.department ?? '' }, {}, []);
  });

  app.post('/admin/users', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const body = request.body as FormBody;
    const errors: FieldErrors = {};
    const { values, reviewerKind, certificate, legalQualification, firstTimeReviewer } = parseProfile(body, errors);
    const departmentId = field(body, 'departmentId');
    const username = field(body, 'username');
    const password = typeof body.password === 'string' ? body.password : '';
    if (!UUID.test(departmentId)) errors.departmentId = '请选择所属机关';
    if (!/^[a-zA-Z0-9_.-]{2,64}$/.test(username)) errors.username = '用户名为 2 到 64 位字母、数字、点、下划线或连字符';
    const pwd = passwordProblem(password, typeof body.password2 === 'string' ? body.password2 : '');
    if (pwd) errors.password = pwd;
    const shown = { ...values, departmentId, username };
    if (Object.keys(errors).length === 0) {
      try {
        await createUser(app.db, {
          departmentId,
          username,
          displayName: values.displayName,
          password,
          roles: values.roles,
          certificate: certificate ?? undefined,
          reviewerKind: reviewerKind ?? undefined,
          position: values.position || null,
          legalQualification,
          firstTimeReviewer,
        });
        return reply.redirect(`/admin/users?saved=created&q=${encodeURIComponent(username.toLowerCase())}`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
        if (statusOf(err) === 409) errors.username = err.message;
        else if (err.message.includes('机关')) errors.departmentId = err.message;
        else errors.form = err.message;
      }
    }
    reply.status(400);
    return newUserPage(reply, actor, shown, errors, values.roles);
  });

  await app.register(userEditPages);
};
