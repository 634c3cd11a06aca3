import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../http/errors.js';
import { compileViews, PUBLIC_CACHE } from '../http/view-engine.js';
import { UUID } from '../infra/ids.js';
import { catalogueDiffHtml } from './diff-html.js';
import { listRequests } from './queries.js';

const render = compileViews(new URL('./public-views/', import.meta.url));

/**
 * The portal's history of a department's review catalogue and flows: every version that took effect (approved
 * by a second legal admin, or deployed by operators), who proposed and approved it, and the item-level diff.
 * Pending and rejected proposals are internal and not shown.
 */
export const governancePublicPages: FastifyPluginAsync = async (app) => {
  app.get('/public/agencies/:id/catalogue-history', { schema: { hide: true } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const agency = UUID.test(id)
      ? await app.db.selectFrom('departments').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
      : undefined;
    if (!agency) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
    const rows = await listRequests(app.db, { departmentId: id, statuses: ['approved', 'direct'], limit: 200 });
    const changes = rows.map((r) => ({
      name: r.name,
      version: r.version,
      direct: r.status === 'direct',
      submittedBy: r.submitted_by_name ?? '',
      decidedBy: r.decided_by_name ?? '',
      submittedAt: r.submitted_at,
      decidedAt: r.decided_at,
      changeNote: r.change_note,
      first: r.base_version === null,
      catalogueDiff: catalogueDiffHtml(r.catalogue_diff),
    }));
    const title = `${agency.name} · 流程与目录清单变更记录`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', PUBLIC_CACHE)
      .send(
        app.publicityViews.wrap(render('public-catalogue-history', { agency: agency.name, agencyId: id, changes }), {
          title,
        }),
      );
  });
};
