import { describe, expect, it } from 'vitest';
import { around, definitions, flow, form, processDoc, userTask } from './testing/bpmn-doc.js';
import { end, expectRefused, type HostileCase, opts, start } from './testing/refusal.js';
import { validateBpmn } from './validate.js';

const cases: HostileCase[] = [
  {
    name: 'a send task',
    xml: around('Send', '<bpmn:sendTask id="Send" />'),
    code: 'BPMN_UNSUPPORTED',
    says: ['sendTask（id=Send）'],
  },
  {
    name: 'a receive task',
    xml: around('Recv', '<bpmn:receiveTask id="Recv" />'),
    code: 'BPMN_UNSUPPORTED',
    says: ['receiveTask（id=Recv）'],
  },
  {
    name: 'a business rule task',
    xml: around('Rule', '<bpmn:businessRuleTask id="Rule" />'),
    code: 'BPMN_UNSUPPORTED',
    says: ['businessRuleTask（id=Rule）'],
  },
  {
    name: 'a complex gateway',
    xml: around('Cx', '<bpmn:complexGateway id="Cx" />'),
    code: 'BPMN_UNSUPPORTED',
    says: ['complexGateway（id=Cx）'],
  },
  {
    name: 'an event-based gateway',
    xml: around('Eb', '<bpmn:eventBasedGateway id="Eb" />'),
    code: 'BPMN_UNSUPPORTED',
    says: ['eventBasedGateway（id=Eb）'],
  },
  {
    name: 'a message start event',
    xml: processDoc(
      `<bpmn:startEvent id="Start"><bpmn:messageEventDefinition id="Msg" /></bpmn:startEvent>${flow('F', 'Start', 'End')}${end}`,
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['messageEventDefinition（id=Msg）'],
  },
  {
    name: 'a signal catch event',
    xml: around(
      'Catch',
      '<bpmn:intermediateCatchEvent id="Catch"><bpmn:signalEventDefinition /></bpmn:intermediateCatchEvent>',
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['signalEventDefinition（位于 intermediateCatchEvent（id=Catch））'],
  },
  {
    name: 'an error end event',
    xml: processDoc(
      `${start}${flow('F', 'Start', 'End')}<bpmn:endEvent id="End"><bpmn:errorEventDefinition /></bpmn:endEvent>`,
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['errorEventDefinition（位于 endEvent（id=End））'],
  },
  {
    name: 'an escalation throw event',
    xml: around(
      'Thr',
      '<bpmn:intermediateThrowEvent id="Thr"><bpmn:escalationEventDefinition /></bpmn:intermediateThrowEvent>',
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['escalationEventDefinition'],
  },
  {
    name: 'a conditional catch event',
    xml: around(
      'Cond',
      '<bpmn:intermediateCatchEvent id="Cond"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">x</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>',
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['conditionalEventDefinition'],
  },
  {
    name: 'a link event',
    xml: around(
      'Lnk',
      '<bpmn:intermediateThrowEvent id="Lnk"><bpmn:linkEventDefinition name="a" /></bpmn:intermediateThrowEvent>',
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['linkEventDefinition'],
  },
  {
    name: 'a compensation event',
    xml: around(
      'Cmp',
      '<bpmn:intermediateThrowEvent id="Cmp"><bpmn:compensateEventDefinition /></bpmn:intermediateThrowEvent>',
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['compensateEventDefinition'],
  },
  {
    name: 'a multi-instance task without a collection',
    xml: around(
      'Multi',
      userTask('Multi', 'fashen:role="reviewer"', '<bpmn:multiInstanceLoopCharacteristics isSequential="true" />'),
    ),
    code: 'BPMN_INVALID',
    says: ['userTask（id=Multi）', '会签', 'fashen:collection'],
  },
  {
    name: 'a multi-instance task counted by cardinality',
    xml: around(
      'Multi',
      userTask(
        'Multi',
        'fashen:role="chief"',
        '<bpmn:multiInstanceLoopCharacteristics fashen:collection="attendees"><bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">100</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>',
      ),
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['userTask（id=Multi）', 'loopCardinality'],
  },
  {
    name: 'a multi-instance task whose completion condition is not FEEL',
    xml: around(
      'Multi',
      userTask(
        'Multi',
        'fashen:role="chief"',
        '<bpmn:multiInstanceLoopCharacteristics fashen:collection="attendees"><bpmn:completionCondition xsi:type="bpmn:tFormalExpression">nrOfCompletedInstances &gt;=</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>',
      ),
    ),
    code: 'BPMN_INVALID',
    says: ['userTask（id=Multi）', '完成条件', 'FEEL'],
  },
  {
    name: 'a multi-instance task with its own assignee',
    xml: around(
      'Multi',
      userTask(
        'Multi',
        'fashen:role="chief" fashen:assignee="initiator"',
        '<bpmn:multiInstanceLoopCharacteristics fashen:collection="attendees" />',
      ),
    ),
    code: 'BPMN_INVALID',
    says: ['userTask（id=Multi）', 'fashen:assignee'],
  },
  {
    name: 'a multi-instance service task',
    xml: around(
      'Svc',
      '<bpmn:serviceTask id="Svc" fashen:service="record"><bpmn:multiInstanceLoopCharacteristics fashen:collection="attendees" /></bpmn:serviceTask>',
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['serviceTask（id=Svc）', '只有用户任务可以会签'],
  },
  {
    name: 'a looping task',
    xml: around('Loop', '<bpmn:task id="Loop"><bpmn:standardLoopCharacteristics /></bpmn:task>'),
    code: 'BPMN_UNSUPPORTED',
    says: ['standardLoopCharacteristics（位于 task（id=Loop））'],
  },
  {
    name: 'an event sub-process',
    xml: around(
      'Sub',
      '<bpmn:subProcess id="Sub" triggeredByEvent="true"><bpmn:startEvent id="S2" /><bpmn:endEvent id="E2" /><bpmn:sequenceFlow id="SF" sourceRef="S2" targetRef="E2" /></bpmn:subProcess>',
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['subProcess（id=Sub）'],
  },
  {
    name: 'a foreign extension element',
    xml: around(
      'Task_x',
      '<bpmn:task id="Task_x"><bpmn:extensionElements><foo:listener event="start" /></bpmn:extensionElements></bpmn:task>',
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['foo:listener（位于 task（id=Task_x））'],
  },
  {
    name: 'a data object',
    xml: processDoc(`${start}${flow('F', 'Start', 'End')}${end}<bpmn:dataObject id="Data_1" />`),
    code: 'BPMN_UNSUPPORTED',
    says: ['dataObject（id=Data_1）'],
  },
  {
    name: 'an element unknown to BPMN',
    xml: around('T', '<bpmn:task id="T" /><bpmn:teleport id="Tp" />'),
    code: 'BPMN_INVALID',
    says: ['无法识别的元素', 'teleport'],
  },
  {
    name: 'duplicate ids',
    xml: around('T', '<bpmn:task id="T" /><bpmn:task id="T" />'),
    code: 'BPMN_INVALID',
    says: ['重复的元素 id', 'task（id=T）'],
  },
  {
    name: 'a reference to a missing element',
    xml: processDoc(`${start}${flow('F', 'Start', 'Nowhere')}${end}`),
    code: 'BPMN_INVALID',
    says: ['sequenceFlow（id=F）', 'Nowhere'],
  },
  {
    name: 'no executable process',
    xml: definitions('<bpmn:process id="P" isExecutable="false" />'),
    code: 'BPMN_INVALID',
    says: ['没有可执行的流程'],
  },
  {
    name: 'two executable processes',
    xml: definitions(
      `<bpmn:process id="P1" isExecutable="true">${start}${flow('F', 'Start', 'End')}${end}</bpmn:process><bpmn:process id="P2" isExecutable="true" />`,
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['P1', 'P2'],
  },
  {
    name: 'a user task without a role',
    xml: around('Task_u', userTask('Task_u', '')),
    code: 'BPMN_INVALID',
    says: ['userTask（id=Task_u）缺少 fashen:role'],
  },
  {
    name: 'a user task with a role that cannot hold tasks',
    xml: around('Task_u', userTask('Task_u', 'fashen:role="admin"')),
    code: 'BPMN_INVALID',
    says: ['userTask（id=Task_u）', 'admin'],
  },
  {
    name: 'a user task assigned to a named person',
    xml: around('Task_u', userTask('Task_u', 'fashen:role="officer" fashen:assignee="zhangsan"')),
    code: 'BPMN_INVALID',
    says: ['userTask（id=Task_u）', 'initiator'],
  },
  {
    name: 'a user task with an unknown document template',
    xml: around('Task_t', userTask('Task_t', 'fashen:role="reviewer" fashen:documentTemplate="love_letter"')),
    code: 'BPMN_INVALID',
    says: ['userTask（id=Task_t）', '文书模板', 'love_letter', 'review_opinion'],
  },
  {
    name: 'a service task without a service',
    xml: around('Svc', '<bpmn:serviceTask id="Svc" />'),
    code: 'BPMN_INVALID',
    says: ['serviceTask（id=Svc）缺少 fashen:service'],
  },
  {
    name: 'a service task calling an unknown service',
    xml: around('Svc', '<bpmn:serviceTask id="Svc" fashen:service="deleteEverything" />'),
    code: 'BPMN_UNSUPPORTED',
    says: ['serviceTask（id=Svc）', 'deleteEverything'],
  },
  {
    name: 'a condition that is not FEEL',
    xml: processDoc(
      `${start}<bpmn:exclusiveGateway id="Gw" />${flow('F0', 'Start', 'Gw')}${flow('F_bad', 'Gw', 'End', 'approved ==')}${flow('F_else', 'Gw', 'End', 'true')}${end}`,
    ),
    code: 'BPMN_INVALID',
    says: ['sequenceFlow（id=F_bad）', 'FEEL'],
  },
  {
    name: 'a cycle with no wait state',
    xml: processDoc(
      [
        start,
        flow('F1', 'Start', 'Task_fix'),
        '<bpmn:task id="Task_fix" name="补正" />',
        flow('F2', 'Task_fix', 'Gw'),
        '<bpmn:exclusiveGateway id="Gw" name="是否完整" />',
        flow('F3', 'Gw', 'Task_fix', 'complete = false'),
        flow('F4', 'Gw', 'End', 'complete = true'),
        end,
      ].join(''),
    ),
    code: 'BPMN_INVALID',
    says: ['循环', 'task（id=Task_fix）', 'exclusiveGateway（id=Gw）'],
  },
  {
    name: 'an unknown deadline unit',
    xml: around(
      'Task_d',
      userTask('Task_d', 'fashen:role="chief" fashen:deadlineWorkingDays="3" fashen:deadlineUnit="weeks"'),
    ),
    code: 'BPMN_INVALID',
    says: ['userTask（id=Task_d）', 'weeks'],
  },
  {
    name: 'an enum field without options',
    xml: around(
      'Task_f',
      userTask(
        'Task_f',
        'fashen:role="reviewer"',
        form('<fashen:formField name="decision" label="决定" type="enum" />'),
      ),
    ),
    code: 'BPMN_INVALID',
    says: ['userTask（id=Task_f）', '决定', 'options'],
  },
  {
    name: 'a form field that would reach the prototype',
    xml: around(
      'Task_f',
      userTask('Task_f', 'fashen:role="reviewer"', form('<fashen:formField name="__proto__" type="string" />')),
    ),
    code: 'BPMN_INVALID',
    says: ['__proto__'],
  },
];

describe('validateBpmn refuses what the runtime does not support', () => {
  it.each(cases)('refuses $name with $code, naming the element, within 1 s', expectRefused);
});

describe('validateBpmn accepts a multi-instance user task (会签) in the safe shape', () => {
  it.each(['true', 'false'])(
    'accepts isSequential=%s with a collection and a FEEL completion condition',
    async (seq) => {
      const loop = `<bpmn:multiInstanceLoopCharacteristics isSequential="${seq}" fashen:collection="attendees" fashen:elementVariable="attendee" fashen:outputVariable="votes"><bpmn:completionCondition xsi:type="bpmn:tFormalExpression">nrOfCompletedInstances &gt;= 3</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>`;
      await expect(
        validateBpmn(around('Multi', userTask('Multi', 'fashen:role="chief"', loop)), opts),
      ).resolves.toMatchObject({});
    },
  );
});
