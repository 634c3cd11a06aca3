import type { FastifyPluginAsync } from 'fastify';
import { caseDetail } from '../cases/detail.js';
import * as cases from '../cases/queries.js';
import { visibleCase } from '../cases/service.js';
import type { CaseStatus } from '../cases/tables.js';
import { AppError } from '../http/errors.js';
import { findDepartmentById } from '../identity/queries.js';
import { type Actor, readsAllDepartments } from '../identity/service.js';
import { appendEvents, listExtensions } from '../runtime/queries.js';
import { diagramCache } from './case-diagram.js';
import { flashFor } from './case-flash.js';
import { userNames } from './case-users.js';
import { caseView, type PendingExtension } from './case-view.js';
import { CASE_STATUS_LABELS, CATEGORY_LABELS } from './helpers.js';

const PAGE_SIZE = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** While the case is open, the handling unit may still add attachments (as the attachment API allows). */
const UPLOAD_STATUSES = new Set<CaseStatus>([
  'not_required',
  'accepting',
  'completing',
  'reviewing',
  'correcting',
  'contesting',
]);
const WORKERS = ['officer', 'reviewer', 'chief', 'legal_admin', 'supervisor', 'admin'] as const;

export function caseIdParam(params: unknown): string {
  const { id } = params as { id: string };
  if (!UUID.test(id)) throw new AppError(404, 'CASE_NOT_FOUND', '送审案件不存在');
  return id;
}

export const mayUpload = (actor: Actor, c: { department_id: string; status: CaseStatus }) =>
  actor.roles.includes('officer') && c.department_id === actor.departmentId && UPLOAD_STATUSES.has(c.status);

export const casePages: FastifyPluginAsync = async (app) => {
  const diagrams = diagramCache(app.db);

  app.get('/cases', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, WORKERS);
    if (!actor) return reply;
    const q = request.query as Record<string, string | undefined>;
    const status = q.status && q.status in CASE_STATUS_LABELS ? (q.status as CaseStatus) : undefined;
    const category = q.category && q.category in CATEGORY_LABELS ? q.category : undefined;
    const search = (q.q ?? '').trim().slice(0, 100) || undefined;
    const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
    const all = readsAllDepartments(actor);
    const rows = await cases.listCases(app.db, {
      departmentId: all ? undefined : actor.departmentId,
      status,
      category: category as never,
      q: search,
      limit: PAGE_SIZE + 1,
      offset: (page - 1) * PAGE_SIZE,
    });
    const href = (p: number) => {
      const u = new URLSearchParams();
      if (search) u.set('q', search);
      if (status) u.set('status', status);
      if (category) u.set('category', category);
      u.set('page', String(p));
      return `/cases?${u}`;
    };
    return app.renderPage(
      reply,
      'cases.hbs',
      {
        title: '案件',
        headExtra: '<link rel="stylesheet" href="/assets/case.css">',
        cases: rows.slice(0, PAGE_SIZE),
        allDepartments: all,
        filters: { q: search, status, category },
        statuses: Object.entries(CASE_STATUS_LABELS).map(([code, label]) => ({ code, label })),
        categories: Object.entries(CATEGORY_LABELS).map(([code, label]) => ({ code, label })),
        page,
        prevHref: page > 1 ? href(page - 1) : null,
        nextHref: rows.length > PAGE_SIZE ? href(page + 1) : null,
        maySubmit: actor.roles.includes('officer'),
      },
      actor,
    );
  });

  app.get('/cases/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, WORKERS);
    if (!actor) return reply;
    const c = await visibleCase(app.cases, actor, caseIdParam(request.params));
    if (actor.roles.includes('supervisor') && c.instance_id) {
      const instanceId = c.instance_id;
      await app.db.transaction().execute((trx) =>
        appendEvents(trx, [
          {
            instance_id: instanceId,
            type: 'case.viewed_by_supervisor',
            element_id: null,
            actor_id: actor.id,
            payload: { caseId: c.id },
          },
        ]),
      );
    }
    const [detail, diagram, department] = await Promise.all([
      caseDetail(app.cases, c),
      c.instance_id ? diagrams.forInstance(c.instance_id).catch(() => null) : null,
      findDepartmentById(app.db, c.department_id),
    ]);
    const open = detail.tasks.filter((t) => t.status === 'open');
    const [userName, extensionRows] = await Promise.all([
      userNames(app.db, c.department_id, detail),
      Promise.all(open.map((t) => listExtensions(app.db, t.id))),
    ]);
    const extensions: PendingExtension[] = extensionRows
      .flat()
      .filter((x) => x.status === 'pending')
      .map((x) => ({
        id: x.id,
        taskId: x.task_id,
        workingDays: x.working_days,
        reason: x.reason,
        requestedBy: x.requested_by,
        requestedAt: x.requested_at,
      }));
    const view = caseView(detail, { names: diagram?.names ?? null, userName, extensions });
    const q = request.query as Record<string, string | undefined>;
    const mayDecideExtensions =
      c.department_id === actor.departmentId && actor.roles.some((r) => r === 'chief' || r === 'legal_admin');
    return app.renderPage(
      reply,
      'case.hbs',
      {
        title: `${detail.caseNumber} ${detail.title}`,
        headExtra: [
          '<link rel="stylesheet" href="/assets/bpmn-js/assets/diagram-js.css">',
          '<link rel="stylesheet" href="/assets/case.css">',
          '<script src="/assets/bpmn-js/bpmn-viewer.production.min.js" defer></script>',
          '<script src="/assets/case-upload.js" defer></script>',
          '<script src="/assets/case.js" defer></script>',
        ].join('\n  '),
        c: detail,
        departmentName: department?.name ?? '',
        submittedByName: userName(c.submitted_by),
        ...view,
        mayUpload: mayUpload(actor, c),
        uploadThen: `/cases/${c.id}?flash=uploaded#attachments`,
        mayDecideExtensions,
        actorId: actor.id,
        flash: flashFor(q.flash),
      },
      actor,
    );
  });

  // The process diagram for the viewer: the case's own definition version, laid out when it has no diagram.
  app.get('/cases/:id/diagram.bpmn', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, WORKERS);
    if (!actor) return reply;
    const c = await visibleCase(app.cases, actor, caseIdParam(request.params));
    const diagram = c.instance_id ? await diagrams.forInstance(c.instance_id) : null;
    if (!diagram) throw new AppError(404, 'NOT_FOUND', '本案没有审核流程');
    return reply.type('application/xml; charset=utf-8').header('cache-control', 'private, max-age=3600').send(diagram.xml);
  });
};
