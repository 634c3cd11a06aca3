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
const POINTS: [string, string][] = [
  ['subject', '执法主体合法'],
  ['personnel', '执法人员合法（持有有效执法证）'],
  ['procedure', '执法程序合法'],
  ['facts', '案件事实清楚'],
  ['evidence', '证据合法充分'],
  ['law', '适用法律、法规、规章准确'],
  ['discretion', '裁量基准运用适当'],
  ['documents', '执法文书完备规范'],
  ['crime_transfer', '涉嫌犯罪移送'],
];

export const TEMPLATE_FORMS: Record<string, FieldSpec[]> = {
  'fashen.acceptance': [
    { name: 'complete', label: '送审材料是否齐全', type: 'boolean', required: true },
    { name: 'missing', label: '需补充的材料（每行一项）', type: 'text', maxLength: 5000 },
  ],
  'fashen.legal-review': [
    ...POINTS.flatMap(([key, label]): FieldSpec[] => [
      { name: `finding_${key}`, label, type: 'enum', options: FINDINGS, required: true },
      { name: `note_${key}`, label: `${label}：说明`, type: 'text', maxLength: 2000 },
    ]),
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
    { name: 'reasons', label: '复核理由', type: 'text', required: true, maxLength: 10000 },
  ],
  'fashen.coordination': [
    { name: 'handlingPosition', label: '承办机构意见', type: 'text', required: true, maxLength: 10000 },
    { name: 'reviewPosition', label: '法制审核机构意见', type: 'text', required: true, maxLength: 10000 },
    { name: 'coordinationNote', label: '协调意见', type: 'text', required: true, maxLength: 10000 },
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
  ],
};

/** Attributes the extension declares as integers: template values arrive as text and are stored as numbers. */
export const INTEGER_ATTRIBUTES = ['fashen:deadlineWorkingDays', 'fashen:reminderWorkingDays'];
