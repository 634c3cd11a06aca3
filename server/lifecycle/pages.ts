import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { saveAttachment } from '../cases/attachments.js';
import { visibleCase } from '../cases/service.js';
import type { CaseRow } from '../cases/tables.js';
import { AppError, statusOf } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import { type Actor, hasRole } from '../identity/service.js';
import { DomainError } from '../infra/errors.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { eventFromForm } from './form.js';
import { presiderChoices } from './hearing.js';
import { EXECUTION_MODES, SERVICE_METHODS } from './kinds.js';
import { recordStageEvent } from './service.js';
import { servableDocuments } from './service-rules.js';
import { caseStages, lifecycleView } from './view.js';

const VIEW = '../../lifecycle/views/stages.hbs';
const READERS = ['officer', 'reviewer', 'chief', 'legal_admin', 'supervisor', 'admin'] as const;
const options = (o: Record<string, string>) => Object.entries(o).map(([code, label]) => ({ code, label }));

function caseIdParam(params: unknown): string {
  const { id } = params as { id: string };
  if (!UUID.test(id)) throw new AppError(404, 'CASE_NOT_FOUND', '送审案件不存在');
  return id;
}

/** The 送达 form as last submitted: its values, the message under the refused field, the files already kept. */
interface ServedForm {
  values: Record<string, unknown>;
  errors: Record<string, string>;
  kept: { id: string; fileName: string }[];
}

/** A stage form as posted: its fields (repeated names as arrays) and, for a multipart form, the chosen files. */
interface PostedForm {
  fields: Record<string, string | string[]>;
  files: { content: Buffer; name: string }[];
  tooLarge?: boolean;
}

/** Reads a multipart stage form (the 送达 form with its proof files) before the CSRF check looks for `_csrf`. */
function readStageForm(maxFileBytes: number) {
  return async (request: FastifyRequest) => {
    if (!request.isMultipart()) return;
    const form: PostedForm = { fields: {}, files: [] };
    try {
      for await (const part of request.parts({ limits: { fileSize: maxFileBytes, files: 10, fields: 40 } })) {
        if (part.type === 'file') {
          const content = await part.toBuffer();
          if (content.length > 0) form.files.push({ content, name: part.filename });
        } else {
          const value = String(part.value ?? '');
          const had = form.fields[part.fieldname];
          form.fields[part.fieldname] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
        }
      }
    } catch (err) {
      if ((err as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
      form.tooLarge = true;
    }
    request.body = { ...form.fields, __form: form };
  };
}

/** 办案环节: the case's stages, limits and flags, and the forms the handling officer records them with. */
export const lifecyclePages: FastifyPluginAsync = async (app) => {
  const render = async (reply: FastifyReply, actor: Actor, c: CaseRow, formError?: string, served?: ServedForm) => {
    const [view, servable, presiders] = await Promise.all([
      lifecycleView(app.db, c, app.clock.now()),
      servableDocuments(app.db, c),
      c.decision ? [] : caseStages(app.db, c.id).then((stages) => presiderChoices(app.db, c, stages)),
    ]);
    const chosen = served ? [served.values.servedDocuments ?? []].flat() : ['decision'];
    const own = c.department_id === actor.departmentId;
    return app.renderPage(
      reply,
      VIEW,
      {
        title: `${c.case_number} 办案环节`,
        headExtra:
          '<link rel="stylesheet" href="/assets/case.css">\n  <script src="/assets/case-upload.js" defer></script>',
        c: { id: c.id, caseNumber: c.case_number, title: c.title, category: c.category },
        v: view,
        today: instantToShanghaiDate(app.clock.now()),
        mayRecord: own && hasRole(actor, 'officer') && !view.archivedOn,
        mayExtend: own && hasRole(actor, 'chief') && !!view.filedOn && !view.extension && !view.decided,
        openStages: view.stages.filter((s) => s.status === 'open' && s.kind !== 'hearing'),
        hearing: view.stages.filter((s) => s.kind === 'hearing').at(-1) ?? null,
        methods: options(SERVICE_METHODS),
        modes: options(EXECUTION_MODES),
        servable: servable.map((d) => ({ ...d, checked: chosen.includes(d.ref) })),
        presiders,
        served: served ?? { values: { method: 'direct' }, errors: {}, kept: [] },
        formError,
      },
      actor,
    );
  };

  app.get('/cases/:id/stages', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, READERS);
    if (!actor) return reply;
    const c = await visibleCase(app.cases, actor, caseIdParam(request.params));
    return render(reply, actor, c);
  });

  const deps = { db: app.db, evidence: app.evidence, now: () => app.clock.now(), history: app.runtime.history };
  app.post(
    '/cases/:id/stages',
    { schema: { hide: true }, preHandler: [readStageForm(app.cases.attachmentMaxBytes), app.csrfProtection] },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['officer', 'chief']);
      if (!actor) return reply;
      const c = await visibleCase(app.cases, actor, caseIdParam(request.params));
      const { __form: form, ...body } = (request.body ?? {}) as Record<string, unknown> & { __form?: PostedForm };
      const kept: ServedForm['kept'] = [];
      try {
        if (form?.tooLarge)
          throw new AppError(413, 'PAYLOAD_TOO_LARGE', '文件过大，请压缩后重新上传', { field: 'proof' });
        const e = eventFromForm(body);
        if (e.type === 'served' && form?.files.length) {
          if (c.department_id !== actor.departmentId || !hasRole(actor, 'officer')) {
            throw new AppError(403, 'FORBIDDEN', '只有本机关的执法人员可以记录送达');
          }
          // Stored (and in the record) before the event: a refused event keeps them for the corrected form.
          for (const f of form.files) {
            const saved = await saveAttachment(deps, c, actor, { stream: Readable.from(f.content), fileName: f.name });
            kept.push({ id: saved.id, fileName: saved.fileName });
          }
          e.attachmentIds = [...(e.attachmentIds ?? []), ...kept.map((k) => k.id)];
        }
        await recordStageEvent(app.lifecycle, actor, c.id, e);
      } catch (err) {
        if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
        reply.status(statusOf(err));
        if (body.type !== 'served') return render(reply, actor, c, err.message);
        const field = (err.details as { field?: string } | undefined)?.field;
        const target = field === 'attachmentIds' || statusOf(err) === 413 || statusOf(err) === 415 ? 'proof' : field;
        return render(reply, actor, c, err.message, {
          values: body,
          errors: target ? { [target]: err.message } : {},
          kept: [...(await keptFiles(c.id, body.attachmentIds)), ...kept],
        });
      }
      return reply.redirect(`/cases/${c.id}/stages`, 303);
    },
  );

  /** The files an earlier refused 送达 form kept, by id, named as stored (only this case's are linked later). */
  async function keptFiles(caseId: string, ids: unknown): Promise<ServedForm['kept']> {
    const list = [ids ?? []].flat().filter((x): x is string => typeof x === 'string' && UUID.test(x));
    if (!list.length) return [];
    return app.db
      .selectFrom('case_attachments')
      .select(['id', 'file_name as fileName'])
      .where('case_id', '=', caseId)
      .where('id', 'in', list)
      .execute();
  }
};
