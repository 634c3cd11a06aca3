import { type CommonFields, type DocumentDataByKind, type DocumentKind, formatDocumentNumber } from './kinds.js';

/**
 * A complete, realistic data set for each kind: templates are validated and previewed with it, so every
 * variable a template may use is present and every optional one has a value.
 */
const sampleCase = {
  number: '盐市监案〔2026〕0315号',
  title: '某食品有限公司生产经营超过保质期食品案',
  party: '盐城某食品有限公司（统一社会信用代码 91320900MA1XXXXX0K）',
  category: '行政处罚',
  handlingUnit: '执法稽查局',
  reviewUnit: '法规处',
} as const;

const sampleReviewer = { name: '李明', kind: '法制审核人员', position: '法规处副处长', unit: '法规处' } as const;
const sampleIssuer = { name: '李明', position: '法规处副处长', unit: '法规处' } as const;

export const SAMPLE_DEPARTMENT = { name: '盐城市市场监督管理局', abbr: '市监' };

/** The common fields of a sample: document number 12 of 2026 of the sample department. */
export function sampleCommonOf(kind: DocumentKind): CommonFields {
  return {
    number: formatDocumentNumber('市监', kind, 2026, 12),
    year: 2026,
    department: SAMPLE_DEPARTMENT,
    issuedOn: '2026-11-25',
  };
}

/** The sample case's party, as the documents that name the party in full state it. */
const sampleParty = {
  name: '盐城某食品有限公司',
  idCode: '91320900MA1XXXXX0K',
  address: '江苏省盐城市亭湖区解放南路88号',
} as const;

const sampleOfficer = { name: '王强', position: '执法稽查局一级主办', unit: '执法稽查局' } as const;

/** The lifecycle's documents (事先告知书, 听证通知书, 送达回证), issued by the case officer. */
const lifecycleSamples = {
  penalty_notice: {
    case: sampleCase,
    party: sampleParty,
    facts:
      '经查，当事人于2026年9月12日在其经营场所销售超过保质期的预包装食品“某牌酸奶”42盒，货值金额1260元，违法所得380元。',
    reasons:
      '本局食品安全行政处罚裁量基准“销售超过保质期的食品”；裁量情节：从轻；当事人系初次违法，积极配合调查，在从轻处罚幅度内确定罚款数额',
    legalBasis: '《中华人民共和国食品安全法》第三十四条第（十）项、《中华人民共和国食品安全法》第一百二十四条第一款',
    proposal: '没收违法所得380元，并处罚款五万元。',
    noticeDate: '2026-11-25',
    statementWorkingDays: 5,
    statementDue: '2026-12-02',
    hearingRight: true,
    hearingRequestDue: '2026-12-02',
    issuer: sampleOfficer,
  },
  hearing_notice: {
    case: sampleCase,
    proposal: '没收违法所得380元，并处罚款五万元。',
    requestedOn: '2026-11-27',
    notifiedOn: '2026-11-30',
    hearingDate: '2026-12-10',
    hearingTime: '09:30',
    place: '本局三楼听证室',
    presider: '陈静',
    issuer: sampleOfficer,
  },
  service_receipt: {
    case: sampleCase,
    documents: [{ name: '行政处罚决定书', number: '盐市监罚〔2026〕88号' }],
    documentName: '行政处罚决定书',
    documentNumber: '盐市监罚〔2026〕88号',
    recipient: '盐城某食品有限公司',
    address: '江苏省盐城市亭湖区解放南路88号',
    method: '直接送达',
    publishedOn: null,
    servedOn: '2026-11-25',
    signer: '张华（当事人法定代表人）',
    refused: false,
    witness: null,
    note: null,
    issuer: sampleOfficer,
  },
} satisfies Pick<DocumentDataByKind, 'penalty_notice' | 'hearing_notice' | 'service_receipt'>;

export const SAMPLE_DATA: DocumentDataByKind = {
  ...lifecycleSamples,
  review_opinion: {
    case: sampleCase,
    round: 2,
    points: [
      { key: 'subject', finding: '符合', note: '本机关依法具有该事项的行政处罚权。' },
      { key: 'personnel', finding: '符合', note: '执法人员王强、赵敏均持有有效行政执法证件。' },
      { key: 'procedure', finding: '符合', note: '已依法告知陈述、申辩及听证权利，当事人未申请听证。' },
      { key: 'facts', finding: '符合', note: '' },
      { key: 'evidence', finding: '不符合', note: '抽样检验报告未附检验机构资质证明。' },
      { key: 'law', finding: '符合', note: '适用《中华人民共和国食品安全法》第一百二十四条第一款第五项。' },
      { key: 'discretion', finding: '符合', note: '按照本局行政处罚裁量基准“一般”情形确定罚款数额。' },
      { key: 'authority', finding: '符合', note: '' },
      { key: 'documents', finding: '符合', note: '' },
      { key: 'crime_transfer', finding: '否', note: '涉案货值金额未达到刑事立案追诉标准。' },
      {
        key: 'x_sample',
        name: '是否属于首次违法且危害后果轻微',
        finding: '符合',
        note: '当事人两年内无同类违法记录。',
      },
      { key: 'other', finding: '不适用', note: '' },
    ],
    conclusion: '修改后同意',
    reasons: '本案事实清楚，适用法律正确，程序合法，裁量适当。\n证据材料中检验机构资质证明缺失，补充后可以作出决定。',
    suggestions: '请承办机构补充检验机构资质认定证书复印件，并在案卷中载明证据来源。',
    // 修改后同意 goes to 修改补正并再次报送 (5 working days in the shipped flow); objecting is for 不同意 (see below).
    objection: null,
    resubmission: { dueDate: '2026-12-02', dueTime: null, dueProvisional: false, lapse: null },
    reviewer: sampleReviewer,
    issuer: sampleIssuer,
  },
  correction_notice: {
    case: sampleCase,
    round: 1,
    missingMaterials: [
      { name: '检验机构资质认定证书', requirement: '复印件加盖检验机构公章' },
      { name: '现场检查笔录', requirement: '补充当事人签字或注明拒签情况' },
      { name: '听证告知书送达回证', requirement: '原件' },
    ],
    dueDate: '2026-12-02',
    dueTime: null,
    dueProvisional: false,
    lapse: '视为撤回送审',
    note: '补正的复印件须加盖承办机构公章。',
    issuer: { name: '周琳', position: '法规处科员', unit: '法规处' },
  },
  coordination_record: {
    case: sampleCase,
    heldOn: '2026-11-24',
    place: '本局三楼会议室',
    handlingUnitPosition: '当事人系初次违法且主动召回，建议减轻处罚，罚款五万元。',
    reviewUnitPosition: '当事人不符合减轻处罚的法定情形，应在法定幅度内从轻处罚。',
    note: '经协调，双方同意按从轻处罚情形处理，由承办机构修改处罚决定书草稿后重新报送审核。',
    agreed: true,
    confirmations: [
      { unit: '承办机构负责人', name: '张华', date: '2026-11-24', time: '16:20' },
      { unit: '法制审核机构负责人', name: '陈静', date: '2026-11-24', time: '16:45' },
    ],
    participants: [
      { name: '张华', unit: '执法稽查局', role: '局长' },
      { name: '王强', unit: '执法稽查局', role: '承办人' },
      { name: '李明', unit: '法规处', role: '法制审核人员' },
      { name: '陈静', unit: '法规处', role: '公职律师' },
    ],
    recorder: '周琳',
    issuer: { name: '周琳', position: '法规处科员', unit: '法规处' },
  },
  chief_decision: {
    case: sampleCase,
    handlingProposal: '罚款五万元，没收违法所得。',
    reviewConclusion: '修改后同意',
    reviewOpinionNumber: '市监法审〔2026〕11号',
    // As a case produces it: the decision is the chief's choice, the content in modifiedDecision.
    decision: '修改后作出决定',
    modifiedDecision: '对当事人处以罚款八万元，没收违法所得二千四百元。',
    departsFromReview: false,
    departsFromProposal: true,
    overrideReasons: '当事人不具有减轻处罚的法定情形，采纳法制审核机构意见，在法定幅度内从轻处罚。',
    responsibility: '负责人不采纳法制审核意见或承办机构意见作出决定，对该决定承担责任。',
    chief: { name: '刘建国', title: '分管负责人' },
    issuer: { name: '刘建国', position: '分管负责人', unit: '盐城市市场监督管理局' },
    decidedOn: '2026-11-25',
  },
  supervision_opinion: {
    agency: '盐城市市场监督管理局',
    case: { number: sampleCase.number, title: sampleCase.title, party: '盐城某食品有限公司' },
    subject: '行政处罚决定书送达情况监督检查',
    findings: '该案行政处罚决定书宣告时当事人不在场，你单位于宣告后第十日方送达当事人；送达回证未记明收到日期。',
    requirements:
      '一、对该案送达超期的原因作出书面说明；\n二、对本年度行政处罚决定书的送达情况开展自查，并健全送达工作制度。',
    supervisionBasis: '《中华人民共和国行政处罚法》第七十五条',
    breachedRules: '《中华人民共和国行政处罚法》第六十一条第一款和《中华人民共和国民事诉讼法》第八十七条第一款',
    legalBasis: '《中华人民共和国行政处罚法》第七十五条',
    workingDays: 15,
    dueDate: '2026-12-16',
    dueProvisional: false,
    supervisor: { name: '周卫东' },
  },
  rectification_notice: {
    agency: '盐城市市场监督管理局',
    case: { number: sampleCase.number, title: sampleCase.title, party: '盐城某食品有限公司' },
    subject: '未经法制审核作出重大执法决定',
    findings: '该案属于本机关重大执法决定目录清单所列事项，未经法制审核即作出行政处罚决定。',
    requirements: '立即对该行政处罚决定进行法制审核，审核未通过的依法予以纠正，并追究相关人员责任。',
    supervisionBasis: '《中华人民共和国行政处罚法》第七十五条',
    breachedRules: '《中华人民共和国行政处罚法》第五十八条',
    legalBasis: '《中华人民共和国行政处罚法》第五十八条',
    workingDays: 10,
    dueDate: '2026-12-09',
    dueProvisional: false,
    supervisor: { name: '周卫东' },
  },
  transfer_notice: {
    case: { number: sampleCase.number, title: sampleCase.title, party: sampleCase.party },
    party: sampleParty,
    policeOrgan: '盐城市公安局亭湖分局',
    procuratorate: '盐城市亭湖区人民检察院',
    facts:
      '经查，当事人于2026年3月至9月在其经营场所销售超过保质期的预包装食品，货值金额共计十二万六千元，违法所得三万八千元。',
    reasons:
      '当事人明知所售食品超过保质期仍予销售，销售金额已达《中华人民共和国刑法》第一百四十条规定的立案追诉标准，涉嫌构成生产、销售伪劣产品罪。',
    evidence: [
      { no: 1, name: '涉嫌犯罪案件情况的调查报告', quantity: '1份', note: '' },
      { no: 2, name: '涉案物品清单', quantity: '1份', note: '涉案食品已查封' },
      { no: 3, name: '食品检验报告', quantity: '2份', note: '检验结论：超过保质期' },
    ],
    evidenceCount: 3,
    team: '王强、赵敏',
    approvedOn: '2026-11-25',
    chief: { name: '刘建国', title: '局长' },
  },
  collective_record: {
    case: sampleCase,
    heldAt: '2026年11月25日 09:30',
    place: '本局三楼会议室',
    chair: { name: '刘建国', title: '局长' },
    proposal: '对当事人处以罚款八万元，没收违法所得二千四百元。',
    reviewConclusion: '同意',
    reviewOpinionNumber: '市监法审〔2026〕12号',
    leadersTotal: 5,
    attending: 3,
    attendees: [
      { no: 1, name: '刘建国', position: '局长', vote: '同意', opinion: '事实清楚，同意承办机构意见。' },
      { no: 2, name: '孙立', position: '副局长', vote: '同意', opinion: '裁量适当。' },
      { no: 3, name: '吴敏', position: '副局长', vote: '不同意', opinion: '当事人系初次违法，建议从轻处罚。' },
    ],
    agree: 2,
    disagree: 1,
    result: '出席人员过半数同意，通过。',
    issuer: { name: '刘建国', position: '局长', unit: '盐城市市场监督管理局' },
  },
};

export function sampleDataOf<K extends DocumentKind>(kind: K): DocumentDataByKind[K] {
  return SAMPLE_DATA[kind];
}

/**
 * Data a template is also checked with, never previewed: the branches the sample does not take (the opinion's
 * 不同意 with its objection, and a 复核), so that a markup error there is refused at upload, not when a case issues it.
 */
const SAMPLE_VARIANTS: { [K in DocumentKind]?: DocumentDataByKind[K][] } = {
  review_opinion: [
    {
      ...SAMPLE_DATA.review_opinion,
      conclusion: '不同意',
      suggestions: null,
      resubmission: null,
      objection: {
        dueDate: '2026-11-30',
        dueTime: null,
        dueProvisional: true,
        lapse: '本案按法制审核未通过办结，不得作出该执法决定',
      },
    },
    { ...SAMPLE_DATA.review_opinion, rereview: true, conclusion: '不同意', objection: null, resubmission: null },
  ],
  // A flow deployed before the coordination step asked for its date and place gives neither.
  coordination_record: [{ ...SAMPLE_DATA.coordination_record, heldOn: null, place: null }],
};

/** Every data set a kind's template is checked with: the sample first, then its variants. */
export function sampleDataSetsOf<K extends DocumentKind>(kind: K): DocumentDataByKind[K][] {
  return [SAMPLE_DATA[kind], ...((SAMPLE_VARIANTS[kind] as DocumentDataByKind[K][] | undefined) ?? [])];
}
