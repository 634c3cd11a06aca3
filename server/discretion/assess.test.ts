import { describe, expect, it } from 'vitest';
import { assessAgainst, proposedFine } from './assess.js';
import { readBenchmarkCsv } from './csv-import.js';
import { DEMO_CSV } from './demo.js';
import type { BenchmarkItem } from './model.js';

describe('the fine a proposed decision imposes', () => {
  it.each([
    ['没收不合格产品，并处罚款六万四千元。', 64000],
    ['处以罚款人民币30,000元。', 30000],
    ['并处30,000元罚款。', 30000],
    ['没收违法所得5,000元，并处罚款3万元。', 30000],
    ['罚款人民币叁万元（30,000元）。', 30000],
    ['没收违法所得5,000元。', null],
    ['给予警告。', null],
    ['依法不予行政处罚。', null],
  ])('%s → %s', (text, yuan) => {
    expect(proposedFine(text)?.yuan ?? null).toBe(yuan);
  });
});

const item: BenchmarkItem = {
  id: '00000000-0000-4000-8000-000000000001',
  departmentId: '00000000-0000-4000-8000-000000000002',
  code: 'SC-049',
  violation: '销售不合格产品',
  basisLaw: '中华人民共和国产品质量法',
  basisArticle: '第四十九条',
  sortOrder: 10,
  updatedAt: '2026-12-01T00:00:00.000Z',
  updatedBy: null,
  ranges: [
    { circumstance: 'general', kind: 'goods_value', min: 1, max: 2, note: null },
    { circumstance: 'exempt', kind: 'none', min: null, max: null, note: null },
  ],
};
const choice = (circumstance: 'general' | 'exempt', baseAmount?: number) => ({
  benchmarkItemId: item.id,
  circumstance,
  baseAmount,
});

describe('a proposal against a benchmark range', () => {
  it('multiplies the base and takes both ends of the range', () => {
    expect(assessAgainst(item, choice('general', 10000), '并处罚款10,000元').deviation).toBe(false);
    expect(assessAgainst(item, choice('general', 10000), '并处罚款20,000元').deviation).toBe(false);
    expect(assessAgainst(item, choice('general', 10000), '并处罚款20,001元').status).toBe('above');
    expect(assessAgainst(item, choice('general', 10000), '并处罚款9,999元').status).toBe('below');
    expect(assessAgainst(item, choice('general', 10000), '给予警告').status).toBe('no_amount');
    expect(assessAgainst(item, choice('general'), '并处罚款1万元').status).toBe('missing_base');
  });

  it('flags any fine where the benchmark says 不予处罚', () => {
    expect(assessAgainst(item, choice('exempt'), '不予行政处罚').deviation).toBe(false);
    expect(assessAgainst(item, choice('exempt'), '罚款500元').status).toBe('fine_when_exempt');
  });
});

describe('the demo benchmark', () => {
  it('is a valid import file: four items, one of each kind of range', () => {
    const items = readBenchmarkCsv(DEMO_CSV);
    expect(items.map((i) => i.code)).toEqual(['SC-049', 'SC-050', 'JG-042', 'JG-039']);
    expect(new Set(items.flatMap((i) => i.ranges.map((r) => r.kind)))).toEqual(
      new Set(['fixed', 'goods_value', 'illegal_gains', 'none']),
    );
  });
});
