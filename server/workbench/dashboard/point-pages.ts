import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import {
  MAX_OWN_POINTS,
  pointListChanges,
  pointListFrom,
  pointListsOf,
  savePointList,
} from '../../cases/point-lists.js';
import { OPTIONAL_POINTS, REVIEW_POINTS, resolvePoints } from '../../cases/review-points.js';
import { getDepartmentCatalogue } from '../../catalogue/service.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../identity/service.js';
import { type FormBody, field } from '../admin/forms.js';

const labelOf = (key: string) => REVIEW_POINTS.find((p) => p.key === key)?.label ?? key;

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** 审核要点: the 118号 defaults, the department's own points, and those of single catalogue items. */
export const pointPages: FastifyPluginAsync = async (app) => {
  async function page(reply: FastifyReply, actor: Actor, flash?: { kind: string; text: string }) {
    const lists = await pointListsOf(app.db, actor.departmentId);
    const own = lists.get('') ?? { points: [], omitted: [] };
    const catalogue = await getDepartmentCatalogue({ db: app.db, cache: app.runtime.cache }, actor.departmentId).catch(
      () => null,
    );
    const codes = new Set([...(catalogue?.items.map((i) => i.code) ?? []), ...[...lists.keys()].filter(Boolean)]);
    const items = [...codes].map((code) => {
      const item = catalogue?.items.find((i) => i.code === code);
      const list = lists.get(code);
      return {
        code,
        name: item?.name ?? '（目录中已无此事项）',
        text: (list?.points ?? []).map((p) => p.label).join('\n'),
        omitsOther: list?.omitted.includes('other') ?? false,
        points: resolvePoints(own, list),
      };
    });
    return app.renderPage(
      reply,
      'legal-review-points.hbs',
      {
        title: '审核要点 · 法制机构',
        defaults: REVIEW_POINTS.map((p, i) => ({
          no: i + 1,
          ...p,
          optional: OPTIONAL_POINTS.includes(p.key),
          omitted: own.omitted.includes(p.key),
        })),
        ownText: own.points.map((p) => p.label).join('\n'),
        points: resolvePoints(own).map((p, i) => ({ no: i + 1, ...p })),
        items,
        changes: (await pointListChanges(app.db, actor.departmentId, 20)).map((c) => ({
          at: c.changedAt,
          by: c.changedBy,
          what: c.itemCode ? `目录事项 ${c.itemCode}` : '本机关清单',
          list:
            [...c.points.map((p) => p.label), ...c.omitted.map((k) => `不设“${labelOf(k)}”`)].join('；') ||
            (c.itemCode ? '取消另加要点' : '仅默认要点'),
        })),
        max: MAX_OWN_POINTS,
        flash,
      },
      actor,
    );
  }

  app.get('/legal/review-points', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['legal_admin']);
    if (!actor) return reply;
    const saved = (request.query as Record<string, string | undefined>).saved;
    return page(
      reply,
      actor,
      saved ? { kind: 'ok', text: '审核要点已保存，此后签署的审核意见按新清单填写。' } : undefined,
    );
  });

  app.post(
    '/legal/review-points',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['legal_admin']);
      if (!actor) return reply;
      const body = request.body as FormBody;
      const itemCode = field(body, 'itemCode');
      try {
        if (itemCode && !/^[A-Za-z0-9_-]{1,40}$/.test(itemCode)) {
          throw new AppError(400, 'VALIDATION_FAILED', '目录事项编号不合法');
        }
        const omitted = field(body, 'omitOther') === 'on' ? ['other'] : [];
        const list = pointListFrom(lines(field(body, 'points')), omitted);
        await savePointList(app.db, actor.departmentId, itemCode, list, actor.id);
        return reply.redirect('/legal/review-points?saved=1', 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
        reply.status(err.statusCode);
        return page(reply, actor, { kind: 'error', text: `未能保存：${err.message}` });
      }
    },
  );
};
