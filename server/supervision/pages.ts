import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError, statusOf } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import { type Actor, hasRole, readsAllDepartments } from '../identity/service.js';
import { DomainError } from '../infra/errors.js';
import * as q from './queries.js';
import {
  answerItem,
  answersFor,
  type IssueInput,
  issueItem,
  reviewAnswer,
  SUPERVISION_KINDS,
  type SupervisionKind,
  visibleItem,
} from './service.js';
import { itemDetail, itemView, STATUS_LABELS } from './view.js';

const VIEW = (name: string) => `../../supervision/views/${name}.hbs`;
const READERS = ['supervisor', 'admin', 'legal_admin', 'chief'] as const;
const STATES = ['open', 'overdue', 'answered', 'returned', 'accepted'] as const;
const one = (v: unknown) => (typeof v === 'string' ? v.trim() : Array.isArray(v) ? String(v[0] ?? '').trim() : '');
const many = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

/** 执法监督 pages: the list, the supervisor's form, and one item with the agency's answer and the review. */
export const supervisionPages: FastifyPluginAsync = async (app) => {
  app.get('/supervision', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, READERS);
    if (!actor) return reply;
    const query = request.query as { state?: string };
    const state = STATES.find((s) => s === query.state);
    const now = app.clock.now();
    const all = readsAllDepartments(actor);
    const rows = await q.listItems(app.db, {
      state,
      departmentId: all ? undefined : actor.departmentId,
      now,
      limit: 200,
      offset: 0,
    });
    const items = rows.map((r) => ({ ...itemView(r, now), statusLabel: STATUS_LABELS[r.status] }));
    return app.renderPage(
      reply,
      VIEW('supervision-list'),
      {
        title: all ? '执法监督意见' : '收到的监督意见',
        items,
        states: [
          { code: '', label: '全部', current: !state },
          ...STATES.map((s) => ({
            code: s,
            label: s === 'overdue' ? '已超期' : STATUS_LABELS[s],
            current: s === state,
          })),
        ],
        mayIssue: hasRole(actor, 'supervisor'),
        cityWide: all,
      },
      actor,
    );
  });

  async function renderForm(reply: FastifyReply, actor: Actor, values: Record<string, string>, error?: string) {
    const [agencies, target] = await Promise.all([
      app.db.selectFrom('departments').select(['id', 'name']).where('kind', '=', 'agency').orderBy('name').execute(),
      values.caseId && UUID.test(values.caseId) ? q.targetOf(app.db, { caseId: values.caseId }) : null,
    ]);
    return app.renderPage(
      reply,
      VIEW('supervision-new'),
      {
        title: '发出监督意见或纠正通知',
        values,
        error,
        target,
        kinds: Object.entries(SUPERVISION_KINDS).map(([code, label]) => ({ code, label })),
        agencies: agencies
          .filter((a) => a.id !== actor.departmentId)
          .map((a) => ({ ...a, selected: a.id === values.departmentId })),
      },
      actor,
    );
  }

  app.get('/supervision/new', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['supervisor']);
    if (!actor) return reply;
    const query = request.query as Record<string, string | undefined>;
    return renderForm(reply, actor, {
      kind: 'opinion',
      workingDays: '10',
      caseId: query.caseId ?? '',
      departmentId: query.departmentId ?? '',
    });
  });

  app.post('/supervision', { schema: { hide: true }, preHandler: app.csrfProtection }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, ['supervisor']);
    if (!actor) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const fields = [
      'kind',
      'caseId',
      'departmentId',
      'subject',
      'findings',
      'requirements',
      'supervisionBasis',
      'breachedRules',
    ];
    const values = Object.fromEntries([...fields, 'workingDays'].map((k) => [k, one(body[k])]));
    const refuse = (status: number, error: string) => {
      reply.status(status);
      return renderForm(reply, actor, values, error);
    };
    const days = Number(values.workingDays);
    if (!Object.hasOwn(SUPERVISION_KINDS, values.kind)) return refuse(400, '请选择监督意见或纠正通知');
    if (!UUID.test(values.caseId) && !UUID.test(values.departmentId)) return refuse(400, '请选择被监督的执法机关');
    if (!values.subject || !values.findings || !values.requirements) return refuse(400, '请填写事由、发现的问题和要求');
    if (!Number.isInteger(days) || days < 1 || days > 60) return refuse(400, '办理期限为 1 至 60 个工作日');
    const input: IssueInput = {
      kind: values.kind as SupervisionKind,
      ...(UUID.test(values.caseId) ? { caseId: values.caseId } : { departmentId: values.departmentId }),
      subject: values.subject.slice(0, 200),
      findings: values.findings.slice(0, 10000),
      requirements: values.requirements.slice(0, 10000),
      supervisionBasis: values.supervisionBasis.slice(0, 2000) || undefined,
      breachedRules: values.breachedRules.slice(0, 2000) || undefined,
      workingDays: days,
    };
    try {
      const item = await issueItem(app.supervision, actor, input);
      return reply.redirect(`/supervision/${item.id}?done=issued`, 303);
    } catch (err) {
      if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
      return refuse(statusOf(err), err.message);
    }
  });

  const DONE: Record<string, string> = {
    issued: '已发出并签署文书。',
    answered: '已报送办理情况，等待监督机关审查。',
    accepted: '已认可办理情况，该监督意见办结。',
    returned: '已退回，被监督机关须重新报送办理情况。',
  };

  async function renderItem(reply: FastifyReply, actor: Actor, id: string, extra: Record<string, unknown> = {}) {
    const now = app.clock.now();
    const item = await itemDetail(app.db, id, now);
    const handles = answersFor(actor, { department_id: item.agencyId });
    const used = new Set(item.answers.flatMap((a) => a.fileIds));
    const fileName = new Map(item.files.map((f) => [f.id, f]));
    return app.renderPage(
      reply,
      VIEW('supervision-item'),
      {
        title: `${item.kindLabel}：${item.subject}`,
        headExtra: '<script src="/assets/supervision-upload.js" defer></script>',
        item: { ...item, statusLabel: STATUS_LABELS[item.status] },
        answers: item.answers.map((a) => ({
          ...a,
          files: a.fileIds.map((f) => fileName.get(f)).filter(Boolean),
          verdictLabel: a.verdict === 'accepted' ? '认可' : a.verdict === 'returned' ? '退回' : null,
        })),
        pendingFiles: item.files.filter((f) => !used.has(f.id)),
        mayAnswer: handles && (item.status === 'open' || item.status === 'returned'),
        mayReview: hasRole(actor, 'supervisor') && item.status === 'answered',
        ...extra,
      },
      actor,
    );
  }

  app.get('/supervision/:id', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply, READERS);
    if (!actor) return reply;
    const id = one((request.params as { id: string }).id);
    const item = await visibleItem(app.db, actor, UUID.test(id) ? id : '00000000-0000-0000-0000-000000000000');
    const done = DONE[one((request.query as { done?: string }).done)];
    return renderItem(reply, actor, item.id, { done });
  });

  app.post(
    '/supervision/:id/answer',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (req, reply) => {
      const actor = await app.pageActor(req, reply, ['legal_admin', 'chief']);
      if (!actor) return reply;
      const item = await visibleItem(app.db, actor, one((req.params as { id: string }).id));
      const body = (req.body ?? {}) as Record<string, unknown>;
      const answer = one(body.answer).slice(0, 10000);
      const fileIds = many(body.fileIds).filter((f) => UUID.test(f));
      try {
        if (answer.length < 2) throw new AppError(400, 'VALIDATION_FAILED', '请填写办理情况');
        await answerItem(app.supervision, actor, item.id, { answer, fileIds });
        return reply.redirect(`/supervision/${item.id}?done=answered`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
        reply.status(statusOf(err));
        return renderItem(reply, actor, item.id, { error: err.message, answerValue: answer });
      }
    },
  );

  app.post(
    '/supervision/:id/review',
    { schema: { hide: true }, preHandler: app.csrfProtection },
    async (req, reply) => {
      const actor = await app.pageActor(req, reply, ['supervisor']);
      if (!actor) return reply;
      const item = await visibleItem(app.db, actor, one((req.params as { id: string }).id));
      const body = (req.body ?? {}) as Record<string, unknown>;
      const verdict = one(body.verdict) === 'accepted' ? 'accepted' : 'returned';
      try {
        await reviewAnswer(app.supervision, actor, item.id, { verdict, note: one(body.note).slice(0, 2000) });
        return reply.redirect(`/supervision/${item.id}?done=${verdict}`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
        reply.status(statusOf(err));
        return renderItem(reply, actor, item.id, { error: err.message });
      }
    },
  );
};
