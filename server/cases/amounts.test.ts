import { describe, expect, it } from 'vitest';
import { amountMismatch, chineseInteger, writtenAmounts } from './amounts.js';

describe('amounts written in a proposed decision', () => {
  it.each([
    ['罚款八十万元', 800_000],
    ['罚款人民币800,000元', 800_000],
    ['没收违法所得3.5万元', 35_000],
    ['没收不合格产品，并处罚款六万四千元。', 64_000],
    ['罚款壹拾万元整', 100_000],
    ['罚款三点五万元', 35_000],
    ['罚款九点九万元', 99_000],
    ['罚款一千零五元', 1005],
    ['罚款十二万元', 120_000],
    ['罚款１２０００元', 12_000],
    ['罚款两亿元', 200_000_000],
    ['罚款三亿五千万元', 350_000_000],
  ])('%s → %d 元', (text, yuan) => {
    expect(writtenAmounts(text).map((a) => a.yuan)).toEqual([yuan]);
  });

  it('reads every amount in order', () => {
    expect(writtenAmounts('没收违法所得3.5万元，并处罚款人民币七万元').map((a) => a.yuan)).toEqual([35_000, 70_000]);
  });

  it('reads no amount where there is none', () => {
    expect(writtenAmounts('责令停产停业，吊销营业执照')).toEqual([]);
    expect(chineseInteger('某某')).toBeNull();
  });

  it('names both amounts when the declared amount is less than the proposal imposes', () => {
    const message = amountMismatch('罚款八十万元', 0);
    expect(message).toContain('八十万元');
    expect(message).toContain('800,000元');
    expect(message).toContain('0元');
    expect(amountMismatch('罚款八十万元', 800_000)).toBeNull();
    expect(amountMismatch('没收违法所得3.5万元，并处罚款7万元', 70_000)).toBeNull();
    expect(amountMismatch('没收违法所得3.5万元，并处罚款7万元', 35_000)).toContain('7万元');
    expect(amountMismatch('责令改正', 0)).toBeNull();
  });
});
