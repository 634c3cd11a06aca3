import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, statusOf } from '../http/errors.js';
import { readUploadForm } from '../http/form-upload.js';
import type { Actor } from '../identity/service.js';
import { DomainError } from '../infra/errors.js';
import { UUID } from '../infra/ids.js';
import {
  benchmarkCsv,
  EXAMPLE,
  HEADER,
  importBenchmark,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_LINES,
  VALUES_NOTE,
} from './csv-import.js';
import { type BenchmarkItemInput, basisText, type ItemErrors } from './model.js';
import { formView, itemFromForm } from './page-form.js';
import * as q from './queries.js';
import {
  benchmarkChanges,
  deleteBenchmarkItem,
  getBenchmarkItem,
  listBenchmark,
  saveBenchmarkItem,
} from './service.js';
import { CIRCUMSTANCE_LABELS, rangeText } from './vocabulary.js';

const HOME = '/legal/discretion';
const ROLES = ['legal_admin'] as const;
const VIEW = (name: string) => `../../discretion/views/${name}.hbs`;
const HEAD = `<link rel="stylesheet" href="/assets/stats.css"><style>
.discretion-table td.code{white-space:nowrap;font-family:ui-monospace,monospace}
.discretion-table ul.ranges{margin:0;padding-left:1em}
.discretion-form .wide{grid-column:1/-1}
.discretion-form table.ranges input{width:100%}
</style>`;
const ACTION_LABELS: Record<string, string> = { created: '新增', updated: '修改', deleted: '删除', imported: '导入' };
const FLASH: Record<string, string> = { created: '已新增事项。', updated: '已保存事项。', deleted: '已删除事项。' };

interface Upload {
  _csrf?: string;
  mode?: string;
  content?: string;
  file?: Buffer;
  fileName?: string;
  uploadError?: string;
}

const readUpload = readUploadForm<Upload>({
  maxFileBytes: MAX_IMPORT_BYTES,
  fields: ['mode', 'content'],
  tooLarge: `文件不能超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
  shape: ({ fields, file, uploadError }) => ({ ...fields, file: file?.content, fileName: file?.name, uploadError }),
});

/** A refusal the user fixes in the form (not 403/404/5xx): its status, message and field errors. */
function refusal(err: unknown): { status: number; message: string; fields: ItemErrors; problems?: string[] } | null {
  if (!(err instanceof DomainError)) return null;
  const status = statusOf(err);
  if (status >= 500 || status === 403 || status === 404) return null;
  const details = (err.details ?? {}) as { fields?: ItemErrors; problems?: string[] };
  return { status, message: err.message, fields: details.fields ?? {}, problems: details.problems };
}

function itemIdOf(request: FastifyRequest): string {
  const { itemId } = request.params as { itemId: string };
  if (!UUID.test(itemId)) throw new AppError(404, 'NOT_FOUND', '裁量基准事项不存在');
  return itemId;
}

/** The legal unit's pages for its 裁量基准 under /legal/discretion: list with history, edit, import, export. */
export const discretionPages: FastifyPluginAsync = async (app) => {
  const ctx = () => ({ db: app.db, clock: app.clock });

  app.get(HOME, { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const [items, changes] = await Promise.all([
      listBenchmark(ctx(), actor, actor.departmentId),
      benchmarkChanges(ctx(), actor, actor.departmentId, 20),
    ]);
    const saved = (request.query as { saved?: string; items?: string; created?: string }).saved;
    const qs = request.query as Record<string, string | undefined>;
    const flashText =
      saved === 'imported'
        ? `已导入 ${Number(qs.items) || 0} 项：新增 ${Number(qs.created) || 0} 项，更新 ${Number(qs.updated) || 0} 项${Number(qs.deleted) ? `，删除 ${Number(qs.deleted)} 项` : ''}。`
        : saved
          ? FLASH[saved]
          : undefined;
    return app.renderPage(
      reply,
      VIEW('discretion-list'),
      {
        title: '裁量基准 · 法制机构',
        headExtra: HEAD,
        home: HOME,
        flash: flashText ? { kind: 'ok', text: flashText } : undefined,
        items: items.map((i) => ({
          ...i,
          basis: basisText(i),
          ranges: i.ranges.map((r) => ({
            label: CIRCUMSTANCE_LABELS[r.circumstance],
            text: rangeText(r),
            note: r.note,
            exempt: r.kind === 'none',
          })),
        })),
        changes: changes.map((c) => ({ ...c, actionLabel: ACTION_LABELS[c.action] ?? c.action })),
      },
      actor,
    );
  });

  function formPage(
    reply: FastifyReply,
    actor: Actor,
    o: { id?: string; item: BenchmarkItemInput | null; errors?: ItemErrors; error?: string },
  ) {
    return app.renderPage(
      reply,
      VIEW('discretion-form'),
      {
        title: `${o.id ? '修改' : '新增'}裁量基准事项 · 法制机构`,
        headExtra: HEAD,
        heading: o.id ? '修改裁量基准事项' : '新增裁量基准事项',
        home: HOME,
        action: o.id ? `${HOME}/${o.id}/edit` : `${HOME}/new`,
        deleteAction: o.id ? `${HOME}/${o.id}/delete` : null,
        form: formView(o.item, o.errors),
        error: o.error,
      },
      actor,
    );
  }

  async function save(request: FastifyRequest, reply: FastifyReply, id?: string) {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const item = itemFromForm(request.body);
    try {
      await saveBenchmarkItem(ctx(), actor, actor.departmentId, item, id);
    } catch (err) {
      const refused = refusal(err);
      if (!refused) throw err;
      reply.status(refused.status);
      return formPage(reply, actor, { id, item, errors: refused.fields, error: refused.message });
    }
    return reply.redirect(`${HOME}?saved=${id ? 'updated' : 'created'}`, 303);
  }

  app.get(`${HOME}/new`, { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    return formPage(reply, actor, { item: null });
  });
  app.post(`${HOME}/new`, { schema: { hide: true }, preHandler: app.csrfProtection }, (request, reply) =>
    save(request, reply),
  );

  app.get(`${HOME}/import`, { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    return importPage(reply, actor, { mode: 'merge' });
  });

  app.get(`${HOME}/export.csv`, { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const items = await q.listItems(app.db, actor.departmentId);
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-disposition',
        `attachment; filename="discretion-benchmarks.csv"; filename*=UTF-8''${encodeURIComponent('裁量基准.csv')}`,
      )
      .send(benchmarkCsv(items));
  });

  app.get(`${HOME}/:itemId/edit`, { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ROLES);
    if (!actor) return reply;
    const id = itemIdOf(request);
    const item = await getBenchmarkItem(ctx(), actor, actor.departmentId, id);
    return formPage(reply, actor, { id, item });
  });
  app.post(`${HOME}/:itemId/edit`, { schema: { hide: true }, preHandler: app.csrfProtection }, (request, reply) =>
    save(request, reply, itemIdOf(request)),
  );

  app.post(
    `${HOME}/:itemId/delete`,
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      await deleteBenchmarkItem(ctx(), actor, actor.departmentId, itemIdOf(request));
      return reply.redirect(`${HOME}?saved=deleted`, 303);
    },
  );

  function importPage(reply: FastifyReply, actor: Actor, form: Record<string, unknown>) {
    return app.renderPage(
      reply,
      VIEW('discretion-import'),
      {
        title: '导入裁量基准 · 法制机构',
        headExtra: HEAD,
        home: HOME,
        header: HEADER,
        example: EXAMPLE.join('\n'),
        valuesNote: VALUES_NOTE,
        maxLines: MAX_IMPORT_LINES,
        maxMb: MAX_IMPORT_BYTES / 1024 / 1024,
        form,
      },
      actor,
    );
  }

  app.post(
    `${HOME}/import`,
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
          throw new AppError(400, 'VALIDATION_FAILED', '请选择 CSV 文件或粘贴裁量基准内容');
        }
        const r = await importBenchmark(ctx(), actor, actor.departmentId, content, mode);
        const qs = new URLSearchParams({
          saved: 'imported',
          ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])),
        });
        return reply.redirect(`${HOME}?${qs}`, 303);
      } catch (err) {
        const refused = refusal(err);
        if (!refused) throw err;
        reply.status(refused.status);
        return importPage(reply, actor, {
          mode,
          content: body.file ? undefined : body.content,
          error: body.fileName ? `${body.fileName}：${refused.message}` : refused.message,
          problems: refused.problems,
        });
      }
    },
  );
};
