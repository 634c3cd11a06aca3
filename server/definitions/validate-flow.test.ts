import { describe, it } from 'vitest';
import { around, flow, form, processDoc, userTask, withTimer } from './testing/bpmn-doc.js';
import { end, expectRefused, type HostileCase, start } from './testing/refusal.js';

const cases: HostileCase[] = [
  {
    name: 'a cycle through a sub-process with no wait state inside',
    xml: processDoc(
      [
        start,
        flow('F1', 'Start', 'Sub'),
        '<bpmn:subProcess id="Sub"><bpmn:startEvent id="S2" /><bpmn:task id="Inner" /><bpmn:endEvent id="E2" />',
        flow('SF1', 'S2', 'Inner'),
        flow('SF2', 'Inner', 'E2'),
        '</bpmn:subProcess>',
        flow('F2', 'Sub', 'Gw'),
        '<bpmn:exclusiveGateway id="Gw" />',
        flow('F3', 'Gw', 'Sub', 'again'),
        flow('F4', 'Gw', 'End', 'not(again)'),
        end,
      ].join(''),
    ),
    code: 'BPMN_INVALID',
    says: ['循环', 'task（id=Inner）', 'subProcess（id=Sub）'],
  },
  {
    name: 'an unreachable node',
    xml: processDoc(
      `${start}${flow('F1', 'Start', 'End')}<bpmn:task id="Orphan" name="孤立任务" />${flow('F2', 'Orphan', 'End')}${end}`,
    ),
    code: 'BPMN_INVALID',
    says: ['task（id=Orphan）', '不可达'],
  },
  {
    name: 'a dead end',
    xml: processDoc(`${start}${flow('F1', 'Start', 'Task_stuck')}<bpmn:task id="Task_stuck" />`),
    code: 'BPMN_INVALID',
    says: ['task（id=Task_stuck）', '没有流出的顺序流'],
  },
  {
    name: 'a zero timer',
    xml: withTimer('<bpmn:timeDuration>PT0S</bpmn:timeDuration>'),
    code: 'BPMN_INVALID',
    says: ['boundaryEvent（id=Timer_1）', '过短'],
  },
  {
    name: 'a sub-second timer',
    xml: withTimer('<bpmn:timeDuration>PT0.5S</bpmn:timeDuration>'),
    code: 'BPMN_INVALID',
    says: ['boundaryEvent（id=Timer_1）', '过短'],
  },
  {
    name: 'a duration in prose',
    xml: withTimer('<bpmn:timeDuration>2 days</bpmn:timeDuration>'),
    code: 'BPMN_INVALID',
    says: ['boundaryEvent（id=Timer_1）', 'ISO-8601'],
  },
  {
    name: 'an empty duration',
    xml: withTimer('<bpmn:timeDuration>PT</bpmn:timeDuration>'),
    code: 'BPMN_INVALID',
    says: ['boundaryEvent（id=Timer_1）', 'ISO-8601'],
  },
  {
    name: 'a date that is not a date',
    xml: withTimer('<bpmn:timeDate>明天</bpmn:timeDate>'),
    code: 'BPMN_INVALID',
    says: ['timeDate'],
  },
  {
    name: 'February 30th',
    xml: withTimer('<bpmn:timeDate>2030-02-30T09:00:00Z</bpmn:timeDate>'),
    code: 'BPMN_INVALID',
    says: ['timeDate'],
  },
  {
    name: 'a cycle without repetitions',
    xml: withTimer('<bpmn:timeCycle>PT1H</bpmn:timeCycle>'),
    code: 'BPMN_INVALID',
    says: ['timeCycle'],
  },
  {
    name: 'a fast repeating cycle',
    xml: withTimer('<bpmn:timeCycle>R5/PT0S</bpmn:timeCycle>'),
    code: 'BPMN_INVALID',
    says: ['过短'],
  },
  { name: 'a timer with no time', xml: withTimer(''), code: 'BPMN_INVALID', says: ['boundaryEvent（id=Timer_1）'] },
  {
    name: 'form fields with bad names, duplicates and unknown types',
    xml: around(
      'Task_f',
      userTask(
        'Task_f',
        'fashen:role="reviewer"',
        form(
          '<fashen:formField name="1st" type="string" /><fashen:formField name="a" type="string" /><fashen:formField name="a" type="string" /><fashen:formField name="b" type="file" />',
        ),
      ),
    ),
    code: 'BPMN_INVALID',
    says: ['userTask（id=Task_f）', '1st'],
  },
  {
    name: 'zero working days',
    xml: withTimer('<bpmn:timeDuration>P0WD</bpmn:timeDuration>'),
    code: 'BPMN_INVALID',
    says: ['boundaryEvent（id=Timer_1）', 'P0WD'],
  },
];

describe('validateBpmn refuses flows that cannot run and timers that make no sense', () => {
  it.each(cases)('refuses $name with $code, naming the element, within 1 s', expectRefused);
});
