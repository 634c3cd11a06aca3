import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../http/errors.js';
import { readUploadForm } from '../http/form-upload.js';
import type { Actor } from '../identity/service.js';
import { importSection, MAX_IMPORT_BYTES, maxImportRows, sectionCsv } from './import.js';
import { headerLine, IMPORT_SPECS, omittableNote } from './import-specs.js';
import { BASE, formErrors, HEAD, profileTabs, ROLES, VIEW } from './page-helpers.js';
import * as q from './queries.js';
import { LIST_SECTIONS } from './sections.js';

interface Upload {
  _csrf?: string;
  mode?: string;
  content?: string;
  file?: Buffer;
  fileName?: string;
  uploadError?: string;
}

/** The import form: a file, or pasted text. */
const readUpload = readUploadForm<Upload>({
  maxFileBytes: MAX_IMPORT_BYTES,
  fields: ['mode', 'content'],
  tooLarge: `文件不能超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB`,
  shape: ({ fields, file, uploadError }) => ({ ...fields, file: file?.content, fileName: file?.name, uploadError }),
});

/**
 * The CSV import page (file upload or pasted text) and the CSV export of every list section, at
 * `/publicity/profile/{section}/import` and `…/export.csv`; one view serves all sections.
 */
export const importPages: FastifyPluginAsync = async (app) => {
  for (const section of LIST_SECTIONS) {
    const spec = IMPORT_SPECS[section.section];
    const home = `${BASE}/${section.slug}`;

    const importPage = (reply: FastifyReply, actor: Actor, form: Record<string, unknown>) =>
      app.renderPage(
        reply,
        VIEW('profile-import'),
        {
          title: `导入${section.title} · 事前公开`,
          headExtra: HEAD,
          tabs: profileTabs(home),
          heading: `导入${section.title}`,
          action: `${home}/import`,
          cancel: home,
          noun: section.noun,
          header: headerLine(spec),
          omittable: omittableNote(spec),
          keyHeader: spec.keyHeader,
          valuesNote: spec.valuesNote,
          example: [headerLine(spec), ...spec.example].join('\n'),
          maxRows: maxImportRows(spec),
          maxMb: MAX_IMPORT_BYTES / 1024 / 1024,
          form,
        },
        actor,
      );

    app.get(`${home}/import`, { schema: { hide: true } }, async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      return importPage(reply, actor, { mode: 'merge' });
    });

    app.post(
      `${home}/import`,
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
          const r = await importSection(app.agencyProfile, actor, spec, actor.departmentId, content, mode);
          const qs = new URLSearchParams({
            saved: 'imported',
            ...Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])),
          });
          return reply.redirect(`${home}?${qs}`, 303);
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

    app.get(`${home}/export.csv`, { schema: { hide: true } }, async (request, reply) => {
      const actor = await app.pageActor(request, reply, ROLES);
      if (!actor) return reply;
      const rows = await q.listItems(app.db, section.table, actor.departmentId);
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header(
          'content-disposition',
          `attachment; filename="${section.slug}.csv"; filename*=UTF-8''${encodeURIComponent(`${section.title}.csv`)}`,
        )
        .send(sectionCsv(spec, rows));
    });
  }
};
