import { type Static, Type } from 'typebox';
import { CaseInfo, date, Issuer, oneOf, optionalText, text } from './kind-fields.js';

// What the review's own documents say: 法制审核意见书, 补正材料通知书, 协调意见, 集体讨论记录 and 负责人决定记录, with
// the review points and conclusions they answer. kinds.ts re-exports all of it and keeps the table of kinds.

// 否 / 是（需移送） answer the crime point (涉嫌犯罪移送); older opinions answered it 符合/不符合/不适用.
export const FINDINGS = ['符合', '不符合', '不适用', '否', '是（需移送）'] as const;
export const CONCLUSIONS = ['同意', '修改后同意', '退回补正', '不同意', '建议移送司法机关'] as const;
export const REVIEWER_KINDS = ['法制审核人员', '法律顾问', '公职律师'] as const;

/**
 * The points of 审核内容 (国办发〔2018〕118号), in the order of the opinion and in its words: the nine every opinion
 * answers, then 执法是否超越执法机关法定权限 (after the discretion benchmark, as 118号 lists it) and 其他 (118号's
 * closing 等). A department's own points (any other key, with their name) come before 其他. The review forms ask
 * these same names (cases/review-points.ts), so an opinion reads alike whether its caller named its points or not.
 */
export const REVIEW_POINTS = [
  { key: 'subject', name: '执法主体合法' },
  { key: 'personnel', name: '执法人员合法（持有有效执法证）' },
  { key: 'procedure', name: '执法程序合法' },
  { key: 'facts', name: '案件事实清楚' },
  { key: 'evidence', name: '证据合法充分' },
  { key: 'law', name: '适用法律、法规、规章准确' },
  { key: 'discretion', name: '裁量基准运用适当' },
  { key: 'authority', name: '执法未超越执法机关法定权限' },
  { key: 'documents', name: '执法文书完备规范' },
  { key: 'crime_transfer', name: '涉嫌犯罪移送' },
  { key: 'other', name: '其他' },
] as const;
/** The points every opinion answers; 权限 and 其他 came with issue 13, and opinions signed before lack them. */
export const REQUIRED_POINT_KEYS = [
  'subject',
  'personnel',
  'procedure',
  'facts',
  'evidence',
  'law',
  'discretion',
  'documents',
  'crime_transfer',
] as const satisfies readonly (typeof REVIEW_POINTS)[number]['key'][];
export type ReviewPointKey = (typeof REVIEW_POINTS)[number]['key'];

const Reviewer = Type.Object(
  {
    name: text('姓名'),
    kind: oneOf(REVIEWER_KINDS, '身份'),
    position: Type.Optional(optionalText('职务（用户资料中的“职务”，如 法规科科长；未设置时为 null）')),
    unit: Type.Optional(text('所在内设机构（法制审核机构）')),
  },
  { description: '审核人' },
);

/** The fields of one review point (审核要点) as the opinion's data gives it; ReviewPointView adds what templates see. */
export const pointFields = {
  key: Type.String({
    pattern: '^[a-z][a-z0-9_]{0,39}$',
    description: `要点代码：${REVIEW_POINTS.map((p) => p.key).join(' / ')}，或本机关自设要点的代码`,
  }),
  name: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 60,
      description: '要点名称（审核时的名称；默认要点可省略，本机关自设要点必填）',
    }),
  ),
  finding: oneOf(FINDINGS, '审核结果'),
  note: text('说明（可为空字符串）'),
};

/**
 * A limit the document gives the handling unit: that of the step the review's flow takes it to next, as the task (or
 * the timer on it) falls due, and what the flow does when it lapses.
 */
const limitFields = {
  dueDate: Type.Union([date('YYYY-MM-DD'), Type.Null()], {
    description: '期限届满日（YYYY-MM-DD）：流程下一步骤的办理期限；流程没有为该步骤设定期限时为 null',
  }),
  dueTime: optionalText(
    '届满时刻（HH:mm，北京时间）：期限不到届满日当天结束时（按小时或日历日计的定时器）；否则为 null',
  ),
  dueProvisional: Type.Boolean({
    description: '届满日是否暂按周一至周五推算（所跨年份的节假日安排尚未载入；载入后系统重新计算，已签署的文书不变）',
  }),
  lapse: optionalText('逾期的后果，按流程逾期时实际执行的处理写明（如 视为撤回送审）；流程逾期不作处理时为 null'),
};
const limit = (description: string) =>
  Type.Optional(Type.Union([Type.Object(limitFields, { description }), Type.Null()], { description }));

export const ReviewOpinionData = Type.Object({
  case: CaseInfo,
  round: Type.Integer({
    minimum: 1,
    description: '第几次审核（实质审核的次数；受理审查时补正材料不计，复核时为所复核的那次审核）',
  }),
  rereview: Type.Optional(Type.Boolean({ description: '是否为复核意见（对审核意见提出异议后的复核）' })),
  points: Type.Array(Type.Object(pointFields), {
    minItems: 9,
    maxItems: 40,
    description: '审核要点，每项一次：九项必备要点，以及（审核时适用的）超越法定权限、其他和本机关自设要点',
  }),
  conclusion: oneOf(CONCLUSIONS, '审核结论'),
  reasons: text('理由'),
  suggestions: optionalText('修改或补正建议'),
  objection: limit(
    '异议告知：不同意的审核意见（非复核）且流程转入“对审核意见是否提出异议”时，承办机构提出异议、申请复核的期限；否则为 null',
  ),
  resubmission: limit(
    '补正期限：修改后同意、退回补正的审核意见且流程转入“修改补正并再次报送”时，再次报送审核的期限；否则为 null',
  ),
  reviewer: Reviewer,
  issuer: Issuer,
});

export const CorrectionNoticeData = Type.Object({
  case: CaseInfo,
  round: Type.Integer({ minimum: 1, description: '第几次报送审核（实质审核的次数，受理审查时补正材料不计）' }),
  missingMaterials: Type.Array(
    Type.Object({
      name: text('材料名称'),
      requirement: text('补正要求（受理审查写明的；未写明且送审材料中没有该材料的为“未提交，请补充提交”）'),
    }),
    {
      minItems: 1,
      description: '需补正的材料',
    },
  ),
  dueDate: Type.Union([date('YYYY-MM-DD'), Type.Null()], {
    description: '补正期限（YYYY-MM-DD）：流程为“补充送审材料”设定的期限（定时器或办理期限）；没有设定时为 null',
  }),
  dueTime: Type.Optional(limitFields.dueTime),
  dueProvisional: Type.Optional(limitFields.dueProvisional),
  lapse: Type.Optional(
    optionalText('逾期未补正的后果，按流程实际执行的处理写明（如 视为撤回送审）；流程逾期不作处理时为 null'),
  ),
  note: optionalText('其他说明'),
  issuer: Issuer,
});

export const CoordinationRecordData = Type.Object({
  case: CaseInfo,
  heldOn: Type.Union([date('YYYY-MM-DD'), Type.Null()], {
    description: '协调日期（YYYY-MM-DD）；null：流程的协调表单未询问协调日期（早期版本），文书不得以他日代替',
  }),
  place: optionalText('协调地点；null：未填写（如书面协调）'),
  handlingUnitPosition: text('承办机构意见'),
  reviewUnitPosition: text('法制审核机构意见'),
  note: text('协调意见'),
  agreed: Type.Boolean({ description: '是否达成一致' }),
  outcome: Type.Optional(text('协调结果的表述（经协调……）')),
  confirmations: Type.Optional(
    Type.Array(
      Type.Object({
        unit: text('确认人身份'),
        name: text('确认人'),
        date: date('确认日期（YYYY-MM-DD）'),
        time: text('确认时刻（HH:mm，北京时间）'),
      }),
      {
        description: '达成一致时双方机构负责人的确认',
      },
    ),
  ),
  participants: Type.Array(Type.Object({ name: text('姓名'), unit: text('单位'), role: text('职务或身份') }), {
    minItems: 1,
    description: '参加人员',
  }),
  recorder: text('记录人'),
  issuer: Issuer,
});

/** 集体讨论记录 (行政处罚法第五十七条第二款): who met, what each said, and the majority's result. */
export const CollectiveRecordData = Type.Object({
  case: CaseInfo,
  heldAt: text('讨论时间，如 2026年12月7日 10:00'),
  place: text('讨论地点'),
  chair: Type.Object({ name: text('姓名'), title: text('职务') }, { description: '主持人（召集讨论的负责人）' }),
  proposal: text('提请讨论的拟作出的决定'),
  reviewConclusion: Type.Union([oneOf(CONCLUSIONS, '法制审核结论'), Type.Null()], {
    description: '法制审核结论（复核改变了结论的，为复核的结论）；尚无审核意见时为 null',
  }),
  reviewOpinionNumber: optionalText('法制审核意见书文号'),
  leadersTotal: Type.Integer({ minimum: 1, description: '机关负责人名单的人数' }),
  attending: Type.Integer({ minimum: 1, description: '出席人数' }),
  attendees: Type.Array(
    Type.Object({
      no: Type.Integer({ description: '序号，从 1 起' }),
      name: text('姓名'),
      position: text('职务'),
      vote: text('表决意见：同意 / 不同意'),
      opinion: text('发表的意见'),
    }),
    { minItems: 1, description: '出席人员及其意见' },
  ),
  agree: Type.Integer({ minimum: 0, description: '同意人数' }),
  disagree: Type.Integer({ minimum: 0, description: '不同意人数' }),
  result: text('讨论结果（按多数人意见）'),
  issuer: Issuer,
});

export const ChiefDecisionData = Type.Object({
  case: CaseInfo,
  handlingProposal: text('承办机构意见'),
  reviewConclusion: oneOf(CONCLUSIONS, '法制审核结论'),
  reviewOpinionNumber: optionalText('法制审核意见书文号'),
  decision: text('负责人决定'),
  departsFromReview: Type.Boolean({ description: '决定是否与法制审核意见不一致' }),
  departsFromProposal: Type.Boolean({ description: '决定是否与承办机构意见不一致' }),
  overrideReasons: optionalText('不采纳的书面理由（不一致时必填）'),
  reasons: Type.Optional(optionalText('负责人的书面理由（无论是否与审核意见一致，写了即保留）')),
  modifiedDecision: Type.Optional(optionalText('修改后的决定内容（修改后作出决定时）')),
  coordination: Type.Optional(optionalText('协调结果（经协调后报请负责人决定时）')),
  collectiveRecordNumber: Type.Optional(optionalText('集体讨论记录的文号（经负责人集体讨论决定的）')),
  responsibility: text('责任承担'),
  chief: Type.Object(
    { name: text('姓名'), title: text('职务（取自用户的职务，如 局长、副局长；未设置时为“负责人”）') },
    { description: '负责人' },
  ),
  issuer: Issuer,
  decidedOn: date('决定日期（YYYY-MM-DD）'),
});

export type ReviewOpinionData = Static<typeof ReviewOpinionData>;
export type CorrectionNoticeData = Static<typeof CorrectionNoticeData>;
export type CoordinationRecordData = Static<typeof CoordinationRecordData>;
export type ChiefDecisionData = Static<typeof ChiefDecisionData>;
export type CollectiveRecordData = Static<typeof CollectiveRecordData>;
