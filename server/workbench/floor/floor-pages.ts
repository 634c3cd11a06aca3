import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { setPoolScope } from '../../cases/pool.js';
import { poolSettings } from '../../cases/reads.js';
import { catalogueGaps } from '../../catalogue/coverage.js';
import { addFloorItem, listFloor, removeFloorItem, updateFloorItem } from '../../catalogue/floor.js';
import { CATEGORIES, CATEGORY_LABELS, type CatalogueCategory } from '../../catalogue/vocabulary.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../identity/service.js';
import { type FormBody, field, fields } from '../admin/forms.js';

const KEEPERS = ['supervisor', 'admin'] as const;
const PATH = '/supervisor/review-floor';

const FLASH: Record<string, string> = {
  updated: '已保存底线目录事项，此后送审的案件按新的设置判定。',
  added: '已增设底线目录事项，适用于全市各执法机关。',
  removed: '已删除增设的底线目录事项。',
  citywide: '已开启人才库全市调用：各机关可借调其他执法系统的人才库成员。',
  system: '已恢复人才库本系统内调用。',
};

/**
 * 全市法制审核底线目录 (the justice bureau's page): the floor every department's cases are judged by, the pool's
 * scope (本系统内 or city-wide), and the departments whose own catalogue covers none of a category they hold powers in.
 */
export const floorPages: FastifyPluginAsync = async (app) => {
  async function page(reply: FastifyReply, actor: Actor, flash?: { kind: 'ok' | 'error'; text: string }) {
    const [floor, settings, gaps] = await Promise.all([
      listFloor(app.db),
      poolSettings(app.db),
      catalogueGaps({ db: app.db, cache: app.runtime.cache }),
    ]);
    return app.renderPage(
      reply,
      'review-floor.hbs',
      {
        title: '全市法制审核底线目录',
        floor: floor.map((f) => ({
          ...f,
          categoryLabels: f.categories.map((c) => CATEGORY_LABELS[c]).join('、'),
        })),
        categories: CATEGORIES.map((code) => ({ code, label: CATEGORY_LABELS[code] })),
        citywide: settings?.citywide ?? false,
        settingsBy: settings?.updated_by_name ?? null,
        settingsAt: settings?.updated_at ?? null,
        gaps: gaps.map((g) => ({ ...g, missingLabels: g.missing.map((m) => m.label).join('、') })),
        flash,
      },
      actor,
    );
  }

  /** Runs a change; a refusal (4xx) is shown on the page instead of an error page. */
  async function attempt(reply: FastifyReply, actor: Actor, saved: string, change: () => Promise<unknown>) {
    try {
      await change();
    } catch (e) {
      if (e instanceof AppError && e.statusCode < 500) {
        reply.status(e.statusCode);
        return page(reply, actor, { kind: 'error', text: e.message });
      }
      throw e;
    }
    return reply.redirect(`${PATH}?saved=${saved}`, 303);
  }

  app.get(PATH, { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, KEEPERS);
    if (!actor) return reply;
    const saved = (request.query as Record<string, string | undefined>).saved ?? '';
    return page(reply, actor, FLASH[saved] ? { kind: 'ok', text: FLASH[saved] } : undefined);
  });

  app.post(
    `${PATH}/items/:code`,
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, KEEPERS);
      if (!actor) return reply;
      const body = request.body as FormBody;
      const code = (request.params as { code: string }).code;
      return attempt(reply, actor, 'updated', () =>
        updateFloorItem(app.db, actor.id, code, {
          reviewWorkingDays: Number(field(body, 'reviewWorkingDays')),
          basis: field(body, 'basis') || null,
        }),
      );
    },
  );

  app.post(`${PATH}/items`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, KEEPERS);
    if (!actor) return reply;
    const body = request.body as FormBody;
    const code = field(body, 'code');
    return attempt(reply, actor, 'added', async () => {
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(code)) {
        throw new AppError(400, 'VALIDATION_FAILED', '事项编号为 1 到 32 位字母、数字、下划线或连字符');
      }
      return addFloorItem(app.db, actor.id, {
        code,
        situation: field(body, 'situation').slice(0, 100),
        condition: field(body, 'condition').slice(0, 500),
        categories: fields(body, 'categories').filter((c): c is CatalogueCategory =>
          (CATEGORIES as string[]).includes(c),
        ),
        reviewWorkingDays: Number(field(body, 'reviewWorkingDays')),
        basis: field(body, 'basis').slice(0, 300) || null,
      });
    });
  });

  app.post(
    `${PATH}/items/:code/remove`,
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, KEEPERS);
      if (!actor) return reply;
      const code = (request.params as { code: string }).code;
      return attempt(reply, actor, 'removed', () => removeFloorItem(app.db, code));
    },
  );

  app.post(`${PATH}/pool`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, KEEPERS);
    if (!actor) return reply;
    const citywide = field(request.body as FormBody, 'citywide') === '1';
    await setPoolScope(app.db, citywide, actor.id);
    return reply.redirect(`${PATH}?saved=${citywide ? 'citywide' : 'system'}`, 303);
  });
};
