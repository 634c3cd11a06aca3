import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Actor } from '../identity/service.js';
import { REMEDY_FIELDS } from './fields.js';
import { importPages } from './import-pages.js';
import { itemPages } from './item-pages.js';
import { BASE, formErrors, formFields, formValues, HEAD, profileTabs, ROLES, VIEW } from './page-helpers.js';
import { LIST_SECTIONS } from './sections.js';
import { getRemedies, profileOverview, REMEDY_DEFAULTS, saveRemedies } from './service.js';

const SECTION_LABELS: Record<string, string> = {
  powers: '职权事项清单',
  remedies: '救济途径',
  service_guides: '办事指南',
  inspection_items: '随机抽查事项清单',
};
const ACTION_LABELS: Record<string, string> = { created: '新增', updated: '修改', deleted: '删除', imported: '导入' };

/** The legal unit's pages for what its agency discloses before enforcement (事前公开), under /publicity/profile. */
export const agencyProfilePages: FastifyPluginAsync = async (app) => {
  app.get(BASE, { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const { counts, changes } = await profileOverview(app.agencyProfile, actor.departmentId);
    const cards = [
      ...LIST_SECTIONS.map((s) => ({
        href: `${BASE}/${s.slug}`,
        title: s.title,
        figure: `${counts[s.section]} 项`,
        empty: counts[s.section] === 0,
      })),
      {
        href: `${BASE}/remedies`,
        title: '救济途径',
        figure: counts.remedies ? '已填写' : '未填写',
        empty: !counts.remedies,
      },
    ];
    return app.renderPage(
      reply,
      VIEW('profile-overview'),
      {
        title: '事前公开',
        headExtra: HEAD,
        tabs: profileTabs(BASE),
        cards,
        publicHref: `/public/agencies/${actor.departmentId}`,
        changes: changes.map((c) => ({
          ...c,
          sectionLabel: SECTION_LABELS[c.section],
          actionLabel: ACTION_LABELS[c.action],
        })),
      },
      actor,
    );
  });

  async function remediesPage(
    reply: FastifyReply,
    actor: Actor,
    input: { values: Record<string, unknown>; errors?: Record<string, string>; message?: string; saved?: boolean },
    meta?: { updatedAt: string; updatedByName: string | null } | null,
  ) {
    return app.renderPage(
      reply,
      VIEW('profile-form'),
      {
        title: '救济途径 · 事前公开',
        headExtra: HEAD,
        tabs: profileTabs(`${BASE}/remedies`),
        heading: '救济途径',
        intro:
          '当事人对本机关行政执法决定不服的，可以申请行政复议或者提起行政诉讼。此处填写的内容在公示平台上向社会公开；期限已按《中华人民共和国行政复议法》《中华人民共和国行政诉讼法》预填，如有特别规定请修改。',
        action: `${BASE}/remedies`,
        cancel: BASE,
        fields: formFields(REMEDY_FIELDS, input.values, input.errors),
        error: input.message,
        flash: input.saved ? { kind: 'ok', text: '已保存救济途径。' } : undefined,
        meta,
      },
      actor,
    );
  }

  app.get(`${BASE}/remedies`, { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const remedies = await getRemedies(app.agencyProfile, actor.departmentId);
    const saved = (request.query as { saved?: string }).saved === 'updated';
    return remediesPage(reply, actor, { values: remedies ?? REMEDY_DEFAULTS, saved }, remedies);
  });

  app.post(`${BASE}/remedies`, { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const values = formValues(request.body, REMEDY_FIELDS);
    try {
      await saveRemedies(app.agencyProfile, actor, actor.departmentId, values);
    } catch (err) {
      const refused = formErrors(err);
      if (!refused) throw err;
      reply.status(refused.status);
      return remediesPage(reply, actor, { values, errors: refused.errors, message: refused.message });
    }
    return reply.redirect(`${BASE}/remedies?saved=updated`, 303);
  });

  await app.register(itemPages);
  await app.register(importPages);
};
