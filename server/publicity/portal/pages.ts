import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../http/errors.js';
import { UUID } from '../../http/schemas.js';
import { PUBLIC_CACHE } from '../../http/view-engine.js';
import { latestCheckpoint } from '../../records/reads.js';
import { publicStatisticsPage } from '../statistics/pages.js';
import { agencyPage } from './agency.js';
import { CATEGORY_LABELS, decisionsAtom } from './exports.js';
import { searchFrom } from './public-routes.js';
import { findPublished, findWithdrawn, listAgencies, listWithdrawn, searchPublished } from './search.js';
import { sendPage } from './views.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PAGE = 20;

type Category = keyof typeof CATEGORY_LABELS & ('licensing' | 'penalty' | 'coercion' | 'levy' | 'inspection');

/** Query parameters of the search page, kept only when well-formed (a bad one is ignored, not an error). */
function cleanQuery(raw: Record<string, string | undefined>) {
  const text = (v?: string) => (v ?? '').trim().slice(0, 100) || undefined;
  return {
    q: text(raw.q),
    party: text(raw.party),
    agency: raw.agency && UUID.test(raw.agency) ? raw.agency : undefined,
    category: raw.category && raw.category in CATEGORY_LABELS ? (raw.category as Category) : undefined,
    from: raw.from && DATE.test(raw.from) ? raw.from : undefined,
    to: raw.to && DATE.test(raw.to) ? raw.to : undefined,
    page: Math.min(500, Math.max(1, Number.parseInt(raw.page ?? '1', 10) || 1)),
  };
}

function qs(values: Record<string, string | number | undefined>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') p.set(k, String(v));
  return p.toString();
}

/** The public portal (/public): no login, Simplified Chinese, cacheable for a minute. */
export const portalPages: FastifyPluginAsync = async (app) => {
  const views = app.publicityViews;

  app.get('/public', { schema: { hide: true } }, async (_request, reply) => {
    const [agencies, latest, checkpoint] = await Promise.all([
      listAgencies(app.db),
      searchPublished(app.db, { limit: 10, offset: 0 }),
      latestCheckpoint(app.db),
    ]);
    // The latest signed checkpoint of the whole-process record is published here, so a rewrite is caught against it.
    const published = checkpoint
      ? {
          treeSize: Number(checkpoint.tree_size),
          root: checkpoint.root,
          keyId: checkpoint.key_id,
          at: checkpoint.created_at,
        }
      : null;
    return sendPage(
      reply,
      views.page('public-index', { title: '首页', agencies, latest: latest.items, checkpoint: published }),
      PUBLIC_CACHE,
    );
  });

  app.get('/public/agencies/:id', { schema: { hide: true } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
    const profile = await agencyPage({ ...app.publicity, cache: app.runtime.cache }, id);
    return sendPage(reply, views.page('public-agency', { title: profile.agency.name, ...profile }), PUBLIC_CACHE);
  });

  app.get('/public/decisions', { schema: { hide: true } }, async (request, reply) => {
    const query = cleanQuery(request.query as Record<string, string | undefined>);
    const { page, ...filters } = query;
    const [agencies, result] = await Promise.all([
      listAgencies(app.db),
      searchPublished(app.db, searchFrom({ ...filters, limit: PAGE, offset: (page - 1) * PAGE })),
    ]);
    const base = { ...filters };
    return sendPage(
      reply,
      views.page('public-decisions', {
        title: '执法决定检索',
        query,
        agencies,
        categories: Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label })),
        items: result.items,
        queryString: qs(base),
        prev: page > 1 ? qs({ ...base, page: page - 1 }) : null,
        next: result.hasMore ? qs({ ...base, page: page + 1 }) : null,
      }),
      PUBLIC_CACHE,
    );
  });

  app.get('/public/decisions/:id', { schema: { hide: true } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const d = UUID.test(id) ? await findPublished(app.db, id) : null;
    if (!d) {
      // Withdrawn: the notice and its reason stay public (行政处罚法 art. 48(2)); the decision's text does not.
      const w = UUID.test(id) ? await findWithdrawn(app.db, id) : null;
      if (!w) throw new AppError(404, 'NOT_FOUND', '该决定未公开或已撤下');
      reply.status(410);
      return sendPage(
        reply,
        views.page('public-withdrawn', { title: `撤回说明：${w.decisionNumber}`, w }),
        PUBLIC_CACHE,
      );
    }
    return sendPage(reply, views.page('public-decision', { title: d.title, d }), PUBLIC_CACHE);
  });

  app.get('/public/withdrawals', { schema: { hide: true } }, async (_request, reply) => {
    const items = await listWithdrawn(app.db, { limit: 200, offset: 0 });
    return sendPage(reply, views.page('public-withdrawals', { title: '撤回说明', items }), PUBLIC_CACHE);
  });

  app.get('/public/feed.atom', { schema: { hide: true } }, async (request, reply) => {
    const { items } = await searchPublished(app.db, { limit: 50, offset: 0 });
    const base = `${request.protocol}://${request.host}`;
    const updated = Math.max(0, ...items.map((d) => Date.parse(d.publishedAt)));
    return reply
      .type('application/atom+xml; charset=utf-8')
      .header('cache-control', PUBLIC_CACHE)
      .send(decisionsAtom(base, items, new Date(updated)));
  });

  app.get('/public/statistics', { schema: { hide: true } }, async (request, reply) => {
    const data = await publicStatisticsPage(app.publicity, (request.query as { year?: string }).year);
    return sendPage(reply, views.page('public-statistics', data), PUBLIC_CACHE);
  });
};
