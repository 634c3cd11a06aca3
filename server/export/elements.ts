import { CASE_STATUS_LABELS, CATEGORY_LABELS } from '../http/view-engine.js';

/**
 * The data elements Fashen exports, described after the local standards derived from the national enforcement
 * data standard (DB4403/T 164.1—2021's element classes, the element names of DB44/T 2402—2022 and
 * DB11/T 1577—2018 where our data has them). Their element identifiers are not public in a form we could read;
 * each field names its class and Chinese element name, and the README's table maps one to the other.
 */
export type ElementType = 'string' | 'date' | 'date-time' | 'integer' | 'boolean';

export interface Element {
  /** Our field name in the export. */
  field: string;
  /** The element's Chinese name (数据元名称). */
  name: string;
  type: ElementType;
  nullable?: boolean;
  /** Value domain (值域): code → meaning. */
  codes?: Record<string, string>;
  /** Personal data of a natural-person party: masked unless the consumer is entitled (有条件使用). */
  personal?: boolean;
  description?: string;
}

export interface Entity {
  entity: string;
  title: string;
  /** DB4403/T 164.1's class (数据元类别). */
  elementClass: '组织机构类' | '人员类' | '事项清单类' | '执法对象类' | '执法行为类' | '监管投诉举报类';
  elements: Element[];
}

const CATEGORY = CATEGORY_LABELS;
const PARTY_TYPE = { person: '自然人', organization: '法人或者其他组织' };

export const ENTITIES: Entity[] = [
  {
    entity: 'agency',
    title: '执法主体',
    elementClass: '组织机构类',
    elements: [
      { field: 'id', name: '执法主体标识', type: 'string' },
      { field: 'code', name: '执法主体编码', type: 'string', description: '本系统内的机构代码' },
      { field: 'name', name: '执法主体名称', type: 'string' },
      {
        field: 'kind',
        name: '主体类别',
        type: 'string',
        codes: { agency: '行政执法机关', justice_bureau: '司法行政部门' },
      },
      { field: 'enforcementStaffCount', name: '执法人员数量', type: 'integer' },
    ],
  },
  {
    entity: 'officer',
    title: '执法人员及执法证件',
    elementClass: '人员类',
    elements: [
      { field: 'id', name: '执法人员标识', type: 'string' },
      { field: 'agencyId', name: '所属执法主体标识', type: 'string' },
      { field: 'name', name: '执法人员姓名', type: 'string', description: '执法人员依法公示，不属于当事人个人信息' },
      { field: 'certificateNumber', name: '执法证件编号', type: 'string', nullable: true },
      { field: 'certificateDomain', name: '执法领域', type: 'string', nullable: true },
      { field: 'certificateValidFrom', name: '证件有效期起', type: 'date', nullable: true },
      { field: 'certificateValidUntil', name: '证件有效期止', type: 'date', nullable: true },
      { field: 'active', name: '在岗状态', type: 'boolean' },
    ],
  },
  {
    entity: 'power',
    title: '执法职权事项',
    elementClass: '事项清单类',
    elements: [
      { field: 'id', name: '事项标识', type: 'string' },
      { field: 'agencyId', name: '实施主体标识', type: 'string' },
      { field: 'code', name: '事项编码', type: 'string' },
      { field: 'name', name: '事项名称', type: 'string' },
      {
        field: 'category',
        name: '事项类别',
        type: 'string',
        codes: {
          ...CATEGORY,
          requisition: '行政征用',
          benefit: '行政给付',
          inspection: '行政检查',
          confirmation: '行政确认',
          reward: '行政奖励',
          adjudication: '行政裁决',
          other: '其他行政权力',
        },
      },
      { field: 'legalBasis', name: '设定依据', type: 'string' },
      { field: 'implementingUnit', name: '实施机构', type: 'string', nullable: true },
    ],
  },
  {
    entity: 'case',
    title: '执法案件（送审）',
    elementClass: '执法行为类',
    elements: [
      { field: 'id', name: '案件标识', type: 'string' },
      { field: 'agencyId', name: '执法主体标识', type: 'string' },
      { field: 'caseNumber', name: '案件编号', type: 'string' },
      { field: 'title', name: '案件名称', type: 'string' },
      { field: 'category', name: '执法行为类别', type: 'string', codes: CATEGORY },
      {
        field: 'status',
        name: '办理状态',
        type: 'string',
        codes: CASE_STATUS_LABELS,
      },
      { field: 'reviewMandatory', name: '是否重大执法决定', type: 'boolean' },
      { field: 'partyType', name: '当事人类型', type: 'string', codes: PARTY_TYPE },
      { field: 'partyName', name: '当事人名称（姓名）', type: 'string', personal: true },
      {
        field: 'partyIdCode',
        name: '当事人证件号码',
        type: 'string',
        personal: true,
        description: '身份证号码或统一社会信用代码',
      },
      { field: 'partyAddress', name: '当事人住所（地址）', type: 'string', personal: true },
      {
        field: 'factsFound',
        name: '违法事实（认定的事实）',
        type: 'string',
        personal: true,
        description: '其中当事人姓名、证件号码按权限遮蔽',
      },
      { field: 'submittedAt', name: '送审时间', type: 'date-time' },
      { field: 'updatedAt', name: '更新时间', type: 'date-time' },
    ],
  },
  {
    entity: 'stage',
    title: '办理环节',
    elementClass: '执法行为类',
    elements: [
      { field: 'id', name: '环节标识', type: 'string' },
      { field: 'caseId', name: '案件标识', type: 'string' },
      { field: 'name', name: '环节名称', type: 'string' },
      { field: 'step', name: '环节代码', type: 'string', nullable: true },
      {
        field: 'status',
        name: '环节状态',
        type: 'string',
        codes: { open: '办理中', completed: '已完成', cancelled: '已取消' },
      },
      { field: 'dueAt', name: '办理期限', type: 'date-time', nullable: true },
      { field: 'startedAt', name: '开始时间', type: 'date-time' },
      { field: 'endedAt', name: '完成时间', type: 'date-time', nullable: true },
    ],
  },
  {
    entity: 'review',
    title: '法制审核意见',
    elementClass: '执法行为类',
    elements: [
      { field: 'id', name: '审核意见标识', type: 'string' },
      { field: 'caseId', name: '案件标识', type: 'string' },
      { field: 'round', name: '送审轮次', type: 'integer' },
      { field: 'kind', name: '审核类别', type: 'string', codes: { review: '法制审核', rereview: '复核' } },
      {
        field: 'conclusion',
        name: '审核结论',
        type: 'string',
        codes: {
          approve: '同意',
          approve_with_changes: '修改后同意',
          return: '退回补正',
          disapprove: '不同意',
          transfer: '移送',
        },
      },
      { field: 'reasons', name: '审核意见', type: 'string', personal: true },
      {
        field: 'findings',
        name: '审核要点及结果',
        type: 'string',
        personal: true,
        description: '按签署时的审核要点清单逐项列出：序号. 要点：结果（说明），各项以换行分隔',
      },
      { field: 'reviewerId', name: '审核人员标识', type: 'string' },
      { field: 'reviewedAt', name: '审核时间', type: 'date-time' },
    ],
  },
  {
    entity: 'decision',
    title: '执法决定',
    elementClass: '执法行为类',
    elements: [
      { field: 'id', name: '案件标识', type: 'string', description: '决定以案件标识为键' },
      { field: 'agencyId', name: '执法主体标识', type: 'string' },
      {
        field: 'chiefDecision',
        name: '负责人决定',
        type: 'string',
        nullable: true,
        codes: { approve: '同意', approve_modified: '修改后同意', reject: '不同意', transfer: '移送' },
      },
      { field: 'decisionNumber', name: '行政执法决定文书号', type: 'string', nullable: true },
      { field: 'decisionDate', name: '作出决定日期', type: 'date', nullable: true },
      { field: 'content', name: '决定内容', type: 'string', nullable: true, personal: true },
    ],
  },
  {
    entity: 'disclosure',
    title: '执法决定公示',
    elementClass: '执法行为类',
    elements: [
      { field: 'id', name: '公示标识', type: 'string' },
      { field: 'agencyId', name: '执法主体标识', type: 'string' },
      { field: 'caseId', name: '案件标识', type: 'string', nullable: true },
      { field: 'category', name: '执法行为类别', type: 'string' },
      { field: 'decisionNumber', name: '行政执法决定文书号', type: 'string' },
      { field: 'decisionDate', name: '作出决定日期', type: 'date' },
      { field: 'partyType', name: '当事人类型', type: 'string', codes: PARTY_TYPE },
      { field: 'partyName', name: '当事人名称（姓名）', type: 'string', personal: true },
      { field: 'partyCode', name: '当事人证件号码', type: 'string', personal: true },
      {
        field: 'content',
        name: '公示内容',
        type: 'string',
        personal: true,
        description: '未获授权者得到公示稿（已去标识）',
      },
      {
        field: 'status',
        name: '公示状态',
        type: 'string',
        codes: {
          pending: '待公示',
          published: '已公示',
          withdrawn: '已撤回',
          expired: '公示期满',
          cancelled: '不予公示',
        },
      },
      { field: 'dueAt', name: '公示期限', type: 'date-time' },
      { field: 'publishedAt', name: '公示日期', type: 'date-time', nullable: true },
    ],
  },
  {
    entity: 'supervision',
    title: '执法监督意见',
    elementClass: '监管投诉举报类',
    elements: [
      { field: 'id', name: '监督意见标识', type: 'string' },
      {
        field: 'kind',
        name: '监督方式',
        type: 'string',
        codes: { opinion: '行政执法监督意见书', correction: '行政执法监督纠正通知书' },
      },
      { field: 'supervisorAgencyId', name: '监督机关标识', type: 'string' },
      { field: 'agencyId', name: '被监督执法主体标识', type: 'string' },
      { field: 'caseId', name: '案件标识', type: 'string', nullable: true, description: '针对机关执法工作的为空' },
      { field: 'documentNumber', name: '监督文书文号', type: 'string', nullable: true },
      { field: 'subject', name: '监督事由', type: 'string' },
      {
        field: 'findings',
        name: '发现的问题',
        type: 'string',
        personal: true,
        description: '其中当事人姓名、证件号码按权限遮蔽',
      },
      { field: 'requirements', name: '监督意见（纠正要求）', type: 'string', personal: true },
      { field: 'supervisionBasis', name: '监督依据', type: 'string', nullable: true },
      {
        field: 'breachedRules',
        name: '违反的规定',
        type: 'string',
        nullable: true,
        description: '被监督的执法行为不符合的法律、法规、规章规定',
      },
      {
        field: 'legalBasis',
        name: '依据（兼容）',
        type: 'string',
        nullable: true,
        description:
          '旧版单一依据字段：监督意见书为监督依据，纠正通知书为违反的规定；请改用 supervisionBasis 与 breachedRules',
      },
      { field: 'issuedAt', name: '发出时间', type: 'date-time' },
      { field: 'workingDays', name: '办理期限（工作日）', type: 'integer' },
      { field: 'dueAt', name: '办理期限届满时间', type: 'date-time' },
      {
        field: 'status',
        name: '办理状态',
        type: 'string',
        codes: { open: '待办理', answered: '已报送待审查', returned: '已退回重办', accepted: '已办结' },
      },
      { field: 'answer', name: '办理情况', type: 'string', nullable: true, personal: true },
      { field: 'answeredAt', name: '报送办理情况时间', type: 'date-time', nullable: true },
      { field: 'acceptedAt', name: '办结时间', type: 'date-time', nullable: true },
      { field: 'returnedCount', name: '退回次数', type: 'integer' },
      { field: 'overdue', name: '是否超期', type: 'boolean' },
    ],
  },
];

export const ENTITY_NAMES = ENTITIES.map((e) => e.entity);
