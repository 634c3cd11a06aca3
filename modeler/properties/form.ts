import {
  CheckboxEntry,
  isCheckboxEntryEdited,
  isSelectEntryEdited,
  isTextFieldEntryEdited,
  SelectEntry,
  TextFieldEntry,
} from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import { FIELD_TYPE_LABELS, options } from './labels.js';
import {
  type BpmnFactory,
  businessObject,
  ensureExtension,
  extensionOf,
  type ModdleObject,
  type Modeling,
  type Shape,
} from './util.js';

const FIELD_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

interface FieldProps {
  element: Shape;
  id: string;
  field: ModdleObject;
}

function fieldText(property: string, label: string, check?: (v: string) => string | null) {
  return function FieldText({ element, id, field }: FieldProps) {
    const modeling = useService<Modeling>('modeling');
    const debounce = useService('debounceInput');
    return h(TextFieldEntry, {
      element,
      id,
      label,
      debounce,
      getValue: () => field.get(property) ?? '',
      setValue: (value: string) => modeling.updateModdleProperties(element, field, { [property]: value || undefined }),
      validate: (value: string) => (check ? (check(value ?? '') ?? undefined) : undefined),
    });
  };
}

const NameEntry = fieldText('name', '字段名', (v) =>
  FIELD_NAME.test(v) ? null : '字母或下划线开头，仅含字母、数字、下划线',
);
const LabelEntry = fieldText('label', '显示名称');
const OptionsEntry = fieldText('options', '选项（逗号分隔）');

function TypeEntry({ element, id, field }: FieldProps) {
  const modeling = useService<Modeling>('modeling');
  return h(SelectEntry, {
    element,
    id,
    label: '类型',
    getValue: () => field.get('type') ?? '',
    setValue: (value: string) => modeling.updateModdleProperties(element, field, { type: value || undefined }),
    getOptions: () => options(FIELD_TYPE_LABELS, '（请选择）'),
  });
}

function RequiredEntry({ element, id, field }: FieldProps) {
  const modeling = useService<Modeling>('modeling');
  return h(CheckboxEntry, {
    element,
    id,
    label: '必填',
    getValue: () => field.get('required') === true,
    setValue: (value: boolean) => modeling.updateModdleProperties(element, field, { required: value || undefined }),
  });
}

/** The form a user task asks for (fashen:form), as a list of fields. */
export function formGroup(element: Shape, injector: { get(name: string): unknown }) {
  const bo = businessObject(element);
  const form = extensionOf(bo, 'fashen:Form');
  const fields = (form?.get('fields') ?? []) as ModdleObject[];
  const modeling = injector.get('modeling') as Modeling;
  const bpmnFactory = injector.get('bpmnFactory') as BpmnFactory;
  return {
    id: 'fashen-form',
    label: '表单字段',
    component: undefined as unknown,
    add: (event: Event) => {
      event.stopPropagation();
      const target = ensureExtension(element, bo, 'fashen:Form', { modeling, bpmnFactory });
      const field = bpmnFactory.create('fashen:FormField', {
        name: `field${(target.get('fields') ?? []).length + 1}`,
        label: '新字段',
        type: 'string',
      });
      modeling.updateModdleProperties(element, target, { fields: [...(target.get('fields') ?? []), field] });
    },
    items: fields.map((field, index) => {
      const prefix = `fashen-form-${index}`;
      return {
        id: prefix,
        label: `${field.get('label') || field.get('name') || '字段'}（${field.get('name') ?? ''}）`,
        entries: [
          { id: `${prefix}-name`, element, field, component: NameEntry, isEdited: isTextFieldEntryEdited },
          { id: `${prefix}-label`, element, field, component: LabelEntry, isEdited: isTextFieldEntryEdited },
          { id: `${prefix}-type`, element, field, component: TypeEntry, isEdited: isSelectEntryEdited },
          { id: `${prefix}-required`, element, field, component: RequiredEntry, isEdited: isCheckboxEntryEdited },
          ...(field.get('type') === 'enum'
            ? [{ id: `${prefix}-options`, element, field, component: OptionsEntry, isEdited: isTextFieldEntryEdited }]
            : []),
        ],
        autoFocusEntry: `${prefix}-name`,
        remove: () =>
          modeling.updateModdleProperties(element, form!, {
            fields: fields.filter((f) => f !== field),
          }),
      };
    }),
  };
}
