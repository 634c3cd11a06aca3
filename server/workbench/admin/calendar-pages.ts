import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { parseSchedule } from '../../calendar/service.js';
import { AppError, statusOf } from '../../http/errors.js';
import { readUploadForm } from '../../http/form-upload.js';
import type { Actor } from '../../identity/service.js';
import { DomainError } from '../../infra/errors.js';
import { instantToShanghaiDate, MAX_YEAR, MIN_YEAR } from '../../workdays/days.js';
import type { ScheduleJson } from '../../workdays/schedule.js';
import { ADMIN_HEAD, adminTabs } from './tabs.js';

const MAX_UPLOAD_BYTES = 256 * 1024;
const SOURCE_LABELS: Record<string, string> = { 'chinese-days': '系统内置数据', manual: '管理员载入' };

interface Upload {
  _csrf?: string;
  year?: string;
  content?: string;
  fileName?: string;
  fileText?: string;
  uploadError?: string;
}

const readUpload = readUploadForm<Upload>({
  maxFileBytes: MAX_UPLOAD_BYTES,
  fields: ['year', 'content'],
  tooLarge: `文件不能超过 ${MAX_UPLOAD_BYTES / 1024} KB`,
  shape: ({ fields, file, uploadError }) => ({
    ...fields,
    fileName: file?.name,
    fileText: file?.content.toString('utf8'),
    uploadError,
  }),
});

/** JSON ({ holidays, makeupWorkdays }) or CSV lines `type,date_or_range,name`, told apart by the first character. */
function scheduleFrom(text: string, year: number) {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) throw new AppError(400, 'VALIDATION_FAILED', '请选择日历文件或粘贴日历内容');
  if (!trimmed.startsWith('{')) return parseSchedule(trimmed);
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new AppError(400, 'VALIDATION_FAILED', '文件不是合法的 JSON');
  }
  const o = json as Partial<ScheduleJson> & { year?: unknown };
  const entries = (v: unknown) => Array.isArray(v) && v.every((e) => typeof e === 'object' && e !== null);
  if (!entries(o.holidays) || !entries(o.makeupWorkdays)) {
    throw new AppError(400, 'VALIDATION_FAILED', 'JSON 应包含 holidays 与 makeupWorkdays 两个数组');
  }
  if (o.year !== undefined && o.year !== year) {
    throw new AppError(400, 'VALIDATION_FAILED', `文件中的年份 ${String(o.year)} 与所选年份 ${year} 不一致`);
  }
  return parseSchedule({ holidays: o.holidays, makeupWorkdays: o.makeupWorkdays } as ScheduleJson);
}

export const adminCalendarPages: FastifyPluginAsync = async (app) => {
  async function page(
    reply: FastifyReply,
    actor: Actor,
    form: { year: string; content?: string; error?: string; problems?: string[] },
    flash?: { kind: string; text: string },
  ) {
    await app.calendar.calendarFor(app.db);
    const years = app.calendar.listYears();
    const thisYear = Number(instantToShanghaiDate(app.clock.now()).slice(0, 4));
    const loaded = new Set(years.map((y) => y.year));
    return app.renderPage(
      reply,
      'admin-calendar.hbs',
      {
        title: '工作日历 · 系统管理',
        headExtra: ADMIN_HEAD,
        tabs: adminTabs('/admin/calendar'),
        warning: app.calendar.missingNextYearWarning(app.clock.now()),
        years: years.reverse().map((y) => ({ ...y, sourceLabel: SOURCE_LABELS[y.source] ?? y.source })),
        nextYearLoaded: loaded.has(thisYear + 1),
        thisYear,
        form: { ...form, year: form.year || String(loaded.has(thisYear) ? thisYear + 1 : thisYear) },
        minYear: MIN_YEAR,
        maxYear: MAX_YEAR,
        flash,
      },
      actor,
    );
  }

  app.get('/admin/calendar', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['admin']);
    if (!actor) return reply;
    const loaded = Number((request.query as Record<string, string | undefined>).loaded);
    const flash =
      Number.isInteger(loaded) && loaded > 0
        ? { kind: 'ok', text: `已载入 ${loaded} 年节假日安排；涉及该年的期限已按新安排重新计算。` }
        : undefined;
    return page(reply, actor, { year: '' }, flash);
  });

  app.post(
    '/admin/calendar',
    { schema: { hide: true }, preHandler: [readUpload, app.csrfProtection] },
    async (request, reply) => {
      const actor = await app.pageActor(request, reply, ['admin']);
      if (!actor) return reply;
      const body = (request.body ?? {}) as Upload;
      const yearText = (body.year ?? '').trim();
      const year = Number(yearText);
      try {
        if (body.uploadError) throw new AppError(413, 'PAYLOAD_TOO_LARGE', body.uploadError);
        if (!/^\d{4}$/.test(yearText) || year < MIN_YEAR || year > MAX_YEAR) {
          throw new AppError(400, 'VALIDATION_FAILED', `请填写 ${MIN_YEAR} 到 ${MAX_YEAR} 之间的年份`);
        }
        const schedule = scheduleFrom(body.fileText ?? body.content ?? '', year);
        await app.calendar.putYear(app.db, year, schedule, actor.id);
        return reply.redirect(`/admin/calendar?loaded=${year}`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
        const problems = (err.details as { problems?: string[] } | undefined)?.problems;
        reply.status(statusOf(err));
        return page(reply, actor, {
          year: yearText,
          content: body.fileText ? undefined : body.content,
          error: problems ? `${body.fileName ?? '日历内容'}有 ${problems.length} 处错误：` : err.message,
          problems,
        });
      }
    },
  );
};
