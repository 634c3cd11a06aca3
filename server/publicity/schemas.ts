import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../http/schemas.js';

const DateOnly = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
export const DisclosureCategorySchema = Type.Union(
  [
    Type.Literal('licensing'),
    Type.Literal('penalty'),
    Type.Literal('coercion'),
    Type.Literal('levy'),
    Type.Literal('inspection'),
  ],
  { description: '决定类别：许可、处罚、强制、征收征用、检查' },
);

export const WithdrawnNoticeSchema = Type.Object({
  id: Uuid,
  agencyId: Uuid,
  agency: Type.String(),
  decisionNumber: Type.String(),
  decisionDate: DateOnly,
  category: DisclosureCategorySchema,
  withdrawnAt: IsoDateTime,
  reason: Type.String(),
});

export const PublicDecisionSchema = Type.Object(
  {
    id: Uuid,
    agencyId: Uuid,
    agency: Type.String({ description: '执法机关' }),
    decisionNumber: Type.String({ description: '决定书文号' }),
    decisionDate: DateOnly,
    category: DisclosureCategorySchema,
    partyType: Type.Union([Type.Literal('person'), Type.Literal('organization')]),
    title: Type.String(),
    party: Type.String({ description: '当事人（自然人已脱敏）' }),
    partyCode: Type.String({ description: '统一社会信用代码（自然人为空）' }),
    facts: Type.String({ description: '违法事实/事实摘要' }),
    legalBasis: Type.String({ description: '法律依据' }),
    decision: Type.String({ description: '决定内容' }),
    publishedAt: IsoDateTime,
  },
  { description: '已公开的执法决定' },
);

export const DecisionSearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: '全文检索' })),
  party: Type.Optional(Type.String({ maxLength: 100, description: '当事人' })),
  agency: Type.Optional(Uuid),
  category: Type.Optional(DisclosureCategorySchema),
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 10000, default: 0 }),
});

export const DecisionPage = Type.Object({ items: Type.Array(PublicDecisionSchema), hasMore: Type.Boolean() });

export const AgencySchema = Type.Object({ id: Uuid, code: Type.String(), name: Type.String() });
export const OfficerSchema = Type.Object({
  name: Type.String(),
  certificateNumber: Type.String({ description: '执法证号' }),
  domain: Type.Union([Type.String(), Type.Null()], { description: '执法领域' }),
});
export const AgencyProfileSchema = Type.Object({
  agency: AgencySchema,
  officers: Type.Array(OfficerSchema),
  catalogue: Type.Union([
    Type.Object({
      version: Type.Integer(),
      items: Type.Array(
        Type.Object({
          code: Type.String(),
          categoryLabel: Type.String(),
          name: Type.String(),
          basis: Type.Union([Type.String(), Type.Null()]),
        }),
      ),
    }),
    Type.Null(),
  ]),
});

const Content = Type.Object({
  title: Type.String({ maxLength: 500 }),
  party: Type.String({ maxLength: 500 }),
  facts: Type.String({ maxLength: 50000 }),
  legalBasis: Type.String({ maxLength: 10000 }),
  decision: Type.String({ maxLength: 50000 }),
});
const FullContent = Type.Intersect([Content, Type.Object({ partyCode: Type.String() })]);

export const DisclosureStateSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('due_soon'),
  Type.Literal('overdue'),
  Type.Literal('published'),
  Type.Literal('withdrawn'),
  Type.Literal('expired'),
  Type.Literal('cancelled'),
]);

export const DisclosureSummary = Type.Object({
  id: Uuid,
  caseId: Type.Union([Uuid, Type.Null()]),
  category: DisclosureCategorySchema,
  decisionNumber: Type.String(),
  decisionDate: DateOnly,
  title: Type.String(),
  party: Type.String(),
  state: DisclosureStateSchema,
  dueAt: IsoDateTime,
  dueProvisional: Type.Boolean(),
  publishedAt: Type.Union([IsoDateTime, Type.Null()]),
  withdrawnAt: Type.Union([IsoDateTime, Type.Null()]),
  withdrawalReason: Type.Union([Type.String(), Type.Null()]),
  retentionUntil: Type.Union([DateOnly, Type.Null()]),
  withdrawal: Type.Union([
    Type.Object({ dueAt: IsoDateTime, reason: Type.String(), overdue: Type.Boolean() }),
    Type.Null(),
  ]),
  cancellation: Type.Union(
    [Type.Object({ at: IsoDateTime, reason: Type.String({ description: '纠错的复议决定或裁判' }) }), Type.Null()],
    { description: '不予公开：决定在公开前被行政复议或行政诉讼变更、撤销、确认违法或确认无效' },
  ),
});

export const DisclosureList = Type.Object({ items: Type.Array(DisclosureSummary), overdue: Type.Integer() });
export const DisclosureListQuery = Type.Object({
  state: Type.Optional(
    Type.Union([
      Type.Literal('open'),
      Type.Literal('overdue'),
      Type.Literal('published'),
      Type.Literal('withdrawn'),
      Type.Literal('cancelled', { title: '不予公开' }),
    ]),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const DisclosureDetail = Type.Intersect([
  DisclosureSummary,
  Type.Object({
    original: FullContent,
    redacted: FullContent,
    findings: Type.Array(
      Type.Object({
        field: Type.String(),
        kind: Type.String(),
        start: Type.Integer(),
        end: Type.Integer(),
        replacement: Type.String(),
      }),
    ),
    events: Type.Array(
      Type.Object({
        type: Type.String(),
        actor: Type.Union([Type.String(), Type.Null()]),
        payload: Type.Record(Type.String(), Type.Unknown()),
        at: IsoDateTime,
      }),
    ),
  }),
]);

export const ApproveBody = Type.Object({
  redacted: Content,
  confirmRemaining: Type.Optional(Type.Boolean({ description: '确认剩余被识别的信息应当公开' })),
});
export const ApproveResult = Type.Object({
  status: Type.Literal('published'),
  publishedAt: IsoDateTime,
  timely: Type.Boolean({ description: '是否在法定期限内公开' }),
  retentionUntil: DateOnly,
});

/**
 * 撤下事由, published before the reason. The first four are what 行政处罚法 art. 48(2) names (变更、撤销、确认违法
 * 或者确认无效), as the 复议 and court outcomes call them (`challenges/outcomes.ts`); 撤销, the commonest, is
 * first, the form's default.
 */
export const WITHDRAWAL_GROUNDS = {
  revoked: '决定被撤销',
  changed: '决定被变更',
  unlawful: '决定被确认违法',
  confirmed_void: '决定被确认无效',
  remade: '决定被责令重新作出',
  other: '其他原因',
} as const;
export type WithdrawalGround = keyof typeof WITHDRAWAL_GROUNDS;
const ground = <G extends WithdrawalGround>(g: G) => Type.Literal(g, { title: WITHDRAWAL_GROUNDS[g] });

/** Room left for the ground's label before the published reason (the column holds 2,000 characters). */
export const WITHDRAWAL_REASON_MAX_LENGTH = 1980;

export const WithdrawBody = Type.Object({
  ground: Type.Union(
    [
      ground('revoked'),
      ground('changed'),
      ground('unlawful'),
      ground('confirmed_void'),
      ground('remade'),
      ground('other'),
    ],
    { description: '撤下事由：决定被变更、撤销、确认违法、确认无效、责令重新作出，或其他原因' },
  ),
  reason: Type.String({
    minLength: 2,
    maxLength: WITHDRAWAL_REASON_MAX_LENGTH,
    description: '说明（向社会公开，不得含个人信息）',
  }),
  confirmRemaining: Type.Optional(Type.Boolean({ description: '确认说明中被识别为个人信息的内容应当公开' })),
});
export const WithdrawResult = Type.Object({
  status: Type.Literal('withdrawn'),
  withdrawnAt: IsoDateTime,
  reason: Type.String(),
});

export const RuleSchema = Type.Object({
  category: DisclosureCategorySchema,
  deadlineWorkingDays: Type.Integer({ minimum: 1, maximum: 60 }),
  reminderWorkingDays: Type.Integer({ minimum: 0, maximum: 30 }),
  retentionYearsPerson: Type.Integer({ minimum: 1, maximum: 50 }),
  retentionYearsOrganization: Type.Integer({ minimum: 1, maximum: 50 }),
});

/** A certificate number as typed: spaces and full-width characters are folded before the lookup. */
export const CertificateNumberParams = Type.Object({
  number: Type.String({
    minLength: 1,
    maxLength: 64,
    // Full-width forms (as phone keyboards type them) pass here and are folded before the lookup.
    pattern: '^[\\p{L}\\p{N}\\p{Pd}\\p{Pc}\\s./．／]+$',
    description: '执法证号（忽略空格与大小写）',
  }),
});

/** 执法证件查询: what the public learns of a certificate. A revoked one shows only agency and number. */
export const PublicCertificateSchema = Type.Object({
  number: Type.String({ description: '登记的执法证号' }),
  state: Type.Union(
    [Type.Literal('valid'), Type.Literal('expired'), Type.Literal('not_yet_valid'), Type.Literal('revoked')],
    { description: 'valid 有效 / expired 已过期 / not_yet_valid 尚未生效 / revoked 已失效（持证人已离岗）' },
  ),
  stateLabel: Type.String(),
  checkedOn: Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    description: '核验所依据的日期（北京时间，YYYY-MM-DD）',
  }),
  agency: Type.Object({ id: Uuid, name: Type.String() }),
  holderName: Type.Optional(Type.String({ description: '持证人姓名（已失效的证件不显示）' })),
  domain: Type.Optional(Type.String({ description: '执法领域' })),
  validFrom: Type.Optional(DateOnly),
  validUntil: Type.Optional(DateOnly),
});
