import { isTextAreaEntryEdited, TextAreaEntry } from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import { feelSyntaxErrors, MAX_CONDITION_CHARS } from '../../workflows/lint/expressions.js';
import { type BpmnFactory, businessObject, type Modeling, type Shape } from './util.js';

function ConditionEntry({ element, id }: { element: Shape; id: string }) {
  const modeling = useService<Modeling>('modeling');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  const debounce = useService('debounceInput');
  return h(TextAreaEntry, {
    element,
    id,
    label: '条件（FEEL）',
    description: '例如 conclusion = "同意"；变量为表单字段名',
    debounce,
    monospace: true,
    rows: 2,
    getValue: () => businessObject(element).get('conditionExpression')?.get('body') ?? '',
    setValue: (value: string) => {
      const body = (value ?? '').trim();
      modeling.updateProperties(element, {
        conditionExpression: body === '' ? undefined : bpmnFactory.create('bpmn:FormalExpression', { body }),
      });
    },
    validate: (value: string) => {
      const body = (value ?? '').trim();
      if (body === '') return undefined;
      if (body.length > MAX_CONDITION_CHARS) return `条件过长（最多 ${MAX_CONDITION_CHARS} 个字符）`;
      const errors = feelSyntaxErrors(body);
      return errors.length > 0 ? `不是合法的 FEEL 表达式（第 ${errors[0] + 1} 个字符附近）` : undefined;
    },
  });
}

const BRANCHING = ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway'];

/** A sequence flow leaving an exclusive or inclusive gateway takes a FEEL condition. */
export function conditionEntries(element: Shape) {
  const source = businessObject(element).get('sourceRef');
  if (!source || !BRANCHING.includes(source.$type)) return [];
  return [{ id: 'fashen-condition', element, component: ConditionEntry, isEdited: isTextAreaEntryEdited }];
}
