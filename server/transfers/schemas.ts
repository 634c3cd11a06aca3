import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../http/schemas.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Person = Type.Object({ id: Uuid, name: Type.String() });
const Text = (maxLength: number, title: string, description = title) =>
  Type.String({ minLength: 1, maxLength, title, description });
const Decision = Type.Union([Type.Literal('filed'), Type.Literal('declined')], {
  title: '决定',
  description: 'filed 立案 / declined 不予立案',
});

export const TRANSFER_STATUSES = [
  'reported',
  'refused',
  'approved',
  'sent',
  'received',
  'filed',
  'declined',
  'review_requested',
  'review_declined',
  'handed_over',
  'returned',
  'supervision_requested',
  'supervision_upheld',
] as const;
export const Status = Type.Enum(TRANSFER_STATUSES, { description: '移送的状态' });

export const TransferSchema = Type.Object({
  id: Uuid,
  caseId: Uuid,
  status: Status,
  statusLabel: Type.String(),
  policeOrgan: Type.String({ description: '受移送的公安机关' }),
  procuratorate: Type.String({ description: '抄送的人民检察院' }),
  team: Type.Array(Person, { description: '专案组成员' }),
  reasons: Type.String(),
  evidence: Type.Array(
    Type.Object({ name: Type.String(), quantity: Nullable(Type.String()), note: Nullable(Type.String()) }),
  ),
  reportedBy: Person,
  reportedAt: IsoDateTime,
  decidedBy: Type.Union([Person, Type.Null()]),
  decidedAt: Nullable(IsoDateTime),
  decisionNote: Nullable(Type.String()),
  documentId: Nullable(Uuid),
  sentAt: Nullable(IsoDateTime),
  delivery: Nullable(Type.String()),
  receivedAt: Nullable(IsoDateTime),
  receiver: Nullable(Type.String()),
  policeDecision: Type.Union([Decision, Type.Null()]),
  policeNoticeAt: Nullable(IsoDateTime),
  policeReasons: Nullable(Type.String()),
  reviewRequestedAt: Nullable(IsoDateTime),
  reviewReasons: Nullable(Type.String()),
  reviewResult: Type.Union([Decision, Type.Null()]),
  reviewNoticeAt: Nullable(IsoDateTime),
  reviewNote: Nullable(Type.String()),
  forwardedFrom: Nullable(Type.String({ description: '转送前签收的公安机关（第七条）' })),
  forwardedAt: Nullable(IsoDateTime),
  supervisionRequestedAt: Nullable(IsoDateTime),
  supervisionReasons: Nullable(Type.String()),
  supervisionResult: Type.Union([Type.Literal('filed'), Type.Literal('upheld'), Type.Null()], {
    description: 'filed 经立案监督公安机关已立案 / upheld 人民检察院认为不立案理由成立',
  }),
  supervisionNoticeAt: Nullable(IsoDateTime),
  supervisionNote: Nullable(Type.String()),
  supervisionText: Nullable(Type.String({ description: '立案监督中人民检察院、公安机关的期限及依据' })),
  handedOverAt: Nullable(IsoDateTime),
  handoverNote: Nullable(Type.String()),
  returnedAt: Nullable(IsoDateTime),
  returnReason: Nullable(Type.String()),
  limit: Type.Union([
    Type.Object(
      {
        step: Type.String(),
        text: Type.String({ description: '期限及其依据（条文）' }),
        article: Type.String(),
        party: Type.Union([Type.Literal('agency'), Type.Literal('police')], {
          description: 'agency 本机关的期限 / police 公安机关的期限',
        }),
        dueAt: IsoDateTime,
        reminded: Type.Boolean(),
        overdue: Type.Boolean(),
      },
      { description: '正在计算的法定期限' },
    ),
    Type.Null(),
  ]),
  overdueSteps: Type.Array(Type.Object({ step: Type.String(), label: Type.String() }), {
    description: '已超过的期限',
  }),
});

export const ReportBody = Type.Object({
  policeOrgan: Text(100, '受移送的公安机关', '受移送的公安机关（同级公安机关），如 盐城市公安局亭湖分局'),
  procuratorate: Text(100, '抄送的人民检察院'),
  teamIds: Type.Array(Uuid, {
    minItems: 2,
    maxItems: 20,
    title: '专案组成员',
    description: '专案组成员（本机关2名以上执法人员）',
  }),
  reasons: Text(10000, '涉嫌犯罪的事实和理由', '涉嫌犯罪的事实和理由（书面报告）'),
  evidence: Type.Array(
    Type.Object({
      name: Text(200, '材料名称', '材料名称（涉嫌犯罪案件情况的调查报告、涉案物品清单、检验报告或者鉴定结论等）'),
      quantity: Type.Optional(Type.String({ maxLength: 50, title: '数量', description: '数量' })),
      note: Type.Optional(Type.String({ maxLength: 500, title: '备注', description: '备注' })),
    }),
    { minItems: 1, maxItems: 50, description: '随案移送的材料（第六条）' },
  ),
});
export const DecisionBody = Type.Object({
  approve: Type.Boolean({ title: '是否批准移送', description: 'true 批准移送 / false 不批准移送' }),
  note: Type.Optional(Type.String({ maxLength: 5000, title: '意见', description: '意见；不批准的，须写明理由' })),
});
export const DeliveryBody = Type.Object({ method: Text(200, '移送方式', '移送方式，如 专人送达') });
export const ReceiptBody = Type.Object({
  receiver: Text(100, '签收人', '在回执上签字的公安机关人员'),
  receivedAt: Type.Optional(
    Type.String({ format: 'date-time', title: '签收时间', description: '签收时间（默认现在）' }),
  ),
});
export const OrganDecisionBody = Type.Object({
  decision: Decision,
  noticeReceivedAt: Type.Optional(
    Type.String({ format: 'date-time', title: '接到通知的时间', description: '接到书面通知的时间（默认现在）' }),
  ),
  reasons: Type.Optional(
    Type.String({ maxLength: 10000, title: '理由', description: '不予立案的理由（不予立案时必填）或复议决定的说明' }),
  ),
});
export const ReviewRequestBody = Type.Object({
  reasons: Text(10000, '提请复议的理由'),
  deliveredAt: Type.Optional(
    Type.String({
      format: 'date-time',
      title: '公安机关收到复议文件的时间',
      description: '公安机关收到提请复议文件的时间（默认现在；其3日复议期限自此起算，第九条第二款）',
    }),
  ),
});
export const ForwardingBody = Type.Object({
  policeOrgan: Text(100, '有管辖权的机关', '受转送的有管辖权的机关（第七条）'),
  forwardedAt: Type.Optional(
    Type.String({ format: 'date-time', title: '转送时间', description: '转送时间（默认现在；应在签收后24小时内）' }),
  ),
});
export const SupervisionBody = Type.Object({ reasons: Text(10000, '建议立案监督的理由') });
export const SupervisionResultBody = Type.Object({
  result: Type.Union([Type.Literal('filed'), Type.Literal('upheld')], {
    title: '立案监督结果',
    description: 'filed 公安机关已立案 / upheld 人民检察院认为不立案理由成立',
  }),
  noticeReceivedAt: Type.Optional(
    Type.String({ format: 'date-time', title: '接到通知的时间', description: '接到人民检察院通知的时间（默认现在）' }),
  ),
  note: Type.Optional(Type.String({ maxLength: 5000, title: '说明', description: '通知载明的情况' })),
});
export const HandoverBody = Type.Object({ note: Text(5000, '移交情况', '移交的涉案物品及材料、交接手续') });
export const ReturnBody = Type.Object({ reason: Text(5000, '原因', '退回继续办理的原因') });

export const DraftSchema = Type.Object({
  due: Type.Union([
    Type.Object(
      {
        state: Type.Union([Type.Literal('due'), Type.Literal('pending')], {
          description: 'due 负责人已决定移送，应当报告 / pending 法制审核认为涉嫌犯罪，待负责人决定',
        }),
        text: Type.String({ description: '应当移送的说明及依据' }),
        crime: Type.Union([
          Type.Object({
            note: Type.String({ description: '涉嫌的犯罪及理由' }),
            reviewer: Type.String(),
            at: IsoDateTime,
          }),
          Type.Null(),
        ]),
        chiefReasons: Nullable(Type.String()),
      },
      { description: '本案是否应当移送' },
    ),
    Type.Null(),
  ]),
  draft: Type.Object(
    {
      teamIds: Type.Array(Uuid),
      reasons: Type.String(),
      evidence: Type.Array(
        Type.Object({
          name: Type.String(),
          quantity: Type.Optional(Type.String()),
          note: Type.Optional(Type.String()),
        }),
      ),
    },
    {
      description: '书面报告草稿（同 POST /api/cases/{id}/transfer 的请求，须补充受移送的公安机关和抄送的人民检察院）',
    },
  ),
});
