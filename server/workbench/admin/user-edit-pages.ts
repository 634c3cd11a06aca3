import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../../http/errors.js';
import { UUID } from '../../http/schemas.js';
import { resetPassword, setUserActive, updateUserProfile } from '../../identity/accounts.js';
import { userForEdit } from '../../identity/directory.js';
import type { Actor } from '../../identity/service.js';
import { assignUserUnit, listUnits } from '../../identity/units.js';
import { type FieldErrors, type FormBody, parseProfile, passwordProblem } from './forms.js';
import { ADMIN_HEAD, adminTabs, reviewerKindOptions, roleOptions } from './tabs.js';

type EditedUser = NonNullable<Awaited<ReturnType<typeof userForEdit>>>;

const FLASH: Record<string, string> = {
  profile: '已保存用户信息与角色。',
  deactivated: '已停用该用户，其登录会话已全部失效。',
  activated: '已重新启用该用户。',
  password: '已重置密码，该用户需用新密码重新登录。',
};

/** One user's page: profile and roles, deactivation, password reset. */
export const userEditPages: FastifyPluginAsync = async (app) => {
  async function load(id: string): Promise<EditedUser> {
    const user = UUID.test(id) ? await userForEdit(app.db, id) : undefined;
    if (!user) throw new AppError(404, 'NOT_FOUND', '用户不存在');
    return user;
  }

  async function page(
    reply: FastifyReply,
    actor: Actor,
    user: EditedUser,
    opts: { values?: Record<string, unknown>; errors?: FieldErrors; passwordError?: string; flash?: string } = {},
  ) {
    const values = opts.values ?? {
      displayName: user.display_name,
      roles: user.roles,
      reviewerKind: user.reviewer_kind ?? '',
      position: user.position ?? '',
      unitId: user.unit_id ?? '',
      certNumber: user.certificate_number ?? '',
      certDomain: user.certificate_domain ?? '',
      certFrom: user.certificate_valid_from ?? '',
      certUntil: user.certificate_valid_until ?? '',
      qualNumber: user.legal_qualification_number ?? '',
      qualDate: user.legal_qualification_date ?? '',
      firstTime: user.first_time_reviewer ? '1' : '',
    };
    const errors = opts.errors ?? {};
    const units = (await listUnits(app.db, user.department_id)).map((u) => ({
      id: u.id,
      label: `${u.name}（${u.kindLabel}）`,
      selected: u.id === values.unitId,
    }));
    return app.renderPage(
      reply,
      'admin-user-form.hbs',
      {
        title: `${user.display_name} · 用户与角色`,
        headExtra: ADMIN_HEAD,
        tabs: adminTabs('/admin/users'),
        user,
        action: `/admin/users/${user.id}`,
        self: user.id === actor.id,
        values,
        errors,
        hasErrors: Object.keys(errors).length > 0,
        passwordError: opts.passwordError,
        roles: roleOptions((values.roles as string[]) ?? []),
        kinds: reviewerKindOptions((values.reviewerKind as string) || null),
        units,
        flash: opts.flash
          ? { kind: opts.flash === 'error' ? 'error' : 'ok', text: FLASH[opts.flash] ?? opts.flash }
          : undefined,
      },
      actor,
    );
  }

  app.get('/admin/users/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const user = await load((request.params as { id: string }).id);
    const saved = (request.query as Record<string, string | undefined>).saved;
    return page(reply, actor, user, { flash: saved && saved in FLASH ? saved : undefined });
  });

  app.post('/admin/users/:id', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const user = await load((request.params as { id: string }).id);
    const errors: FieldErrors = {};
    const body = request.body as FormBody;
    const { values, reviewerKind, certificate, legalQualification, firstTimeReviewer } = parseProfile(body, errors);
    const unitId = typeof body.unitId === 'string' && UUID.test(body.unitId) ? body.unitId : null;
    // An administrator cannot take away their own way back into this page.
    if (user.id === actor.id && !values.roles.includes('admin')) errors.roles = '不能取消本人的系统管理员角色';
    if (Object.keys(errors).length) {
      reply.status(400);
      return page(reply, actor, user, { values: { ...values, unitId: unitId ?? '' }, errors });
    }
    await assignUserUnit(app.db, user.id, unitId);
    await updateUserProfile(app.db, user.id, {
      displayName: values.displayName,
      roles: values.roles,
      reviewerKind,
      position: values.position || null,
      certificate,
      legalQualification,
      firstTimeReviewer,
    });
    return reply.redirect(`/admin/users/${user.id}?saved=profile`, 303);
  });

  app.post(
    '/admin/users/:id/active',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const user = await load((request.params as { id: string }).id);
      const active = (request.body as FormBody).active === '1';
      await setUserActive(app.db, actor, user.id, active, app.clock.now());
      return reply.redirect(`/admin/users/${user.id}?saved=${active ? 'activated' : 'deactivated'}`, 303);
    },
  );

  app.post(
    '/admin/users/:id/password',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const user = await load((request.params as { id: string }).id);
      const body = request.body as FormBody;
      const password = typeof body.password === 'string' ? body.password : '';
      const problem = passwordProblem(password, typeof body.password2 === 'string' ? body.password2 : '');
      if (problem) {
        reply.status(400);
        return page(reply, actor, user, { passwordError: problem });
      }
      await resetPassword(app.db, actor, user.id, password, app.clock.now());
      return reply.redirect(`/admin/users/${user.id}?saved=password`, 303);
    },
  );
};
