import { type Static, type TSchema, Type } from 'typebox';

/** The documents (文书) the review's flows issue (fashen:documentTemplate names one of these). */
export const REVIEW_DOCUMENT_KINDS = [
  'review_opinion',
  'correction_notice',
  'coordination_record',
  'chief_decision',
] as const;

/**
 * Every document Fashen issues, each with its own template, numbering and variables: the review's, and the
 * justice bureau's supervision documents (监督意见书, 纠正通知书), which no flow issues.
 */
export const DOCUMENT_KINDS = [
  ...REVIEW_DOCUMENT_KINDS,
  'supervision_opinion',
  'rectification_notice',
  'transfer_notice',
  'collective_record',
  'penalty_notice',
  'hearing_notice',
  'service_receipt',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * What each kind of document says, as the data its template receives. The schemas are the one description
 * of the variables: issueDocument checks the caller's data against them and GET /api/templates lists them.
 */
const text = (description: string) => Type.String({ description });
const optionalText = (description: string) => Type.Union([Type.String(), Type.Null()], { description });
const date = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
const oneOf = <const T extends string[]>(values: readonly [...T], description: string) =>
  Type.Enum(values, { description: `${description}：${values.join(' / ')}` });

export const CATEGORIES = ['行政许可', '行政处罚', '行政强制', '行政征收征用'] as const;
// 否 / 是（需移送） answer the crime point (涉嫌犯罪移送); older opinions answered it 符合/不符合/不适用.
export const FINDINGS = ['符合', '不符合', '不适用', '否', '是（需移送）'] as const;
export const CONCLUSIONS = ['同意', '修改后同意', '退回补正', '不同意', '建议移送司法机关'] as const;
export const REVIEWER_KINDS = ['法制审核人员', '法律顾问', '公职律师'] as const;

/**
 * The points of 审核内容 (国办发〔2018〕118号), in the order of the opinion: the nine every opinion answers, then
 * 执法是否超越法定权限 and 其他. A department's own points (any other key, with their name) come before 其他.
 */
export const REVIEW_POINTS = [
  { key: 'subject', name: '主体合法' },
  { key: 'personnel', name: '人员合法（执法证）' },
  { key: 'procedure', name: '程序合法' },
  { key: 'facts', name: '事实清楚' },
  { key: 'evidence', name: '证据合法充分' },
  { key: 'law', name: '适用法律准确' },
  { key: 'discretion', name: '裁量基准适当' },
  { key: 'authority', name: '未超越法定权限' },
  { key: 'documents', name: '文书完备规范' },
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

const CaseInfo = Type.Object(
  {
    number: text('案件编号'),
    title: text('案件名称'),
    party: text('当事人（行政相对人）'),
    category: oneOf(CATEGORIES, '决定类别'),
    handlingUnit: text('承办机构（主送单位），如 执法稽查局；机关未设内设机构时为机关名称'),
    reviewUnit: text('法制审核机构，如 法规科；机关未设法制审核机构时为机关名称'),
  },
  { description: '案件' },
);

const Reviewer = Type.Object(
  {
    name: text('姓名'),
    kind: oneOf(REVIEWER_KINDS, '身份'),
    position: Type.Optional(optionalText('职务（用户资料中的“职务”，如 法规科科长；未设置时为 null）')),
    unit: Type.Optional(text('所在内设机构（法制审核机构）')),
  },
  { description: '审核人' },
);

/** Who issued the document and signs it (SM2): every document of a case has one. */
const Issuer = Type.Object(
  {
    name: text('姓名'),
    position: text('职务：用户资料中的“职务”，未设置时按角色为 法制审核人员 / 法制机构工作人员 / 负责人 等'),
    unit: text('签发单位：签发人所在的内设机构（如 法规科）；未设内设机构时为法制审核机构或机关名称'),
  },
  { description: '签发人（签署本文书的用户）' },
);

const pointFields = {
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
  reviewer: Reviewer,
  issuer: Issuer,
});

export const CorrectionNoticeData = Type.Object({
  case: CaseInfo,
  round: Type.Integer({ minimum: 1, description: '第几次报送审核（实质审核的次数，受理审查时补正材料不计）' }),
  missingMaterials: Type.Array(Type.Object({ name: text('材料名称'), requirement: text('补正要求') }), {
    minItems: 1,
    description: '需补正的材料',
  }),
  dueDate: date('补正期限（YYYY-MM-DD）'),
  note: optionalText('其他说明'),
  issuer: Issuer,
});

export const CoordinationRecordData = Type.Object({
  case: CaseInfo,
  heldOn: date('协调日期（YYYY-MM-DD）'),
  place: optionalText('协调地点'),
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
  reviewConclusion: text('法制审核结论'),
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
  responsibility: text('责任承担'),
  chief: Type.Object(
    { name: text('姓名'), title: text('职务（取自用户的职务，如 局长、副局长；未设置时为“负责人”）') },
    { description: '负责人' },
  ),
  issuer: Issuer,
  decidedOn: date('决定日期（YYYY-MM-DD）'),
});

/** 行政执法监督意见书 and 纠正通知书: the justice bureau to an agency, about one of its cases or its work. */
const SupervisionFields = {
  agency: text('被监督的执法机关'),
  case: Type.Union(
    [
      Type.Object(
        { number: text('案件编号'), title: text('案件名称'), party: text('当事人（行政相对人）') },
        { description: '所涉案件' },
      ),
      Type.Null(),
    ],
    { description: '所涉案件；针对机关整体执法工作时为 null' },
  ),
  subject: text('事由'),
  findings: text('发现的问题'),
  requirements: text('监督意见或纠正要求'),
  legalBasis: optionalText('依据'),
  workingDays: Type.Integer({ minimum: 1, maximum: 60, description: '办理期限（工作日）' }),
  dueDate: date('办理期限届满日（YYYY-MM-DD）'),
  supervisor: Type.Object({ name: text('姓名') }, { description: '监督人员' }),
};
export const SupervisionOpinionData = Type.Object(SupervisionFields);
export const RectificationNoticeData = Type.Object(SupervisionFields);
export type SupervisionOpinionData = Static<typeof SupervisionOpinionData>;

/** 涉嫌犯罪案件移送书 (国务院令第310号 第六条): the agency to the public security organ, copied to the procuratorate. */
export const TransferNoticeData = Type.Object({
  case: Type.Object(
    { number: text('案件编号'), title: text('案件名称'), party: text('当事人（行政相对人）') },
    { description: '案件' },
  ),
  policeOrgan: text('受移送的公安机关（主送）'),
  procuratorate: text('抄送的人民检察院'),
  facts: text('案件基本情况（查明的事实）'),
  reasons: text('涉嫌犯罪的事实和理由（专案组书面报告）'),
  evidence: Type.Array(
    Type.Object({
      no: Type.Integer({ description: '序号，从 1 起' }),
      name: text('材料名称'),
      quantity: text('数量'),
      note: text('备注'),
    }),
    { minItems: 1, maxItems: 50, description: '随案移送的材料（涉案物品清单、检验报告或者鉴定结论等）' },
  ),
  evidenceCount: Type.Integer({ minimum: 1, maximum: 50, description: '随案移送的材料项数' }),
  team: text('专案组成员（姓名，以顿号分隔）'),
  approvedOn: date('负责人批准移送的日期（YYYY-MM-DD）'),
  chief: Type.Object({ name: text('姓名'), title: text('职务') }, { description: '批准移送的负责人' }),
});
export type TransferNoticeData = Static<typeof TransferNoticeData>;

/**
 * 行政处罚事先告知书 (行政处罚法第四十四条): the proposed penalty with its facts, reasons and basis, and the party's
 * rights with their deadlines: 陈述、申辩 (第四十五条) and, where 第六十三条 applies, 要求听证 within 五日 (第六十四条).
 */
export const PenaltyNoticeData = Type.Object({
  case: CaseInfo,
  party: Type.Object(
    { name: text('当事人名称或姓名'), idCode: text('统一社会信用代码或身份证件号码'), address: text('住所或地址') },
    { description: '当事人' },
  ),
  facts: text('认定的违法事实'),
  reasons: text('理由（裁量情节与说明）'),
  legalBasis: text('依据（法律条文，以顿号分隔）'),
  proposal: text('拟作出的行政处罚'),
  noticeDate: date('告知日期（YYYY-MM-DD）'),
  statementWorkingDays: Type.Integer({ minimum: 1, maximum: 30, description: '陈述、申辩期限（工作日）' }),
  statementDue: date('陈述、申辩期限届满日（YYYY-MM-DD）'),
  hearingRight: Type.Boolean({ description: '是否告知要求听证的权利（第六十三条）' }),
  hearingRequestDue: Type.Union([date('要求听证期限届满日'), Type.Null()], {
    description: '要求听证期限届满日（YYYY-MM-DD；未告知听证权利时为 null）',
  }),
  issuer: Issuer,
});
export type PenaltyNoticeData = Static<typeof PenaltyNoticeData>;

/** 听证通知书 (第六十四条第（二）至（六）项): the hearing's time and place, 七日 ahead, its presider and the rights. */
export const HearingNoticeData = Type.Object({
  case: CaseInfo,
  proposal: text('拟作出的行政处罚（听证的事项）'),
  requestedOn: date('当事人要求听证的日期（YYYY-MM-DD）'),
  notifiedOn: date('通知日期（YYYY-MM-DD）'),
  hearingDate: date('举行听证的日期（YYYY-MM-DD）'),
  hearingTime: optionalText('举行听证的时刻（HH:mm，未定时为 null）'),
  place: text('听证地点'),
  presider: text('听证主持人（非本案调查人员）'),
  issuer: Issuer,
});
export type HearingNoticeData = Static<typeof HearingNoticeData>;

/** 送达回证 (第六十一条; 民事诉讼法第八十七条、第八十九条): what was served, how, on whom, when, and who signed. */
export const ServiceReceiptData = Type.Object({
  case: CaseInfo,
  documents: Type.Array(Type.Object({ name: text('文书名称'), number: optionalText('文号') }), {
    minItems: 1,
    description: '本次送达的文书（名称及文号），如 行政处罚决定书（市监罚〔2026〕31号）',
  }),
  documentName: text('送达文书名称，多件以顿号分隔（保留给早先的模板；新模板用 documents）'),
  documentNumber: optionalText('送达文书的文号，多件以顿号分隔（保留给早先的模板）'),
  recipient: text('受送达人'),
  address: optionalText('送达地点'),
  method: text('送达方式：直接送达 / 留置送达 / 邮寄送达 / 电子送达 / 公告送达'),
  servedOn: date('送达日期（YYYY-MM-DD）'),
  signer: optionalText('签收人（直接送达时）'),
  witness: optionalText('见证人（留置送达时到场的基层组织或者所在单位的代表）'),
  note: optionalText('备注：留置送达的情况、电子送达的确认书、公告的载体等'),
  issuer: Issuer,
});
export type ServiceReceiptData = Static<typeof ServiceReceiptData>;
export type RectificationNoticeData = Static<typeof RectificationNoticeData>;

export type ReviewOpinionData = Static<typeof ReviewOpinionData>;
export type CorrectionNoticeData = Static<typeof CorrectionNoticeData>;
export type CoordinationRecordData = Static<typeof CoordinationRecordData>;
export type ChiefDecisionData = Static<typeof ChiefDecisionData>;
export type CollectiveRecordData = Static<typeof CollectiveRecordData>;

/** The data a caller gives for each kind. */
export interface DocumentDataByKind {
  review_opinion: ReviewOpinionData;
  correction_notice: CorrectionNoticeData;
  coordination_record: CoordinationRecordData;
  chief_decision: ChiefDecisionData;
  supervision_opinion: SupervisionOpinionData;
  rectification_notice: RectificationNoticeData;
  transfer_notice: TransferNoticeData;
  collective_record: CollectiveRecordData;
  penalty_notice: PenaltyNoticeData;
  hearing_notice: HearingNoticeData;
  service_receipt: ServiceReceiptData;
}
export type DocumentData = { [K in DocumentKind]: { kind: K; data: DocumentDataByKind[K] } }[DocumentKind];

/** Added to every kind's data by the service; templates see these at the top level too. */
export const CommonFields = Type.Object({
  number: text('文号，如 市监法审〔2026〕12号'),
  year: Type.Integer({ description: '文号年份' }),
  department: Type.Object(
    { name: text('机关名称'), abbr: text('机关代字（未设置时为机关代码）') },
    { description: '发文机关' },
  ),
  issuedOn: date('成文日期（YYYY-MM-DD，北京时间）'),
});
export type CommonFields = Static<typeof CommonFields>;

/** Fields the service adds to one item of `points` before the template sees it. */
export const ReviewPointView = Type.Object({
  no: Type.Integer({ description: '序号，从 1 起' }),
  ...pointFields,
  name: text('要点名称（审核时的名称，如 执法主体合法）'),
});

/** 市监 + 法审 + 〔2026〕 + 12号: GB/T 9704 document numbers, year in 六角括号, no leading zeros. */
export function formatDocumentNumber(abbr: string, kind: DocumentKind, year: number, n: number): string {
  return `${abbr}${KINDS[kind].numberSuffix}〔${year}〕${n}号`;
}

export interface KindInfo {
  kind: DocumentKind;
  name: string;
  numberSuffix: string;
  schema: TSchema;
}

export const KINDS: Record<DocumentKind, KindInfo> = {
  review_opinion: { kind: 'review_opinion', name: '法制审核意见书', numberSuffix: '法审', schema: ReviewOpinionData },
  correction_notice: {
    kind: 'correction_notice',
    name: '补正材料通知书',
    numberSuffix: '补正',
    schema: CorrectionNoticeData,
  },
  coordination_record: {
    kind: 'coordination_record',
    name: '协调意见',
    numberSuffix: '协调',
    schema: CoordinationRecordData,
  },
  chief_decision: { kind: 'chief_decision', name: '负责人决定记录', numberSuffix: '决定', schema: ChiefDecisionData },
  supervision_opinion: {
    kind: 'supervision_opinion',
    name: '行政执法监督意见书',
    numberSuffix: '执监意',
    schema: SupervisionOpinionData,
  },
  rectification_notice: {
    kind: 'rectification_notice',
    name: '行政执法监督纠正通知书',
    numberSuffix: '执监纠',
    schema: RectificationNoticeData,
  },
  transfer_notice: {
    kind: 'transfer_notice',
    name: '涉嫌犯罪案件移送书',
    numberSuffix: '移送',
    schema: TransferNoticeData,
  },
  collective_record: {
    kind: 'collective_record',
    name: '集体讨论记录',
    numberSuffix: '集讨',
    schema: CollectiveRecordData,
  },
  penalty_notice: {
    kind: 'penalty_notice',
    name: '行政处罚事先告知书',
    numberSuffix: '罚告',
    schema: PenaltyNoticeData,
  },
  hearing_notice: { kind: 'hearing_notice', name: '听证通知书', numberSuffix: '听通', schema: HearingNoticeData },
  service_receipt: { kind: 'service_receipt', name: '送达回证', numberSuffix: '送回', schema: ServiceReceiptData },
};
