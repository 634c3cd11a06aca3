import { Type } from 'typebox';

/**
 * What each kind of document says, as the data its template receives. The schemas are the one description
 * of the variables: issueDocument checks the caller's data against them and GET /api/templates lists them.
 */
export const text = (description: string) => Type.String({ description });
export const optionalText = (description: string) => Type.Union([Type.String(), Type.Null()], { description });
export const date = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
export const oneOf = <const T extends string[]>(values: readonly [...T], description: string) =>
  Type.Enum(values, { description: `${description}：${values.join(' / ')}` });

export const CATEGORIES = ['行政许可', '行政处罚', '行政强制', '行政征收征用'] as const;

export const CaseInfo = Type.Object(
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

/** Who issued the document and signs it (SM2): every document of a case has one. */
export const Issuer = Type.Object(
  {
    name: text('姓名'),
    position: text('职务：用户资料中的“职务”，未设置时按角色为 法制审核人员 / 法制机构工作人员 / 负责人 等'),
    unit: text('签发单位：签发人所在的内设机构（如 法规科）；未设内设机构时为法制审核机构或机关名称'),
  },
  { description: '签发人（签署本文书的用户）' },
);
