import { type Static, Type } from 'typebox';
import { Uuid } from '../http/schemas.js';

const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
const Text = (max: number, description: string) => Type.String({ maxLength: max, description });
const Files = Type.Optional(
  Type.Array(Uuid, { maxItems: 50, description: '本案已上传附件的 id（证据、文书、送达回证、音像记录）' }),
);

/** What every event may carry: the id its source gave it, so that the same event sent twice is recorded once. */
const common = {
  externalId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: '来源系统的事件编号（同一编号只记录一次）' }),
  ),
};

export const StageEvent = Type.Union([
  Type.Object(
    { type: Type.Literal('filed'), ...common, date: Day('立案日期'), note: Type.Optional(Text(2000, '说明')) },
    { description: '立案（起算九十日办案期限）' },
  ),
  Type.Object(
    {
      type: Type.Literal('stage_opened'),
      ...common,
      kind: Type.Union(
        [Type.Literal('investigation'), Type.Literal('onsite'), Type.Literal('seizure'), Type.Literal('demolition')],
        { description: 'investigation 调查取证 / onsite 现场执法 / seizure 查封扣押 / demolition 强制拆除' },
      ),
      date: Day('开始日期'),
      actors: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 20 })),
      note: Type.Optional(Text(2000, '说明')),
      attachmentIds: Files,
    },
    { description: '开始调查取证、现场执法、查封扣押或强制拆除' },
  ),
  Type.Object(
    {
      type: Type.Literal('stage_closed'),
      ...common,
      stageId: Uuid,
      date: Day('结束日期'),
      note: Type.Optional(Text(2000, '说明')),
    },
    { description: '结束一个环节（查封扣押、强制拆除须有音像记录）' },
  ),
  Type.Object(
    {
      type: Type.Literal('files_linked'),
      ...common,
      date: Day('关联日期'),
      stageId: Uuid,
      attachmentIds: Type.Array(Uuid, { minItems: 1, maxItems: 50 }),
      purpose: Type.Union([
        Type.Literal('recording'),
        Type.Literal('proof'),
        Type.Literal('document'),
        Type.Literal('other'),
      ]),
    },
    { description: '为环节关联附件' },
  ),
  Type.Object(
    {
      type: Type.Literal('notice_served'),
      ...common,
      date: Day('告知日期'),
      statementWorkingDays: Type.Optional(
        Type.Integer({ minimum: 1, maximum: 30, description: '陈述、申辩期限（工作日），默认 5' }),
      ),
      hearingRight: Type.Boolean({ description: '是否告知要求听证的权利（行政处罚法第六十三条）' }),
      attachmentIds: Files,
    },
    { description: '事先告知（行政处罚事先告知书送达当事人）' },
  ),
  Type.Object(
    {
      type: Type.Literal('statement'),
      ...common,
      date: Day('日期'),
      waived: Type.Boolean({ description: '当事人明确放弃陈述、申辩的权利' }),
      hearingWaived: Type.Optional(
        Type.Boolean({
          title: '放弃要求听证',
          description: '当事人同时明确放弃要求听证的权利（须另行明示，放弃陈述、申辩不等于放弃听证）',
        }),
      ),
      content: Type.Optional(
        Type.String({ maxLength: 10000, title: '陈述、申辩内容', description: '陈述、申辩的内容及复核意见' }),
      ),
      factsChanged: Type.Optional(Type.Boolean({ description: '采纳后改变了认定事实或拟作决定（重新法制审核）' })),
      revisedFacts: Type.Optional(Text(20000, '变更后的认定事实')),
      revisedProposal: Type.Optional(Text(20000, '变更后的拟作决定')),
      attachmentIds: Files,
    },
    { description: '陈述、申辩（或当事人明确放弃）' },
  ),
  Type.Object(
    { type: Type.Literal('hearing_requested'), ...common, date: Day('提出日期') },
    { description: '当事人要求听证（告知后五日内）' },
  ),
  Type.Object(
    {
      type: Type.Literal('hearing_notified'),
      ...common,
      date: Day('通知日期'),
      hearingDate: Day('举行听证日期'),
      hearingTime: Type.String({
        pattern: '^([01]\\d|2[0-3]):[0-5]\\d$',
        description: '举行听证的时刻（HH:mm，写入听证通知书；第六十四条第（二）项须通知听证的时间、地点）',
      }),
      place: Type.String({ minLength: 1, maxLength: 200 }),
      presiderId: Type.String({
        format: 'uuid',
        description: '听证主持人：本机关指定的非本案调查人员（用户 id；不得为送审人或承办执法人员）',
      }),
      presider: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 50,
          description: '听证主持人姓名：可不填，取所选人员的姓名；填写的须与之一致',
        }),
      ),
    },
    { description: '听证通知（举行听证七日前）' },
  ),
  Type.Object(
    {
      type: Type.Literal('hearing_held'),
      ...common,
      date: Day('举行日期'),
      factsChanged: Type.Boolean({ description: '听证改变了认定事实或拟作决定（重新法制审核）' }),
      revisedFacts: Type.Optional(Text(20000, '变更后的认定事实')),
      revisedProposal: Type.Optional(Text(20000, '变更后的拟作决定')),
      note: Type.Optional(Text(10000, '听证情况')),
      attachmentIds: Files,
    },
    { description: '举行听证（听证笔录）' },
  ),
  Type.Object(
    {
      type: Type.Literal('hearing_waived'),
      ...common,
      date: Day('日期'),
      reason: Type.Union([Type.Literal('withdrawn'), Type.Literal('absent')]),
    },
    { description: '当事人撤回听证要求或无正当理由不出席（视为放弃）' },
  ),
  Type.Object(
    {
      type: Type.Literal('served'),
      ...common,
      date: Day('送达日期'),
      method: Type.Union(
        [
          Type.Literal('direct'),
          Type.Literal('left'),
          Type.Literal('post'),
          Type.Literal('electronic'),
          Type.Literal('public_notice'),
        ],
        { description: 'direct 直接 / left 留置 / post 邮寄 / electronic 电子 / public_notice 公告' },
      ),
      recipient: Type.Optional(Type.String({ maxLength: 100, description: '受送达人或签收人' })),
      servicePlace: Type.Optional(
        Text(
          200,
          '送达地点：直接、留置送达的地点，邮寄送达的收件地址，电子送达的电子送达地址；不填为当事人住所（电子送达不填则不载明，公告送达不填）',
        ),
      ),
      consentConfirmed: Type.Optional(
        Type.Boolean({ description: '电子送达：当事人同意并签订确认书（行政处罚法第六十一条第二款）' }),
      ),
      servedDocuments: Type.Optional(
        Type.Array(Type.Union([Type.Literal('decision'), Uuid]), {
          minItems: 1,
          maxItems: 20,
          description:
            '本次送达的文书：decision 为行政处罚决定书，其余为本案已出具的告知书、通知书的 id；不填为行政处罚决定书',
        }),
      ),
      witness: Type.Optional(
        Type.String({ maxLength: 100, description: '见证人（留置送达时到场的基层组织或者所在单位的代表）' }),
      ),
      refusalReason: Type.Optional(Text(500, '拒收事由（留置送达，民事诉讼法第八十九条）')),
      attachmentIds: Files,
    },
    { description: '送达行政处罚决定书等文书' },
  ),
  Type.Object(
    {
      type: Type.Literal('executed'),
      ...common,
      date: Day('日期'),
      mode: Type.Union([Type.Literal('voluntary'), Type.Literal('enforced'), Type.Literal('court')], {
        description: 'voluntary 自觉履行 / enforced 行政强制执行 / court 申请人民法院强制执行',
      }),
      note: Type.Optional(Text(2000, '说明')),
      attachmentIds: Files,
    },
    { description: '执行' },
  ),
  Type.Object(
    {
      type: Type.Literal('limit_extended'),
      ...common,
      date: Day('批准日期'),
      days: Type.Integer({ minimum: 1, maximum: 90 }),
      basis: Type.String({ minLength: 2, maxLength: 500, description: '延长的依据' }),
      reason: Type.String({ minLength: 2, maxLength: 2000 }),
    },
    { description: '延长办案期限（法律、法规、规章另有规定的，一次，负责人批准）' },
  ),
  Type.Object(
    { type: Type.Literal('archived'), ...common, date: Day('结案日期'), note: Type.Optional(Text(2000, '说明')) },
    { description: '结案归档' },
  ),
]);

export type StageEventInput = Static<typeof StageEvent>;

export const StageSchema = Type.Object({
  id: Uuid,
  kind: Type.String(),
  label: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  startedOn: Type.String(),
  endedOn: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  files: Type.Array(
    Type.Object({
      attachmentId: Uuid,
      purpose: Type.String(),
      fileName: Type.String(),
      mediaType: Type.String(),
      recording: Type.Boolean(),
    }),
  ),
  documents: Type.Array(
    Type.Object({ documentId: Uuid, kind: Type.String(), name: Type.String(), number: Type.String() }),
    { description: '该环节出具的文书（事先告知书、听证通知书、送达回证）' },
  ),
});

export const LifecycleSchema = Type.Object({
  caseId: Uuid,
  filedOn: Type.Union([Type.String(), Type.Null()]),
  decisionDueOn: Type.Union([Type.String(), Type.Null()]),
  extension: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  overdue: Type.Boolean({ description: '已超过办案期限（行政处罚法第六十条）' }),
  archivedOn: Type.Union([Type.String(), Type.Null()]),
  decided: Type.Boolean(),
  decisionBlocked: Type.Union([Type.String(), Type.Null()]),
  stages: Type.Array(StageSchema),
  reviewRounds: Type.Array(
    Type.Object({
      round: Type.Integer(),
      submittedAt: Type.String(),
      conclusion: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  flags: Type.Array(
    Type.Object({ code: Type.String(), stageId: Type.Union([Uuid, Type.Null()]), message: Type.String() }),
  ),
});

export const EventResult = Type.Object({
  eventId: Uuid,
  stageId: Type.Union([Uuid, Type.Null()]),
  duplicate: Type.Boolean({ description: '同一来源的同一事件编号已记录过，本次未重复记录' }),
  reopenedRound: Type.Union([Type.Integer(), Type.Null()]),
});
