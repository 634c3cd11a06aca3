/** The form each building block asks for; element templates cannot carry fashen:form, so it is added on apply. */
export interface FieldSpec {
  name: string;
  label: string;
  type: string;
  required?: boolean;
  options?: string;
  maxLength?: number;
}

const FINDINGS = '符合,不符合,不适用';
/**
 * The law's ten points (国办发〔2018〕118号), as the server's review forms ask them (server/cases/review-points.ts and
 * workflows/legal-review.bpmn; tests/building-block-forms.test.ts holds them together): [key, label, options].
 */
const POINTS: [string, string, string][] = [
  ['subject', '执法主体合法', FINDINGS],
  ['personnel', '执法人员合法（持有有效执法证）', FINDINGS],
  ['procedure', '执法程序合法', FINDINGS],
  ['facts', '案件事实清楚', FINDINGS],
  ['evidence', '证据合法充分', FINDINGS],
  ['law', '适用法律、法规、规章准确', FINDINGS],
  ['discretion', '裁量基准运用适当', FINDINGS],
  ['authority', '执法未超越执法机关法定权限', FINDINGS],
  ['documents', '执法文书完备规范', FINDINGS],
  ['crime_transfer', '是否涉嫌犯罪需移送司法机关', '否,是（需移送）'],
];

/** Each point's answer and the note beside it, as the review and re-review steps ask them. */
const POINT_FIELDS: FieldSpec[] = POINTS.flatMap(([key, label, options]): FieldSpec[] => [
  { name: `finding_${key}`, label, type: 'enum', options, required: true },
  { name: `note_${key}`, label: `${label}：说明`, type: 'text', maxLength: 2000 },
]);

/**
 * Each block asks what the same step of the shipped process (workflows/legal-review.bpmn) asks, so a flow built
 * from blocks gives its services and documents what they read: the coordination's outcome and participants, a
 * modified decision's content (tests/building-block-forms.test.ts compares them).
 */
export const TEMPLATE_FORMS: Record<string, FieldSpec[]> = {
  'fashen.acceptance': [
    { name: 'complete', label: '送审材料是否齐全', type: 'boolean', required: true },
    { name: 'missing', label: '需补充的材料（每行一项，可写“材料名称：补正要求”）', type: 'text', maxLength: 5000 },
  ],
  'fashen.legal-review': [
    ...POINT_FIELDS,
    {
      name: 'conclusion',
      label: '审核结论',
      type: 'enum',
      options: '同意,修改后同意,退回补正,不同意,建议移送司法机关',
      required: true,
    },
    { name: 'reasons', label: '理由', type: 'text', required: true, maxLength: 10000 },
    { name: 'suggestions', label: '修改或补正建议', type: 'text', maxLength: 10000 },
  ],
  'fashen.correction': [
    { name: 'correctionNote', label: '补正情况说明', type: 'text', required: true, maxLength: 5000 },
  ],
  'fashen.rereview': [
    { name: 'maintain', label: '是否维持原审核意见', type: 'boolean', required: true },
    ...POINT_FIELDS,
    { name: 'reasons', label: '复核理由', type: 'text', required: true, maxLength: 10000 },
  ],
  'fashen.coordination': [
    // The record states when and where the units met: the date is required (it is not the day the step is
    // completed); a coordination by written views (书面协调) has no place, so the place may be left out.
    { name: 'coordinationDate', label: '协调日期', type: 'date', required: true },
    { name: 'coordinationPlace', label: '协调地点（书面协调的可不填）', type: 'string', maxLength: 200 },
    {
      name: 'outcome',
      label: '协调结果',
      type: 'enum',
      options:
        '未达成一致（报请负责人决定）,达成一致（承办机构采纳法制审核意见）,达成一致（法制审核机构同意承办机构意见）',
      required: true,
    },
    { name: 'handlingPosition', label: '承办机构意见', type: 'text', required: true, maxLength: 10000 },
    { name: 'reviewPosition', label: '法制审核机构意见', type: 'text', required: true, maxLength: 10000 },
    { name: 'coordinationNote', label: '协调意见', type: 'text', required: true, maxLength: 10000 },
    { name: 'participants', label: '参加人员（每行：姓名 单位 职务）', type: 'text', required: true, maxLength: 5000 },
  ],
  'fashen.chief-decision': [
    {
      name: 'decision',
      label: '决定',
      type: 'enum',
      options: '同意作出决定,修改后作出决定,不予作出决定,移送司法机关',
      required: true,
    },
    { name: 'decisionReasons', label: '理由（与审核意见或承办机构意见不一致时必填）', type: 'text', maxLength: 10000 },
    {
      name: 'modifiedDecision',
      label: '修改后的决定内容（修改后作出决定时必填）',
      type: 'text',
      maxLength: 20000,
    },
  ],
};

/** Attributes the extension declares as integers: template values arrive as text and are stored as numbers. */
export const INTEGER_ATTRIBUTES = ['fashen:deadlineWorkingDays', 'fashen:reminderWorkingDays'];
