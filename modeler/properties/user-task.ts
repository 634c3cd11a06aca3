import { isSelectEntryEdited, isTextFieldEntryEdited, SelectEntry, TextFieldEntry } from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import { isStep, STEPS } from '../../workflows/lint/steps.js';
import { DOCUMENT_TEMPLATE_LABELS, options, ROLE_LABELS, STEP_LABELS } from './labels.js';
import { businessObject, integerProblem, type Modeling, type Shape, toInteger } from './util.js';

const MAX_DAYS = 365;
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

interface EntryProps {
  element: Shape;
  id: string;
}

/** A `fashen:` attribute of the task as a text field; integers are stored as numbers, as the server reads them. */
function textAttribute(
  attribute: string,
  label: string,
  description: string | ((element: Shape) => string),
  check: (value: string) => string | null,
  integer = false,
) {
  return function AttributeEntry({ element, id }: EntryProps) {
    const modeling = useService<Modeling>('modeling');
    const debounce = useService('debounceInput');
    return h(TextFieldEntry, {
      element,
      id,
      label,
      description: typeof description === 'function' ? description(element) : description,
      debounce,
      getValue: () => {
        const value = businessObject(element).get(`fashen:${attribute}`);
        return value === undefined || value === null ? '' : String(value);
      },
      setValue: (value: string) => {
        const text = (value ?? '').trim();
        modeling.updateProperties(element, {
          [`fashen:${attribute}`]: text === '' ? undefined : integer ? toInteger(text) : text,
        });
      },
      validate: (value: string) => check(value ?? '') ?? undefined,
    });
  };
}

function selectAttribute(attribute: string, label: string, choices: { value: string; label: string }[]) {
  return function AttributeSelect({ element, id }: EntryProps) {
    const modeling = useService<Modeling>('modeling');
    return h(SelectEntry, {
      element,
      id,
      label,
      getValue: () => businessObject(element).get(`fashen:${attribute}`) ?? '',
      setValue: (value: string) => modeling.updateProperties(element, { [`fashen:${attribute}`]: value || undefined }),
      getOptions: () => choices,
    });
  };
}

const days = (value: string) => integerProblem(value, 1, MAX_DAYS);
const variable = (value: string) => (value.trim() === '' || VARIABLE.test(value.trim()) ? null : '须为合法的变量名');

const StepEntry = selectAttribute('step', '审核步骤', options(STEP_LABELS, '（不是审核步骤）'));
const RoleEntry = selectAttribute('role', '办理角色', options(ROLE_LABELS, '（请选择）'));
const AssigneeEntry = selectAttribute('assignee', '指定办理人', [
  { value: '', label: '按角色认领' },
  { value: 'initiator', label: '送审的承办人（initiator）' },
]);
const AssigneeVariableEntry = textAttribute(
  'assigneeVariable',
  '办理人变量',
  '流程变量中保存的用户编号，如 reviewerId',
  variable,
);
/** What the limit is when the field is left empty: the step's default, or none (then the task needs one). */
function deadlineDescription(element: Shape): string {
  const step = businessObject(element).get('fashen:step');
  if (isStep(step)) {
    return `工作日数（1–365）；留空则按“${STEPS[step].label}”的默认期限 ${STEPS[step].defaultWorkingDays} 个工作日，附加定时边界事件时以定时为准`;
  }
  return '工作日数（1–365）；不是审核步骤的任务须自行设置，或附加定时边界事件';
}
const DeadlineEntry = textAttribute('deadlineWorkingDays', '办理期限', deadlineDescription, days, true);
const DeadlineUnitEntry = selectAttribute('deadlineUnit', '期限单位', [
  { value: '', label: '工作日（默认）' },
  { value: 'working_days', label: '工作日（working_days）' },
  { value: 'calendar_days', label: '自然日（calendar_days）' },
]);
const DeadlineVariableEntry = textAttribute(
  'deadlineVariable',
  '期限变量',
  '按案件取期限的流程变量，如 reviewWorkingDays',
  variable,
);
const ReminderEntry = textAttribute(
  'reminderWorkingDays',
  '到期提醒',
  '到期前多少个工作日提醒（须小于期限）',
  days,
  true,
);
const EscalateEntry = selectAttribute('escalateTo', '超期督办', options(ROLE_LABELS, '不督办'));
const DocumentTemplateEntry = selectAttribute(
  'documentTemplate',
  '文书模板',
  options(DOCUMENT_TEMPLATE_LABELS, '不出具文书'),
);

/**
 * The entries of the "办理" group of a user task: which step of the review it is, who works on it, by when, and
 * the document it produces.
 */
export function userTaskEntries(element: Shape) {
  return [
    { id: 'fashen-step', element, component: StepEntry, isEdited: isSelectEntryEdited },
    { id: 'fashen-role', element, component: RoleEntry, isEdited: isSelectEntryEdited },
    { id: 'fashen-assignee', element, component: AssigneeEntry, isEdited: isSelectEntryEdited },
    { id: 'fashen-assigneeVariable', element, component: AssigneeVariableEntry, isEdited: isTextFieldEntryEdited },
    { id: 'fashen-deadlineWorkingDays', element, component: DeadlineEntry, isEdited: isTextFieldEntryEdited },
    { id: 'fashen-deadlineUnit', element, component: DeadlineUnitEntry, isEdited: isSelectEntryEdited },
    { id: 'fashen-deadlineVariable', element, component: DeadlineVariableEntry, isEdited: isTextFieldEntryEdited },
    { id: 'fashen-reminderWorkingDays', element, component: ReminderEntry, isEdited: isTextFieldEntryEdited },
    { id: 'fashen-escalateTo', element, component: EscalateEntry, isEdited: isSelectEntryEdited },
    { id: 'fashen-documentTemplate', element, component: DocumentTemplateEntry, isEdited: isSelectEntryEdited },
  ];
}

/** The service a service task calls, from the runtime's whitelist. */
export function serviceTaskEntries(element: Shape, services: readonly string[]) {
  const ServiceEntry = selectAttribute('service', '调用的服务', [
    { value: '', label: '（请选择）' },
    ...services.map((s) => ({ value: s, label: s })),
  ]);
  return [{ id: 'fashen-service', element, component: ServiceEntry, isEdited: isSelectEntryEdited }];
}
