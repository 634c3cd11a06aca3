import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { visibleCase } from '../cases/service.js';
import { errors, IdParams } from '../http/schemas.js';
import { actorOf } from '../identity/access.js';
import type { Actor } from '../identity/service.js';
import { transferDraft } from './draft.js';
import {
  recommendSupervision,
  recordForwarding,
  recordHandover,
  recordPoliceDecision,
  recordReviewResult,
  recordSupervisionResult,
  requestReview,
} from './organ.js';
import * as s from './schemas.js';
import { decideTransfer, recordDelivery, recordReceipt, reportTransfer, returnToAgency } from './service.js';
import { STAFF } from './steps.js';
import { transfersView } from './view.js';

const TAGS = ['移送涉嫌犯罪案件'];
const One = Type.Object({ transfer: s.TransferSchema });

/** 移送涉嫌犯罪案件 (国务院令第310号): one route per step, each answering the transfer as it now stands. */
export const transferRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const latest = async (caseId: string) => {
    const all = await transfersView(app.db, caseId, app.clock.now());
    return { transfer: all[all.length - 1] };
  };
  const steps = [
    [
      '/decision',
      '负责人批准或者不批准移送（批准时生成并签署涉嫌犯罪案件移送书）',
      s.DecisionBody,
      ['chief'],
      decideTransfer,
    ],
    ['/delivery', '记录向公安机关移送（批准后24小时内，第五条）', s.DeliveryBody, STAFF, recordDelivery],
    [
      '/receipt',
      '记录公安机关在回执上签字（第七条；公安机关3日内决定是否立案，第八条）',
      s.ReceiptBody,
      STAFF,
      recordReceipt,
    ],
    [
      '/police-decision',
      '记录公安机关立案或者不予立案的书面通知（第八条）',
      s.OrganDecisionBody,
      STAFF,
      recordPoliceDecision,
    ],
    [
      '/review-request',
      '提请公安机关复议（接到不予立案通知书之日起3日内，第九条第一款；公安机关自收到之日起3日内决定，第九条第二款）',
      s.ReviewRequestBody,
      STAFF,
      requestReview,
    ],
    [
      '/review-result',
      '记录公安机关的复议决定（收到复议文件之日起3日内，第九条）',
      s.OrganDecisionBody,
      STAFF,
      recordReviewResult,
    ],
    [
      '/forwarding',
      '记录公安机关将不属于其管辖的案件转送有管辖权的机关（签收后24小时内并书面告知，第七条；立案期限自转送起算，第八条）',
      s.ForwardingBody,
      STAFF,
      recordForwarding,
    ],
    [
      '/supervision',
      '建议人民检察院依法进行立案监督（不予立案后，第九条第一款；对复议决定仍有异议的，收到复议决定通知书之日起3日内，第九条第二款）',
      s.SupervisionBody,
      STAFF,
      recommendSupervision,
    ],
    [
      '/supervision-result',
      '记录人民检察院告知的立案监督结果（公安机关已立案，或不立案理由成立）',
      s.SupervisionResultBody,
      STAFF,
      recordSupervisionResult,
    ],
    [
      '/handover',
      '记录移交涉案物品及有关材料（接到立案通知书之日起3日内，第十二条）',
      s.HandoverBody,
      STAFF,
      recordHandover,
    ],
    [
      '/return',
      '退回本机关继续办理（重新报送法制审核，直至作出决定；行政处罚法第二十七条）',
      s.ReturnBody,
      ['chief', 'legal_admin'],
      returnToAgency,
    ],
  ] as const;

  app.post(
    '/api/cases/:id/transfer',
    {
      config: { access: ['officer'] },
      schema: {
        tags: TAGS,
        summary: '报告移送涉嫌犯罪案件（专案组书面报告；负责人自接到报告之日起3日内审批，第五条）',
        params: IdParams,
        body: s.ReportBody,
        response: { 201: One, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await reportTransfer(app.transfers, actorOf(request), request.params.id, request.body);
      return reply.status(201).send(await latest(request.params.id));
    },
  );

  for (const [path, summary, body, access, act] of steps) {
    app.post(
      `/api/cases/:id/transfer${path}`,
      {
        config: { access },
        schema: {
          tags: TAGS,
          summary,
          params: IdParams,
          body,
          response: { 200: One, ...errors(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const run = act as (ctx: typeof app.transfers, a: Actor, id: string, input: unknown) => Promise<unknown>;
        await run(app.transfers, actorOf(request), request.params.id, request.body);
        return reply.send(await latest(request.params.id));
      },
    );
  }

  app.get(
    '/api/cases/:id/transfer/draft',
    {
      config: { access: [...STAFF] },
      schema: {
        tags: TAGS,
        summary:
          '移送的书面报告草稿：按本案认定的事实、法制审核意见认定的涉嫌犯罪和证据材料预填，并说明是否应当移送（第五条、第六条）',
        params: IdParams,
        response: { 200: s.DraftSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const c = await visibleCase(app.cases, actorOf(request), request.params.id);
      return transferDraft(app.db, c);
    },
  );

  app.get(
    '/api/cases/:id/transfers',
    {
      config: { access: [...STAFF, 'reviewer', 'supervisor', 'admin'] },
      schema: {
        tags: TAGS,
        summary: '本案的移送（每次报告一条，最新的在最后），含正在计算的法定期限',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(s.TransferSchema) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const c = await visibleCase(app.cases, actorOf(request), request.params.id);
      return { items: await transfersView(app.db, c.id, app.clock.now()) };
    },
  );
};
