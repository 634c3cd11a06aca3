import { Type } from 'typebox';
import { CaseFactsSchema, CategorySchema } from '../catalogue/vocabulary.js';
import { IsoDateTime, Uuid } from '../http/schemas.js';

const Text = (max: number, description: string) => Type.String({ minLength: 1, maxLength: max, description });

export const PartySchema = Type.Object(
  {
    type: Type.Union([Type.Literal('person'), Type.Literal('organization')], {
      description: 'person 自然人 · organization 法人或者其他组织',
    }),
    name: Text(200, '姓名或名称'),
    idCode: Type.String({ pattern: '^[0-9A-Za-z]{8,30}$', description: '身份证号码或统一社会信用代码' }),
    address: Text(300, '住所或地址'),
  },
  { additionalProperties: false },
);

export const PacketSchema = Type.Object(
  {
    caseNumber: Type.String({ pattern: '^[^\\s]{1,100}$', description: '案件编号' }),
    title: Text(200, '案件名称'),
    category: CategorySchema,
    party: PartySchema,
    factsFound: Text(20000, '认定的事实'),
    evidence: Type.Array(
      Type.Object(
        { name: Text(200, '证据名称'), description: Type.Optional(Type.String({ maxLength: 2000 })) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500, description: '证据清单' },
    ),
    legalBasis: Type.Array(
      Type.Object({ law: Text(200, '法律法规名称'), article: Text(100, '条款') }, { additionalProperties: false }),
      {
        minItems: 1,
        maxItems: 100,
        description: '法律依据',
      },
    ),
    conductDate: Type.Optional(
      Type.String({
        pattern: '^\\d{4}-\\d{2}-\\d{2}$',
        description: '违法行为发生日期（法律依据按这一天施行的版本核对；不填按送审之日）',
      }),
    ),
    discretion: Type.Object(
      {
        benchmark: Text(500, '适用的裁量基准'),
        position: Text(500, '拟处罚在裁量幅度中的位置'),
        benchmarkItemId: Type.Optional(
          Type.String({ format: 'uuid', title: '裁量基准事项', description: '本机关裁量基准中的事项' }),
        ),
        circumstance: Type.Optional(
          Type.Union(
            [
              Type.Literal('mitigated'),
              Type.Literal('lighter'),
              Type.Literal('general'),
              Type.Literal('heavier'),
              Type.Literal('exempt'),
            ],
            {
              title: '裁量情节',
              description: '情节：mitigated 减轻 · lighter 从轻 · general 一般 · heavier 从重 · exempt 不予处罚',
            },
          ),
        ),
        baseAmount: Type.Optional(
          Type.Number({
            minimum: 0,
            maximum: 1e12,
            title: '货值金额或违法所得',
            description: '货值金额或违法所得（元），幅度为其倍数时必填',
          }),
        ),
        explanation: Type.Optional(
          Type.String({
            maxLength: 2000,
            title: '偏离裁量基准的理由',
            description: '偏离裁量基准的理由（拟处罚超出所选情节的幅度时必填）',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    proposedDecision: Text(10000, '拟作出的决定'),
    hearingHeld: Type.Boolean({ description: '是否经过听证' }),
    officerIds: Type.Array(Uuid, { maxItems: 20, default: [], description: '承办执法人员（默认为送审人）' }),
    materials: Type.Array(Text(200, '材料名称'), { maxItems: 200, default: [], description: '已提交的送审材料' }),
    attestation: Type.Object(
      {
        attestedBy: Type.Union([Type.Literal('officer'), Type.Literal('chief')]),
        statement: Text(1000, '对材料真实、准确、完整的承诺'),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, description: '送审材料' },
);

export const SubmittedFactsSchema = Type.Omit(CaseFactsSchema, ['category', 'partyType', 'hearingHeld']);

export const CaseStatusSchema = Type.Union(
  [
    'not_required',
    'accepting',
    'completing',
    'reviewing',
    'correcting',
    'contesting',
    'rereviewing',
    'coordinating',
    'deciding',
    'recording',
    'decided',
    'not_approved',
    'withdrawn',
    'transferred',
  ].map((s) => Type.Literal(s)),
);

export const CaseSummarySchema = Type.Object({
  id: Uuid,
  departmentId: Uuid,
  departmentName: Type.String(),
  caseNumber: Type.String(),
  title: Type.String(),
  category: Type.String(),
  status: Type.String(),
  reviewMandatory: Type.Boolean(),
  currentRound: Type.Integer(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});

export const SubmitResultSchema = Type.Object({
  caseId: Uuid,
  instanceId: Type.Union([Uuid, Type.Null()]),
  reviewRequired: Type.Boolean({ description: '属于目录清单，必须法制审核' }),
  reviewRequested: Type.Boolean(),
  catalogueItem: Type.Union([
    Type.Object(
      { code: Type.String(), name: Type.String(), category: Type.String(), reviewWorkingDays: Type.Integer() },
      { additionalProperties: true },
    ),
    Type.Null(),
  ]),
  reason: Type.String({ description: '如：本案属于重大执法决定：行政处罚 — 对法人处以5万元以上罚款' }),
});
