import { type Static, Type } from 'typebox';

/** The four kinds of enforcement decision a catalogue (目录清单) is divided into. */
export const CATEGORY_LABELS = {
  licensing: '行政许可',
  penalty: '行政处罚',
  coercion: '行政强制',
  levy: '行政征收征用',
} as const;
export type CatalogueCategory = keyof typeof CATEGORY_LABELS;
export const CATEGORIES = Object.keys(CATEGORY_LABELS) as CatalogueCategory[];

export function isCategory(value: unknown): value is CatalogueCategory {
  return typeof value === 'string' && Object.hasOwn(CATEGORY_LABELS, value);
}

/** One entry of a department's catalogue of major enforcement decisions, as its review process declares it. */
export interface CatalogueItem {
  code: string;
  category: CatalogueCategory;
  categoryLabel: string;
  name: string;
  /** FEEL over the case facts; the item applies when it evaluates to exactly `true`. */
  condition: string;
  /** The legal basis (法律依据), when given: the `basis` attribute, or the structured bases written as text. */
  basis: string | null;
  /** The structured legal bases (fashen:basis law="产品质量法" article="第四十九条"), when the item has any. */
  bases?: { law: string; article: string }[];
  /** The review time limit (审核时限) for a case under this item, in working days. */
  reviewWorkingDays: number;
  /** The review packet (送审材料) the handling unit must or may submit. */
  materials: { name: string; required: boolean }[];
  /** 情节复杂或者重大违法行为: the chief's decision is a collective discussion (行政处罚法第五十七条第二款). */
  collectiveDiscussion?: true;
}

export const MIN_REVIEW_WORKING_DAYS = 1;
export const MAX_REVIEW_WORKING_DAYS = 60;

export const CategorySchema = Type.Union(
  [Type.Literal('licensing'), Type.Literal('penalty'), Type.Literal('coercion'), Type.Literal('levy')],
  {
    description: Object.entries(CATEGORY_LABELS)
      .map(([code, label]) => `${code} ${label}`)
      .join(' · '),
  },
);

/**
 * The facts of a case a catalogue condition is evaluated against. These names are the whole vocabulary of
 * catalogue conditions: a condition naming anything else is refused at deploy.
 */
export const CaseFactsSchema = Type.Object(
  {
    category: CategorySchema,
    partyType: Type.Union([Type.Literal('person'), Type.Literal('organization')], {
      description: 'person 自然人 · organization 法人或者其他组织',
    }),
    amount: Type.Number({ minimum: 0, maximum: 1e15, description: '涉案金额（元）；没有时为 0' }),
    measure: Type.String({
      pattern: '^[a-z][a-z0-9_]{0,63}$',
      description: '拟作出的决定或措施的代码，如 fine 罚款、licence_revocation 吊销许可证件、seizure 查封扣押',
    }),
    hearingHeld: Type.Boolean({ description: '已经听证' }),
    thirdPartyAffected: Type.Boolean({ description: '直接关系第三人重大权益' }),
    complex: Type.Boolean({ description: '案件情况疑难复杂、涉及多个法律关系' }),
    publicInterest: Type.Boolean({ description: '涉及重大公共利益' }),
    socialImpact: Type.Boolean({ description: '可能造成重大社会影响或引发社会风险' }),
  },
  { additionalProperties: false, description: '案件事实（目录清单条件的变量）' },
);
export type CaseFacts = Static<typeof CaseFactsSchema>;

/** The variables a catalogue condition may name: exactly the properties of the case facts. */
export const FACT_VARIABLES: readonly string[] = Object.keys(CaseFactsSchema.properties);
