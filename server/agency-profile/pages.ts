import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../http/errors.js';
import type { Actor } from '../identity/service.js';
import { REMEDY_FIELDS } from './fields.js';
import { IMPORT_HEADER, importPowers, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, powersCsv } from './import.js';
import { itemPages } from './item-pages.js';
import { BASE, formErrors, formFields, formValues, HEAD, profileTabs, ROLES, VIEW } from './page-helpers.js';
import * as q from './queries.js';
import { LIST_SECTIONS } from './sections.js';
import { getRemedies, profileOverview, REMEDY_DEFAULTS, saveRemedies } from './service.js';
import { POWER_CATEGORY_LABELS } from './tables.js';

const SECTION_LABELS: Record<string, string> = {
  powers: '职权事项清单',
  remedies: '救济途径',
  service_guides: '办事指南',
  inspection_items: '随机抽查事项清单',
};
const ACTION_LABELS: Record<string, string> = { created: '新增', updated: '修改', deleted: '删除', imported: '导入' };

interface Upload {
  _csrf?: string;
  mode?: string;
  content?: string;
  file?: Buffer;
  fileName?: string;
  uploadError?: string;
}

/** Reads the import form (a file, or pasted text) into request.body before the CSRF check looks for `_csrf` there. */
async function readUpload(request: FastifyRequest) {
  if (!request.isMultipart()) return;
  const body: Upload = {};
  try {
    for await (const part of request.parts({ limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 10 } })) {
      if (part.type === 'file') {
        const buffer = await part.toBuffer();
        if (buffer.length > 0) {
          body.file = buffer;
          body.fileName = part.filename;
        }
      } else if (part.fieldname === '_csrf' || part.fieldname === 'mode' || part.fieldname === 'content') {
        body[part.fieldname] = String(part.value ?? '');
      }
    }
  } catch (err) {
    if ((err as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
    body.uploadError = `文件不能超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB`;
  }
  request.body = body;
}

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

  function importPage(reply: FastifyReply, actor: Actor, form: Record<string, unknown>) {
    return app.renderPage(
      reply,
      VIEW('profile-import'),
      {
        title: '导入职权事项清单 · 事前公开',
        headExtra: HEAD,
        tabs: profileTabs(`${BASE}/powers`),
        header: IMPORT_HEADER.join(','),
        categories: Object.values(POWER_CATEGORY_LABELS).join('、'),
        maxRows: MAX_IMPORT_ROWS,
        maxMb: MAX_IMPORT_BYTES / 1024 / 1024,
        form,
      },
      actor,
    );
  }

  app.get(`${BASE}/powers/import`, { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    return importPage(reply, actor, { mode: 'merge' });
  });

  app.post(
    `${BASE}/powers/import`,
    { schema: { hide: true }, preHandler: [readUpload, app.csrfProtection] },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      const body = (request.body ?? {}) as Upload;
      const mode = body.mode === 'replace' ? 'replace' : 'merge';
      try {
        if (body.uploadError) throw new AppError(413, 'PAYLOAD_TOO_LARGE', body.uploadError);
        const content = body.file ?? body.content ?? '';
        if (!content.length || !content.toString().trim()) {
          throw new AppError(400, 'VALIDATION_FAILED', '请选择 CSV 文件或粘贴清单内容');
        }
        const r = await importPowers(app.agencyProfile, actor, actor.departmentId, content, mode);
        const qs = new URLSearchParams({
          saved: 'imported',
          ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])),
        });
        return reply.redirect(`${BASE}/powers?${qs}`, 303);
      } catch (err) {
        const refused = formErrors(err);
        if (!refused) throw err;
        reply.status(refused.status);
        const problems = (err as AppError).details as { problems?: string[] } | undefined;
        return importPage(reply, actor, {
          mode,
          content: body.file ? undefined : body.content,
          error: body.fileName ? `${body.fileName}：${refused.message}` : refused.message,
          problems: problems?.problems,
        });
      }
    },
  );

  app.get(`${BASE}/powers/export.csv`, { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const rows = await q.listItems(app.db, 'agency_powers', actor.departmentId);
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-disposition',
        `attachment; filename="powers.csv"; filename*=UTF-8''${encodeURIComponent('职权事项清单.csv')}`,
      )
      .send(powersCsv(rows));
  });

  await app.register(itemPages);
};
