import { type Static, Type } from 'typebox';
import { CaseInfo, date, Issuer, optionalText, text } from './kind-fields.js';

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
  supervisionBasis: optionalText('监督依据：本机关开展此次行政执法监督所依据的规定（根据…开展了行政执法监督）'),
  breachedRules: optionalText('违反的规定：被监督的执法行为不符合的法律、法规、规章条款（不符合…的规定）'),
  workingDays: Type.Integer({ minimum: 1, maximum: 60, description: '办理期限（工作日，自文书发出之日起算）' }),
  dueDate: date('办理期限届满日（YYYY-MM-DD）'),
  dueProvisional: Type.Boolean({
    description: '届满日是否暂按周一至周五推算（所跨年份的节假日安排尚未载入）',
  }),
  supervisor: Type.Object({ name: text('姓名') }, { description: '监督人员' }),
};
// legalBasis: the one 依据 of the templates saved before supervisionBasis and breachedRules, each document's in
// the sense its standard template printed it; kept so that a department's earlier template still renders.
export const SupervisionOpinionData = Type.Object({
  ...SupervisionFields,
  legalBasis: optionalText('同 supervisionBasis（为早先保存的本机关模板保留；新模板请用 supervisionBasis）'),
});
export const RectificationNoticeData = Type.Object({
  ...SupervisionFields,
  legalBasis: optionalText('同 breachedRules（为早先保存的本机关模板保留；新模板请用 breachedRules）'),
});
export type SupervisionOpinionData = Static<typeof SupervisionOpinionData>;

/** 涉嫌犯罪案件移送书 (国务院令第310号 第六条): the agency to the public security organ, copied to the procuratorate. */
export const TransferNoticeData = Type.Object({
  case: Type.Object(
    { number: text('案件编号'), title: text('案件名称'), party: text('当事人（行政相对人）') },
    { description: '案件' },
  ),
  party: Type.Object(
    { name: text('当事人名称或姓名'), idCode: text('统一社会信用代码或身份证件号码'), address: text('住所或地址') },
    { description: '当事人（涉嫌犯罪的单位或者个人）' },
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
  reasons: text('理由：裁量基准、裁量情节（如 裁量情节：从轻）及说明，以“；”分隔'),
  legalBasis: text('依据（法律条文，以顿号分隔）'),
  proposal: text('拟作出的行政处罚（负责人修改后作出决定的，为修改后的内容）'),
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
  proposal: text('拟作出的行政处罚（听证的事项；负责人修改后作出决定的，为修改后的内容）'),
  requestedOn: date('当事人要求听证的日期（YYYY-MM-DD）'),
  notifiedOn: date('通知日期（YYYY-MM-DD）'),
  hearingDate: date('举行听证的日期（YYYY-MM-DD）'),
  hearingTime: Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: '举行听证的时刻（HH:mm）' }),
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
  publishedOn: Type.Union([date('公告发出日期'), Type.Null()], {
    description: '公告发出日期（YYYY-MM-DD；公告送达时填写，其他方式为 null）',
  }),
  servedOn: date('送达日期（YYYY-MM-DD）；公告送达时为视为送达之日：公告发出之日起经过三十日（民事诉讼法第九十五条）'),
  signer: optionalText('签收人（直接送达时）'),
  refused: Type.Boolean({
    description: '受送达人拒绝签收（留置送达）：“受送达人签名或者盖章”栏载明拒绝签收，拒收事由等见备注',
  }),
  witness: optionalText('见证人（留置送达时到场的基层组织或者所在单位的代表）'),
  note: optionalText('备注：留置送达的情况、电子送达的确认书、公告的载体等'),
  issuer: Issuer,
});
export type ServiceReceiptData = Static<typeof ServiceReceiptData>;
export type RectificationNoticeData = Static<typeof RectificationNoticeData>;
