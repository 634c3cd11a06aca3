import { describe, expect, it } from 'vitest';
import {
  correctionItems,
  correctionProblems,
  NOT_SUBMITTED,
  parseCorrectionItems,
  SUBMITTED_UNSTATED,
  submittedMatch,
} from './correction-items.js';

describe('parseCorrectionItems', () => {
  it.each([
    [
      'one name per line',
      '现场检查笔录\n检验报告',
      [
        ['现场检查笔录', ''],
        ['检验报告', ''],
      ],
    ],
    [
      'the first colon splits, Chinese or ASCII',
      'A：要求：含冒号\nB: 原件',
      [
        ['A', '要求：含冒号'],
        ['B', '原件'],
      ],
    ],
    [
      'names separated by semicolons',
      'A；B;C',
      [
        ['A', ''],
        ['B', ''],
        ['C', ''],
      ],
    ],
    [
      'items separated by semicolons, each with a colon',
      'A：原件；B：盖章',
      [
        ['A', '原件'],
        ['B', '盖章'],
      ],
    ],
    ['a requirement that holds a semicolon', 'A：缺少签名；照片不清晰', [['A', '缺少签名；照片不清晰']]],
    ['blank lines and an empty requirement', '\n A： \n\n', [['A', '']]],
  ])('%s', (_name, text, items) => {
    expect(parseCorrectionItems(text)).toEqual(items.map(([name, requirement]) => ({ name, requirement })));
  });
});

describe('submittedMatch', () => {
  const submitted = ['案件调查终结报告', '抽样检验报告', '1'];
  it.each([
    ['《案件调查终结报告》', { entry: '案件调查终结报告', exact: true }],
    ['抽样检验报告原件', { entry: '抽样检验报告', exact: false }],
    ['调查终结报告', { entry: '案件调查终结报告', exact: false }],
    ['检验机构资质认定证书', null],
    ['附件1', null],
  ])('%s', (name, match) => {
    expect(submittedMatch(name, submitted)).toEqual(match);
  });
});

describe('correctionItems', () => {
  it('keeps a stated requirement, and says what the case shows of an item without one', () => {
    expect(correctionItems('A：原件\nB\n现场检查笔录', ['现场检查笔录'])).toEqual([
      { name: 'A', requirement: '原件' },
      { name: 'B', requirement: NOT_SUBMITTED },
      { name: '现场检查笔录', requirement: SUBMITTED_UNSTATED },
    ]);
  });

  it('writes one 未列明 row for an empty list', () => {
    expect(correctionItems('', [])).toEqual([{ name: '（未列明）', requirement: expect.stringContaining('未列明') }]);
  });
});

describe('correctionProblems', () => {
  it('names every submitted item without a requirement, and lines without a name, in one message', () => {
    expect(correctionProblems('现场检查笔录\n：原件\nX\n检验报告：盖章', ['现场检查笔录', '检验报告'])).toEqual([
      {
        field: 'missing',
        message:
          '有 1 项未写明材料名称；《现场检查笔录》已在送审材料中，请写明其需补正之处（格式：材料名称：补正要求）',
      },
    ]);
    expect(correctionProblems('X\n检验报告：盖章', ['现场检查笔录', '检验报告'])).toEqual([]);
  });
});
