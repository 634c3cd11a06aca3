import { readFileSync } from 'node:fs';
import { Engine } from 'bpmn-engine';
import { describe, expect, it } from 'vitest';
import { compileDefinition } from './compile.js';
import { catalogueItem, definitions, flow, processDoc, userTask, withCatalogue } from './testing/bpmn-doc.js';
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
import { validateBpmn } from './validate.js';

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/bpmn/${name}`, import.meta.url), 'utf8');
const item = catalogueItem;
const material = (name: string, required?: string) =>
  `<fashen:material name="${name}"${required === undefined ? '' : ` required="${required}"`} />`;
const q = (s: string) => s.replace(/"/g, '&quot;');
const big = { ...opts, maxBytes: 2 * 1024 * 1024 };

const valid: { name: string; xml: string }[] = [
  { name: 'the catalogue-valid fixture', xml: fixture('catalogue-valid.bpmn') },
  {
    name: 'an item with the least and the most review days',
    xml: withCatalogue(item({ reviewWorkingDays: '1' }) + item({ code: 'CF-02', reviewWorkingDays: '60' })),
  },
  { name: 'materials without required (optional)', xml: withCatalogue(item({}, material('听证笔录'))) },
  {
    name: 'conditions calling the allowed functions',
    xml: withCatalogue(
      item({
        condition: q(
          'not(complex) and string length(measure) > 0 and list contains(["fine", "confiscation"], measure)',
        ),
      }),
    ),
  },
  {
    name: 'a condition over every fact',
    xml: withCatalogue(
      item({
        condition: q(
          'category = "levy" and partyType = "person" and amount > 0 and measure = "levy" and hearingHeld and thirdPartyAffected and complex and publicInterest and socialImpact',
        ),
      }),
    ),
  },
  { name: 'a type check', xml: withCatalogue(item({ condition: 'amount instance of number' })) },
];

const cases: HostileCase[] = [
  {
    name: 'an item without a code',
    xml: withCatalogue(item({ code: null })),
    code: 'BPMN_INVALID',
    says: ['目录清单第 1 项（未设编号）缺少编号（code）'],
  },
  {
    name: 'two items with one code',
    xml: withCatalogue(item() + item({ name: '另一事项' })),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”的编号（code）与前面的事项重复'],
  },
  {
    name: 'an unknown category',
    xml: withCatalogue(item({ category: 'fine' })),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”的类别“fine”无效', 'licensing、penalty、coercion、levy'],
  },
  {
    name: 'an item without a category',
    xml: withCatalogue(item({ category: null })),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”缺少类别'],
  },
  {
    name: 'an item without a name',
    xml: withCatalogue(item({ name: ' ' })),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”缺少名称'],
  },
  {
    name: 'an item without a condition',
    xml: withCatalogue(item({ condition: null })),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”缺少适用条件'],
  },
  {
    name: 'a condition that is not FEEL',
    xml: withCatalogue(item({ condition: 'amount &gt;= 50000 and' })),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”的条件不是合法的 FEEL 表达式'],
  },
  {
    name: 'a condition naming an unknown fact',
    xml: fixture('catalogue-invalid-unknown-fact.bpmn'),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”的条件引用了未知的案件事实 turnover', '可用：category、partyType、amount'],
  },
  {
    name: 'a condition with a local name (for … in)',
    xml: withCatalogue(item({ code: 'CF-09', condition: 'some x in [1, 2] satisfies x &gt; amount' })),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-09”的条件引用了未知的案件事实 x'],
  },
  {
    name: 'a condition reading the clock',
    xml: withCatalogue(item({ condition: q('today() > date("2020-01-01")') })),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”的条件调用了不允许的函数 today'],
  },
  {
    name: 'a condition with a regular expression',
    xml: withCatalogue(item({ condition: q('matches(measure, "(a+)+$")') })),
    code: 'BPMN_INVALID',
    says: ['不允许的函数 matches'],
  },
  {
    name: 'a placeholder in a condition',
    xml: withCatalogue(item({ condition: q(INJECTION) })),
    code: 'BPMN_UNSAFE',
    says: ['fashen:catalogueItem（code=CF-01', '的 condition 含有表达式占位符'],
  },
  {
    name: 'a condition over the length cap',
    xml: withCatalogue(item({ condition: `amount &gt;= ${'1'.repeat(500)}` })),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”的条件过长（最多 500 个字符）'],
  },
  ...['0', '61', '5.5', 'abc', '５'].map(
    (days): HostileCase => ({
      name: `review days of ${days}`,
      xml: withCatalogue(item({ reviewWorkingDays: days })),
      code: 'BPMN_INVALID',
      says: [`目录清单事项“CF-01”的审核时限 reviewWorkingDays“${days}”无效（须为 1 到 60 之间的整数）`],
    }),
  ),
  {
    name: 'an item without review days',
    xml: withCatalogue(item({ reviewWorkingDays: null })),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”缺少审核时限'],
  },
  {
    name: 'an item without materials',
    xml: withCatalogue(item({}, '')),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”：至少须列出一项送审材料'],
  },
  {
    name: 'a material listed twice',
    xml: withCatalogue(item({}, material('听证笔录', 'true') + material('听证笔录', 'false'))),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”：送审材料“听证笔录”重复'],
  },
  {
    name: 'a material without a name',
    xml: withCatalogue(item({}, '<fashen:material required="true" />')),
    code: 'BPMN_INVALID',
    says: ['目录清单事项“CF-01”：有送审材料缺少名称'],
  },
  {
    name: 'a material with required="yes"',
    xml: withCatalogue(item({}, material('听证笔录', 'yes'))),
    code: 'BPMN_INVALID',
    says: ['送审材料“听证笔录”的 required 只能为 true 或 false'],
  },
  {
    name: 'an unknown attribute on an item',
    xml: withCatalogue(item({ amount: '50000' })),
    code: 'BPMN_INVALID',
    says: ['fashen:catalogueItem（code=CF-01', '未知属性'],
  },
  {
    name: 'an empty catalogue',
    xml: withCatalogue(''),
    code: 'BPMN_INVALID',
    says: ['process（id=Process_test）的目录清单中没有事项'],
  },
  {
    name: 'two catalogues',
    xml: processDoc(
      `<bpmn:extensionElements><fashen:catalogue>${item()}</fashen:catalogue><fashen:catalogue>${item()}</fashen:catalogue></bpmn:extensionElements>${start}${flow('F', 'Start', 'End')}${end}`,
    ),
    code: 'BPMN_INVALID',
    says: ['process（id=Process_test）定义了多个目录清单'],
  },
  {
    name: 'a catalogue on a user task',
    xml: processDoc(
      `${start}${flow('F1', 'Start', 'Task_u')}${userTask('Task_u', 'fashen:role="reviewer"', `<bpmn:extensionElements><fashen:catalogue>${item()}</fashen:catalogue></bpmn:extensionElements>`)}${flow('F2', 'Task_u', 'End')}${end}`,
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['fashen:catalogue（位于 userTask（id=Task_u））的位置不对', '只能定义在 process 的扩展元素中'],
  },
  {
    name: 'an item outside a catalogue',
    xml: processDoc(
      `<bpmn:extensionElements>${item()}</bpmn:extensionElements>${start}${flow('F', 'Start', 'End')}${end}`,
    ),
    code: 'BPMN_UNSUPPORTED',
    says: ['fashen:catalogueItem（code=CF-01，位于 process（id=Process_test））的位置不对'],
  },
  {
    name: 'a catalogue on a process that is not executable',
    xml: definitions(
      `<bpmn:process id="Run" isExecutable="true">${start}${flow('F', 'Start', 'End')}${end}</bpmn:process><bpmn:process id="Doc" isExecutable="false"><bpmn:extensionElements><fashen:catalogue>${item()}</fashen:catalogue></bpmn:extensionElements></bpmn:process>`,
    ),
    code: 'BPMN_INVALID',
    says: ['process（id=Doc）不是可执行流程，不能定义目录清单'],
  },
  {
    name: 'more than 100 items',
    xml: withCatalogue(Array.from({ length: 101 }, (_, i) => item({ code: `X-${i}` })).join('')),
    code: 'BPMN_INVALID',
    says: ['目录清单事项过多：101 项（最多 100 项）'],
    options: big,
  },
];

describe('catalogue validation at deploy', () => {
  it.each(valid)('accepts $name', async ({ xml }) => {
    await expect(validateBpmn(xml, opts)).resolves.toMatchObject({ processKey: expect.any(String) });
  });

  it.each(cases)('refuses $name with $code, naming the item', expectRefused);

  it('reports every broken item, not only the first', async () => {
    const { error } = await refusal(withCatalogue(item({ category: 'x' }) + item({ code: 'CF-02', name: '' })));
    const messages = (error.details as { problems: { message: string }[] }).problems.map((p) => p.message);
    expect(messages).toEqual([
      expect.stringContaining('目录清单事项“CF-01”的类别“x”无效'),
      expect.stringContaining('目录清单事项“CF-02”缺少名称'),
    ]);
  });

  it('locates catalogue problems at the process', async () => {
    const { error } = await refusal(withCatalogue(item({ category: 'x' })));
    expect(error.details).toMatchObject({ elementId: 'Process_test', elementType: 'process' });
  });

  it('bounds the FEEL parsing a catalogue can ask for', async () => {
    // 14 items of 490 characters: over the 6 000-character budget, and every one a pathological run of quotes.
    const hostile = Array.from({ length: 14 }, (_, i) => item({ code: `H-${i}`, condition: '&quot;'.repeat(490) }));
    const { error, ms } = await cheapestRefusal(withCatalogue(hostile.join('')), big);
    expect(JSON.stringify(error.details)).toContain('目录清单条件的总长度超过 6000 个字符');
    expect(ms).toBeLessThan(1000);
  });
});

const source = (xml: string, processKey: string) => ({
  id: '00000000-0000-4000-8000-0000000000c1',
  department_id: 'dept',
  process_key: processKey,
  version: 1,
  name: '测试',
  xml,
});

describe('compiling the catalogue', () => {
  it('reads every item in document order, with labels, basis and materials', async () => {
    const compiled = await compileDefinition(source(fixture('catalogue-valid.bpmn'), 'legal_review'));
    expect(compiled.catalogue.map((i) => i.code)).toEqual(['CF-01', 'CF-02', 'QZ-01', 'QT-01']);
    expect(compiled.catalogue[0]).toEqual({
      code: 'CF-01',
      category: 'penalty',
      categoryLabel: '行政处罚',
      name: '对法人或者其他组织处以五万元以上罚款',
      condition: 'category = "penalty" and partyType = "organization" and amount >= 50000',
      basis: '《行政处罚法》第五十八条',
      reviewWorkingDays: 5,
      materials: [
        { name: '行政处罚决定书（代拟稿）', required: true },
        { name: '听证笔录', required: false },
      ],
    });
    expect(compiled.catalogue[1]).toMatchObject({
      basis: null,
      materials: [
        { name: '行政处罚决定书（代拟稿）', required: true },
        { name: '调查终结报告', required: false },
      ],
    });
    expect(compiled.catalogue[2]).toMatchObject({
      category: 'coercion',
      categoryLabel: '行政强制',
      reviewWorkingDays: 10,
    });
  });

  it('gives an empty catalogue to a process without one', async () => {
    const compiled = await compileDefinition(source(fixture('simple-approval.bpmn'), 'simple_approval'));
    expect(compiled.catalogue).toEqual([]);
  });

  it('leaves the catalogue out of the engine: a process with one still runs', async () => {
    const compiled = await compileDefinition(source(fixture('catalogue-valid.bpmn'), 'legal_review'));
    const engine = new Engine({ name: 'legal_review', sourceContext: compiled.sourceContext });
    const execution = await engine.execute();
    expect(execution.getPostponed().map((a) => a.id)).toEqual(['Task_review']);
    await engine.stop();
  });
});
