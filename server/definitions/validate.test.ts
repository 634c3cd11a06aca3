import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.js';
import { around, definitions, flow, form, processDoc, userTask, withTimer } from './testing/bpmn-doc.js';
import { validateBpmn } from './validate.js';

const opts = { maxBytes: 64 * 1024, services: ['record', 'notify'] };
// biome-ignore lint/suspicious/noTemplateCurlyInString: the injection payload under test, kept literal
const INJECTION = "${environment.constructor.constructor('return process')()}";

async function refusal(xml: string, options = opts): Promise<{ error: AppError; ms: number }> {
  const t0 = performance.now();
  try {
    await validateBpmn(xml, options);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { error: err, ms: performance.now() - t0 };
  }
  throw new Error('expected the document to be refused');
}

const start = '<bpmn:startEvent id="Start" />';
const end = '<bpmn:endEvent id="End" />';

interface HostileCase {
  name: string;
  xml: string;
  code: 'BPMN_UNSAFE' | 'BPMN_INVALID' | 'BPMN_UNSUPPORTED';
  /** Fragments the message must contain: typically the element type and id. */
  says: string[];
  options?: typeof opts;
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p" name="&lol9;" /></bpmn:definitions>`;

const hostile: HostileCase[] = [
  {
    name: 'an external entity (XXE)',
    xml: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${around('T', '<bpmn:task id="T" name="&xxe;" />').replace(/^<\?xml[^>]*>/, '')}`,
    code: 'BPMN_UNSAFE',
    says: ['<!DOCTYPE>'],
  },
  { name: 'billion laughs', xml: BILLION_LAUGHS, code: 'BPMN_UNSAFE', says: ['<!DOCTYPE>'] },
  { name: 'a lower-case doctype', xml: `<!doctype html>${processDoc('')}`, code: 'BPMN_UNSAFE', says: ['DOCTYPE'] },
  { name: 'a bare entity declaration', xml: `${processDoc('')}<!ENTITY a "b">`, code: 'BPMN_UNSAFE', says: ['ENTITY'] },
  {
    name: 'a document over the size limit (in bytes, not characters)',
    xml: around('T', `<bpmn:task id="T" name="${'审'.repeat(400)}" />`),
    options: { ...opts, maxBytes: 1024 },
    code: 'BPMN_UNSAFE',
    says: ['过大', '1024'],
  },
  { name: 'malformed XML', xml: '<bpmn:definitions><bpmn:process', code: 'BPMN_INVALID', says: ['XML 格式错误'] },
  { name: 'an empty upload', xml: '', code: 'BPMN_INVALID', says: ['XML 格式错误'] },
  {
    name: 'XML that is not BPMN',
    xml: '<?xml version="1.0"?><note xmlns="urn:x"><to>张三</to></note>',
    code: 'BPMN_INVALID',
    says: ['不是 BPMN'],
  },
  {
    name: 'a script task',
    xml: around(
      'Task_1',
      '<bpmn:scriptTask id="Task_1" scriptFormat="javascript"><bpmn:script>process.exit(1)</bpmn:script></bpmn:scriptTask>',
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['不支持的元素 scriptTask（id=Task_1）'],
  },
  {
    name: 'a JavaScript condition',
    xml: processDoc(
      `${start}<bpmn:exclusiveGateway id="Gw" />${flow('F0', 'Start', 'Gw')}${flow('F_js', 'Gw', 'End', 'this.environment.services.x()', 'javascript')}${flow('F_else', 'Gw', 'End', 'true')}${end}`,
    ),
    code: 'BPMN_UNSAFE',
    says: ['sequenceFlow（id=F_js）', 'javascript'],
  },
  {
    name: 'expression injection in a condition',
    xml: processDoc(
      `${start}<bpmn:exclusiveGateway id="Gw" />${flow('F0', 'Start', 'Gw')}${flow('F_inj', 'Gw', 'End', INJECTION)}${flow('F_else', 'Gw', 'End', 'true')}${end}`,
    ),
    code: 'BPMN_UNSAFE',
    says: ['sequenceFlow（id=F_inj）', '${'],
  },
  {
    name: 'expression injection in an attribute',
    xml: around('Task_x', `<bpmn:task id="Task_x" name="${INJECTION}" />`),
    code: 'BPMN_UNSAFE',
    says: ['task（id=Task_x）', 'name'],
  },
  {
    name: 'expression injection in a foreign-namespace attribute',
    xml: around('Task_x', '<bpmn:task id="Task_x" foo:hook="#{runtime.exec()}" />'),
    code: 'BPMN_UNSAFE',
    says: ['task（id=Task_x）', 'foo:hook'],
  },
  {
    name: 'expression injection hidden behind a character reference',
    xml: around('Task_x', '<bpmn:task id="Task_x" name="&#36;{environment.variables}" />'),
    code: 'BPMN_UNSAFE',
    says: ['task（id=Task_x）'],
  },
  {
    name: 'expression injection in documentation',
    xml: around('Task_x', `<bpmn:task id="Task_x"><bpmn:documentation>${INJECTION}</bpmn:documentation></bpmn:task>`),
    code: 'BPMN_UNSAFE',
    says: ['task（id=Task_x）'],
  },
  {
    name: 'expression injection in a service name',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the injection payload under test, kept literal
    xml: around('Svc', '<bpmn:serviceTask id="Svc" fashen:service="${environment.services.x}" />'),
    code: 'BPMN_UNSAFE',
    says: ['serviceTask（id=Svc）'],
  },
  {
    name: 'a call activity',
    xml: around('Call', '<bpmn:callActivity id="Call" calledElement="x" />'),
    code: 'BPMN_UNSUPPORTED',
    says: ['callActivity（id=Call）'],
  },
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
    name: 'a multi-instance task',
    xml: around(
      'Multi',
      userTask('Multi', 'fashen:role="reviewer"', '<bpmn:multiInstanceLoopCharacteristics isSequential="true" />'),
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['multiInstanceLoopCharacteristics（位于 userTask（id=Multi））'],
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

describe('validateBpmn refuses hostile and unsupported uploads', () => {
  it.each(hostile)('refuses $name with $code, naming the element, within 1 s', async (c) => {
    const { error, ms } = await refusal(c.xml, c.options);
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe(c.code);
    for (const fragment of c.says) expect(error.message).toContain(fragment);
    expect(error.details).toMatchObject({ problems: expect.any(Array) });
    expect(ms).toBeLessThan(1000);
  });

  it('names the element in details as well as in the message', async () => {
    const { error } = await refusal(around('Task_1', '<bpmn:scriptTask id="Task_1" />'));
    expect(error.message).toBe('不支持的元素 scriptTask（id=Task_1）');
    expect(error.details).toMatchObject({ elementId: 'Task_1', elementType: 'scriptTask' });
  });

  it('lists every problem, the most serious first', async () => {
    const xml = processDoc(
      `${start}${flow('F1', 'Start', 'Task_u')}${userTask('Task_u', '')}${flow('F2', 'Task_u', 'S')}<bpmn:scriptTask id="S" name="${INJECTION}" />`,
    );
    const { error } = await refusal(xml);
    expect(error.code).toBe('BPMN_UNSAFE');
    const problems = (error.details as { problems: { code: string; elementId: string }[] }).problems;
    expect(problems.map((p) => p.code)).toEqual(
      expect.arrayContaining(['BPMN_UNSAFE', 'BPMN_UNSUPPORTED', 'BPMN_INVALID']),
    );
    expect(problems.map((p) => p.elementId)).toEqual(expect.arrayContaining(['S', 'Task_u']));
  });

  it('refuses a document with 20 000 unreachable tasks quickly, listing only the first problems', async () => {
    const tasks = Array.from({ length: 20_000 }, (_, i) => `<bpmn:task id="T${i}" />`).join('');
    const { error, ms } = await refusal(processDoc(`${start}${tasks}`), { ...opts, maxBytes: 2 * 1024 * 1024 });
    expect(error.code).toBe('BPMN_INVALID');
    expect(error.details).toMatchObject({ unlistedProblems: expect.any(Number) });
    expect((error.details as { problems: unknown[] }).problems).toHaveLength(100);
    expect(ms).toBeLessThan(3000);
  });

  it('refuses deeply nested elements before walking them', async () => {
    const deep = `<bpmn:task id="T"><bpmn:extensionElements>${'<foo:a>'.repeat(50_000)}${'</foo:a>'.repeat(50_000)}</bpmn:extensionElements></bpmn:task>`;
    const { error, ms } = await refusal(around('T', deep), { ...opts, maxBytes: 2 * 1024 * 1024 });
    expect(error.code).toBe('BPMN_UNSUPPORTED');
    expect(error.message).toContain('嵌套层级过深');
    expect(ms).toBeLessThan(1000);
  });

  it('refuses a condition too long to parse safely, without parsing it', async () => {
    const long = '"'.repeat(100_000);
    const xml = processDoc(`${start}<bpmn:exclusiveGateway id="Gw" />${flow('F0', 'Start', 'Gw')}${flow('F_long', 'Gw', 'End', long)}${flow('F_else', 'Gw', 'End', 'true')}${end}`);
    const { error, ms } = await refusal(xml, { ...opts, maxBytes: 2 * 1024 * 1024 });
    expect(error.message).toContain('sequenceFlow（id=F_long）的条件表达式过长');
    expect(ms).toBeLessThan(1000);
  });

  it('bounds the FEEL parsing a document can ask for', async () => {
    const flows = Array.from({ length: 1500 }, (_, i) => flow(`X${i}`, 'Gw', 'End', '&quot;'.repeat(80))).join('');
    const xml = processDoc(`${start}<bpmn:exclusiveGateway id="Gw" />${flow('F0', 'Start', 'Gw')}${flows}${end}`);
    const { error, ms } = await refusal(xml, { ...opts, maxBytes: 2 * 1024 * 1024 });
    expect(error.code).toBe('BPMN_INVALID');
    expect(JSON.stringify(error.details)).toContain('条件表达式总长度超过');
    expect(ms).toBeLessThan(1000);
  });
    expect(error.code).toBe('BPMN_INVALID');
    expect(ms).toBeLessThan(3000);
  });
});

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/bpmn/${name}`, import.meta.url), 'utf8');
const workflow = (name: string) => readFileSync(new URL(`../../workflows/${name}`, import.meta.url), 'utf8');

describe('validateBpmn accepts what the runtime supports', () => {
  it('accepts the simple approval fixture and returns its key and name', async () => {
    const result = await validateBpmn(fixture('simple-approval.bpmn'), opts);
    expect(result).toMatchObject({ processKey: 'simple_approval', name: '简易审批' });
    expect(result.moddleContext.rootElement.$type).toBe('bpmn:Definitions');
  });

  it('accepts the timer escalation fixture', async () => {
    await expect(validateBpmn(fixture('timer-escalation.bpmn'), opts)).resolves.toMatchObject({
      processKey: 'timer_escalation',
    });
  });

  it('accepts the demo review workflow, whose correction loop waits at user tasks', async () => {
    await expect(validateBpmn(workflow('demo-review.bpmn'), opts)).resolves.toMatchObject({
      processKey: 'demo_review',
    });
  });

  it('accepts every supported construct together', async () => {
    const xml = definitions(`
      <bpmn:collaboration id="Collab"><bpmn:participant id="Pool" name="执法机关" processRef="Process_all" /></bpmn:collaboration>
      <bpmn:process id="Process_all" isExecutable="true">
        <bpmn:laneSet id="Lanes"><bpmn:lane id="Lane_1" name="承办机构"><bpmn:flowNodeRef>Start</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
        <bpmn:startEvent id="Start" />
        ${flow('F1', 'Start', 'Split')}
        <bpmn:parallelGateway id="Split" />
        ${flow('F2', 'Split', 'Manual')}${flow('F3', 'Split', 'Svc')}
        <bpmn:manualTask id="Manual" />
        <bpmn:serviceTask id="Svc" fashen:service="notify" />
        ${flow('F4', 'Manual', 'Join')}${flow('F5', 'Svc', 'Join')}
        <bpmn:parallelGateway id="Join" />
        ${flow('F6', 'Join', 'Wait')}
        <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDate>2030-01-01T09:00:00+08:00</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
        ${flow('F7', 'Wait', 'Sub')}
        <bpmn:subProcess id="Sub" name="内部审核">
          <bpmn:startEvent id="Sub_start" />${flow('SF1', 'Sub_start', 'Sub_review')}
          ${userTask('Sub_review', 'fashen:role="chief" fashen:deadlineWorkingDays="5" fashen:reminderWorkingDays="2" fashen:escalateTo="legal_admin"', form('<fashen:formField name="ok" type="boolean" required="true" /><fashen:formField name="level" type="enum" options="一般，重大" /><fashen:formField name="amount" type="number" minimum="0" maximum="100000" /><fashen:formField name="on" type="date" /><fashen:formField name="n" type="integer" />'))}
          ${flow('SF2', 'Sub_review', 'Sub_gw')}
          <bpmn:exclusiveGateway id="Sub_gw" />
          ${flow('SF3', 'Sub_gw', 'Sub_review', 'ok = false')}${flow('SF4', 'Sub_gw', 'Sub_end', 'ok = true', 'feel')}
          <bpmn:endEvent id="Sub_end" />
        </bpmn:subProcess>
        <bpmn:boundaryEvent id="Sub_timer" attachedToRef="Sub" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        ${flow('F8', 'Sub_timer', 'Reminder')}
        <bpmn:intermediateThrowEvent id="Reminder" />
        ${flow('F9', 'Reminder', 'Reminded')}
        <bpmn:endEvent id="Reminded" />
        ${flow('F10', 'Sub', 'Incl')}
        <bpmn:inclusiveGateway id="Incl" />
        ${flow('F11', 'Incl', 'Done', 'amount > 100')}${flow('F12', 'Incl', 'Stop', 'amount &lt;= 100')}
        <bpmn:task id="Done" />${flow('F13', 'Done', 'Stop')}
        <bpmn:endEvent id="Stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>
        <bpmn:textAnnotation id="Note"><bpmn:text>需在 5 个工作日内完成</bpmn:text></bpmn:textAnnotation>
        <bpmn:association id="Assoc" sourceRef="Sub" targetRef="Note" />
      </bpmn:process>`);
    await expect(validateBpmn(xml, opts)).resolves.toMatchObject({ processKey: 'Process_all', name: 'Process_all' });
  });
});
