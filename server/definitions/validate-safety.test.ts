import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_TOTAL_CONDITION_CHARS } from '../../workflows/lint/expressions.js';
import { around, flow, processDoc, userTask } from './testing/bpmn-doc.js';
import {
  cheapestRefusal,
  end,
  expectRefused,
  type HostileCase,
  INJECTION,
  opts,
  refusal,
  start,
} from './testing/refusal.js';

// Counts the characters validation hands to the FEEL parser: the real parser still runs, the count is how the
// budget test knows the parsing was bounded without relying on a timer alone.
const feel = vi.hoisted(() => ({ parsedChars: 0 }));
vi.mock('feelin', async (importOriginal) => {
  const real = await importOriginal<typeof import('feelin')>();
  return {
    ...real,
    parseExpression: (expression: string, ...rest: unknown[]) => {
      feel.parsedChars += expression.length;
      return (real.parseExpression as (e: string, ...r: unknown[]) => ReturnType<typeof real.parseExpression>)(
        expression,
        ...rest,
      );
    },
  };
});
beforeEach(() => {
  feel.parsedChars = 0;
});

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><bpmn:process id="p" name="&lol9;" /></bpmn:definitions>`;

const cases: HostileCase[] = [
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
];

describe('validateBpmn refuses unsafe uploads', () => {
  it.each(cases)('refuses $name with $code, naming the element, within 1 s', expectRefused);
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
    const { error, ms } = await cheapestRefusal(processDoc(`${start}${tasks}`), { ...opts, maxBytes: 2 * 1024 * 1024 });
    expect(error.code).toBe('BPMN_INVALID');
    expect(error.details).toMatchObject({ unlistedProblems: expect.any(Number) });
    expect((error.details as { problems: unknown[] }).problems).toHaveLength(100);
    expect(ms).toBeLessThan(3000);
  });

  it('refuses deeply nested elements before parsing them', async () => {
    const deep = `<bpmn:task id="T"><bpmn:extensionElements>${'<foo:a>'.repeat(50_000)}${'</foo:a>'.repeat(50_000)}</bpmn:extensionElements></bpmn:task>`;
    const { error, ms } = await cheapestRefusal(around('T', deep), { ...opts, maxBytes: 2 * 1024 * 1024 });
    expect(error.code).toBe('BPMN_UNSUPPORTED');
    expect(error.message).toContain('嵌套层级过深');
    expect(ms).toBeLessThan(1000);
  });

  it('refuses a condition too long to parse safely, without parsing it', async () => {
    const long = '"'.repeat(100_000);
    const xml = processDoc(
      `${start}<bpmn:exclusiveGateway id="Gw" />${flow('F0', 'Start', 'Gw')}${flow('F_long', 'Gw', 'End', long)}${flow('F_else', 'Gw', 'End', 'true')}${end}`,
    );
    const { error, ms } = await cheapestRefusal(xml, { ...opts, maxBytes: 2 * 1024 * 1024 });
    expect(error.message).toContain('sequenceFlow（id=F_long）的条件表达式过长');
    expect(feel.parsedChars).toBeLessThan(1000);
    expect(ms).toBeLessThan(1000);
  });

  it('bounds the FEEL parsing a document can ask for', async () => {
    const flows = Array.from({ length: 1500 }, (_, i) => flow(`X${i}`, 'Gw', 'End', '&quot;'.repeat(80))).join('');
    const xml = processDoc(`${start}<bpmn:exclusiveGateway id="Gw" />${flow('F0', 'Start', 'Gw')}${flows}${end}`);
    const { error } = await refusal(xml, { ...opts, maxBytes: 2 * 1024 * 1024 });
    expect(error.code).toBe('BPMN_INVALID');
    expect(JSON.stringify(error.details)).toContain('条件表达式总长度超过');
    // 1 500 conditions of 80 characters ask for 120 000; the parser is handed at most the budget.
    expect(feel.parsedChars).toBeGreaterThan(0);
    expect(feel.parsedChars).toBeLessThanOrEqual(MAX_TOTAL_CONDITION_CHARS);
    const { ms } = await cheapestRefusal(xml, { ...opts, maxBytes: 2 * 1024 * 1024 });
    expect(ms).toBeLessThan(1000);
  });
});
