import {
  isSelectEntryEdited,
  isTextAreaEntryEdited,
  isTextFieldEntryEdited,
  SelectEntry,
  TextAreaEntry,
  TextFieldEntry,
} from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import { feelSyntaxErrors, MAX_CONDITION_CHARS } from '../../workflows/lint/expressions.js';
import { MAX_COUNTERSIGNERS } from '../../workflows/lint/multi-instance.js';
import { type BpmnFactory, businessObject, type ModdleObject, type Modeling, type Shape } from './util.js';

// 会签: a user task done once by each user of a list a case variable holds (fashen:collection), in parallel or one
// after another, until all have answered or the FEEL completion condition holds. The server accepts no other shape
// (workflows/lint/multi-instance.ts), so the panel offers only this one.

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const variable = (value: string) =>
  value.trim() === '' || VARIABLE.test(value.trim()) ? undefined : '须为合法的变量名';

interface EntryProps {
  element: Shape;
  id: string;
}

const loopOf = (element: Shape): ModdleObject | undefined => {
  const loop = businessObject(element).get('loopCharacteristics') as ModdleObject | undefined;
  return loop?.$type === 'bpmn:MultiInstanceLoopCharacteristics' ? loop : undefined;
};

function ModeEntry({ element, id }: EntryProps) {
  const modeling = useService<Modeling>('modeling');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  return h(SelectEntry, {
    element,
    id,
    label: '会签方式',
    getValue: () => {
      const loop = loopOf(element);
      return loop ? (loop.get('isSequential') ? 'sequential' : 'parallel') : '';
    },
    setValue: (value: string) => {
      const loop = loopOf(element);
      if (!value) return modeling.updateProperties(element, { loopCharacteristics: undefined });
      const isSequential = value === 'sequential';
      if (loop) return modeling.updateModdleProperties(element, loop, { isSequential });
      const created = bpmnFactory.create('bpmn:MultiInstanceLoopCharacteristics', { isSequential });
      created.set('fashen:collection', 'attendees');
      created.set('fashen:elementVariable', 'attendeeId');
      modeling.updateProperties(element, { loopCharacteristics: created });
    },
    getOptions: () => [
      { value: '', label: '不会签（一人办理）' },
      { value: 'parallel', label: '并行会签：名单中每人同时办理' },
      { value: 'sequential', label: '依次会签：按名单顺序逐人办理' },
    ],
  });
}

function loopAttribute(attribute: string, label: string, description: string) {
  return function LoopAttributeEntry({ element, id }: EntryProps) {
    const modeling = useService<Modeling>('modeling');
    const debounce = useService('debounceInput');
    return h(TextFieldEntry, {
      element,
      id,
      label,
      description,
      debounce,
      getValue: () => String(loopOf(element)?.get(`fashen:${attribute}`) ?? ''),
      setValue: (value: string) => {
        const loop = loopOf(element);
        const text = (value ?? '').trim();
        if (loop) modeling.updateModdleProperties(element, loop, { [`fashen:${attribute}`]: text || undefined });
      },
      validate: (value: string) => variable(value ?? ''),
    });
  };
}

const CollectionEntry = loopAttribute(
  'collection',
  '人员名单变量',
  `流程变量中保存的用户编号列表（如 collectiveAttendees），每人一项任务，最多 ${MAX_COUNTERSIGNERS} 人`,
);
const ElementVariableEntry = loopAttribute('elementVariable', '每项任务的办理人变量', '如 attendeeId；可不填');
const OutputVariableEntry = loopAttribute(
  'outputVariable',
  '意见保存变量',
  '各人提交的表单按办理人保存在此变量中（如 collectiveVotes）；不填为“任务编号Outputs”',
);

function CompletionEntry({ element, id }: EntryProps) {
  const modeling = useService<Modeling>('modeling');
  const bpmnFactory = useService<BpmnFactory>('bpmnFactory');
  const debounce = useService('debounceInput');
  return h(TextAreaEntry, {
    element,
    id,
    label: '提前结束条件（FEEL）',
    description: '可用 nrOfInstances（总人数）、nrOfCompletedInstances（已办理人数）；留空则全部办理后继续',
    debounce,
    monospace: true,
    rows: 2,
    getValue: () => loopOf(element)?.get('completionCondition')?.get('body') ?? '',
    setValue: (value: string) => {
      const loop = loopOf(element);
      const body = (value ?? '').trim();
      if (!loop) return;
      modeling.updateModdleProperties(element, loop, {
        completionCondition: body === '' ? undefined : bpmnFactory.create('bpmn:FormalExpression', { body }),
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

/** The entries of the "会签" group of a user task: the mode, then, once it is a 会签, its list and condition. */
export function multiInstanceEntries(element: Shape) {
  const entries: { id: string; element: Shape; component: unknown; isEdited: unknown }[] = [
    { id: 'fashen-loop-mode', element, component: ModeEntry, isEdited: isSelectEntryEdited },
  ];
  if (!loopOf(element)) return entries;
  return [
    ...entries,
    { id: 'fashen-loop-collection', element, component: CollectionEntry, isEdited: isTextFieldEntryEdited },
    { id: 'fashen-loop-element', element, component: ElementVariableEntry, isEdited: isTextFieldEntryEdited },
    { id: 'fashen-loop-output', element, component: OutputVariableEntry, isEdited: isTextFieldEntryEdited },
    { id: 'fashen-loop-completion', element, component: CompletionEntry, isEdited: isTextAreaEntryEdited },
  ];
}
