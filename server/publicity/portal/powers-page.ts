import type { FastifyPluginAsync } from 'fastify';
import {
  POWER_CATEGORIES,
  POWER_CATEGORY_LABELS,
  type PowerCategory,
  publicPowers,
} from '../../agency-profile/public.js';
import { AppError } from '../../http/errors.js';
import { UUID } from '../../http/schemas.js';
import { PUBLIC_CACHE } from '../../http/view-engine.js';
import { findAgency } from './search.js';
import { sendPage } from './views.js';

const PAGE_SIZE = 50;

/**
 * 职权事项清单, paged and searchable (an agency may list thousands of powers; its own page summarises them).
 * Bad query parameters are ignored, as on the decision search page.
 */
export const powersPage: FastifyPluginAsync = async (app) => {
  app.get('/public/agencies/:id/powers', { schema: { hide: true } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const agency = UUID.test(id) ? await findAgency(app.db, id) : undefined;
    if (!agency) throw new AppError(404, 'NOT_FOUND', '执法机关不存在');
    const raw = request.query as Record<string, string | undefined>;
    const query = {
      q: (raw.q ?? '').trim().slice(0, 100) || undefined,
      category: POWER_CATEGORIES.includes(raw.category as PowerCategory) ? (raw.category as PowerCategory) : undefined,
      page: Math.min(1000, Math.max(1, Number.parseInt(raw.page ?? '1', 10) || 1)),
    };
    const { items, total } = await publicPowers(app.db, id, { ...query, pageSize: PAGE_SIZE });
    const pages = Math.ceil(total / PAGE_SIZE);
    const link = (page: number) => {
      const p = new URLSearchParams();
      if (query.q) p.set('q', query.q);
      if (query.category) p.set('category', query.category);
      p.set('page', String(page));
      return p.toString();
    };
    return sendPage(
      reply,
      app.publicityViews.page('public-powers', {
        title: `${agency.name} · 职权事项清单`,
        agency: { id: agency.id, name: agency.name },
        query,
        categories: POWER_CATEGORIES.map((value) => ({ value, label: POWER_CATEGORY_LABELS[value] })),
        items: items.map((p) => ({ ...p, categoryLabel: POWER_CATEGORY_LABELS[p.category as PowerCategory] })),
        total,
        pages,
        prev: query.page > 1 ? link(query.page - 1) : null,
        next: query.page < pages ? link(query.page + 1) : null,
      }),
      PUBLIC_CACHE,
    );
  });
};
