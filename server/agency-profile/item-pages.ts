import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../identity/service.js';
import type { FieldErrors } from './fields.js';
import {
  BASE,
  flashOf,
  formErrors,
  formFields,
  formValues,
  HEAD,
  itemId,
  profileTabs,
  ROLES,
  shorten,
  VIEW,
} from './page-helpers.js';
import { LIST_SECTIONS, type ListSection, POWERS } from './sections.js';
import {
  createSectionItem,
  deleteSectionItem,
  getSectionItem,
  listSectionItems,
  searchPowers,
  updateSectionItem,
} from './service.js';
import { POWER_CATEGORIES, POWER_CATEGORY_LABELS, type PowerCategory } from './vocabulary.js';

const POWERS_PAGE = 100;
type Item = Record<string, unknown> & { id: string };

/** One page of the list: all items, or for powers (hundreds of them) a filtered page. */
async function listData(app: Parameters<FastifyPluginAsync>[0], section: ListSection, actor: Actor, query: unknown) {
  const ctx = app.agencyProfile;
  if (section !== POWERS) {
    return { items: (await listSectionItems<Item>(ctx, section, actor.departmentId)) as unknown as Item[] };
  }
  const raw = query as Record<string, string | undefined>;
  const filter = {
    q: (raw.q ?? '').trim().slice(0, 100) || undefined,
    category: (POWER_CATEGORIES as readonly string[]).includes(raw.category ?? '')
      ? (raw.category as PowerCategory)
      : undefined,
  };
  const page = Math.min(1000, Math.max(1, Number.parseInt(raw.page ?? '1', 10) || 1));
  const result = await searchPowers(ctx, actor.departmentId, {
    ...filter,
    limit: POWERS_PAGE,
    offset: (page - 1) * POWERS_PAGE,
  });
  const href = (p: number) =>
    `${BASE}/powers?${new URLSearchParams({ ...(filter.q && { q: filter.q }), ...(filter.category && { category: filter.category }), page: String(p) })}`;
  return {
    items: result.items as unknown as Item[],
    filter,
    categories: POWER_CATEGORIES.map((c) => ({
      value: c,
      label: POWER_CATEGORY_LABELS[c],
      selected: c === filter.category,
    })),
    prevHref: page > 1 ? href(page - 1) : null,
    nextHref: result.hasMore ? href(page + 1) : null,
  };
}

/** The workbench pages of a list section: list, add, edit, delete with a confirmation page. */
export const itemPages: FastifyPluginAsync = async (app) => {
  for (const section of LIST_SECTIONS) {
    const home = `${BASE}/${section.slug}`;
    const columns = section.columns.map((key) => ({
      key,
      label: key === 'categoryLabel' ? '类别' : (section.fields.find((f) => f.key === key)?.label ?? key),
    }));

    const formPage = (
      reply: FastifyReply,
      actor: Actor,
      input: { id?: string; values: Record<string, unknown>; errors?: FieldErrors; message?: string },
    ) =>
      app.renderPage(
        reply,
        VIEW('profile-form'),
        {
          title: `${input.id ? '修改' : '新增'}${section.noun} · 事前公开`,
          headExtra: HEAD,
          tabs: profileTabs(home),
          heading: `${input.id ? '修改' : '新增'}${section.noun}`,
          action: input.id ? `${home}/${input.id}` : home,
          cancel: home,
          fields: formFields(section.fields, input.values, input.errors),
          error: input.message,
        },
        actor,
      );

    app.get(home, { schema: { hide: true } }, async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      const data = await listData(app, section, actor, request.query);
      return app.renderPage(
        reply,
        VIEW('profile-list'),
        {
          title: `${section.title} · 事前公开`,
          headExtra: HEAD,
          tabs: profileTabs(home),
          section: { ...section, isPowers: section === POWERS },
          home,
          columns,
          ...data,
          rows: data.items.map((item) => ({
            id: item.id,
            label: section.summary(item as never),
            updatedAt: item.updatedAt,
            updatedByName: item.updatedByName,
            cells: columns.map((c) => ({
              text: shorten(item[c.key] as string | null),
              code: c.key === 'code',
            })),
          })),
          flash: flashOf(request, section.noun),
        },
        actor,
      );
    });

    app.get(`${home}/new`, { schema: { hide: true } }, async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      return formPage(reply, actor, { values: {} });
    });

    app.post(home, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      const values = formValues(request.body, section.fields);
      try {
        await createSectionItem(app.agencyProfile, actor, section, actor.departmentId, values);
      } catch (err) {
        const refused = formErrors(err);
        if (!refused) throw err;
        reply.status(refused.status);
        return formPage(reply, actor, { values, errors: refused.errors, message: refused.message });
      }
      return reply.redirect(`${home}?saved=created`, 303);
    });

    app.get(`${home}/:itemId/edit`, { schema: { hide: true } }, async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      const item = await getSectionItem<Item>(app.agencyProfile, section, actor.departmentId, idOf(request, section));
      return formPage(reply, actor, { id: String(item.id), values: item });
    });

    app.post(`${home}/:itemId`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      const id = idOf(request, section);
      const values = formValues(request.body, section.fields);
      try {
        await updateSectionItem(app.agencyProfile, actor, section, actor.departmentId, id, values);
      } catch (err) {
        const refused = formErrors(err);
        if (!refused) throw err;
        reply.status(refused.status);
        return formPage(reply, actor, { id, values, errors: refused.errors, message: refused.message });
      }
      return reply.redirect(`${home}?saved=updated`, 303);
    });

    app.get(`${home}/:itemId/delete`, { schema: { hide: true } }, async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      const item = await getSectionItem<Item>(app.agencyProfile, section, actor.departmentId, idOf(request, section));
      return app.renderPage(
        reply,
        VIEW('profile-delete'),
        {
          title: `删除${section.noun} · 事前公开`,
          headExtra: HEAD,
          tabs: profileTabs(home),
          noun: section.noun,
          label: section.summary(item as never),
          action: `${home}/${String(item.id)}/delete`,
          cancel: home,
          details: section.fields
            .filter((f) => f.kind !== 'order')
            .map((f) => ({
              label: f.label,
              value: f.kind === 'category' ? item.categoryLabel : (item[f.key] as string | null),
            })),
        },
        actor,
      );
    });

    app.post(
      `${home}/:itemId/delete`,
      { schema: { hide: true }, preHandler: app.csrfProtection },
      async (request, reply) => {
        const actor = await app.pageActor(request, reply, ROLES);
        if (!actor) return reply;
        await deleteSectionItem(app.agencyProfile, actor, section, actor.departmentId, idOf(request, section));
        return reply.redirect(`${home}?saved=deleted`, 303);
      },
    );
  }
};

function idOf(request: FastifyRequest, section: ListSection) {
  return itemId(request, section.noun);
}
