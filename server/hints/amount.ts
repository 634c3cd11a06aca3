import { amountMismatch, writtenAmounts } from '../cases/amounts.js';
import type { HintInput, HintSource } from './types.js';

const yuan = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}元`;

// An amount the facts found name as what the case is about: 货值金额, 违法所得, 涉案金额 or 案值, within a few characters.
const FACT_AMOUNT = /(货值金额|违法所得|涉案金额|涉案价值|案值)[^。；，,]{0,12}?$/;

/**
 * 申报的涉案金额与拟作出的决定、查明的事实不一致. The submission refuses a proposal whose sum exceeds the declared
 * amount, so the first check catches packets from before that rule; the second compares the amounts the facts found
 * name (货值金额六万四千元) with the declared amount, which the catalogue's thresholds are judged on.
 */
export const amountHints: HintSource = async (_db, c) => {
  const declared = Number(c.facts?.amount ?? 0);
  if (!Number.isFinite(declared)) return [];
  const hints: HintInput[] = [];
  const mismatch = amountMismatch(c.packet.proposedDecision ?? '', declared);
  if (mismatch) {
    hints.push({
      kind: 'amount_mismatch',
      point: 'facts',
      key: `amount:proposal:${declared}`,
      title: '拟作出的决定所涉金额高于申报的涉案金额',
      detail: mismatch.replace(/，请核实后重新填写$/, '。请承办机构核实涉案金额；涉案金额关系到是否属于重大执法决定。'),
    });
  }
  const facts = c.packet.factsFound ?? '';
  const named = writtenAmounts(facts).filter((a) => {
    const at = facts.indexOf(a.text);
    return at >= 0 && FACT_AMOUNT.test(facts.slice(Math.max(0, at - 16), at));
  });
  const largest = named.reduce<(typeof named)[number] | null>((a, b) => (!a || b.yuan > a.yuan ? b : a), null);
  if (largest && largest.yuan > declared) {
    hints.push({
      kind: 'amount_mismatch',
      point: 'facts',
      key: `amount:facts:${largest.yuan}:${declared}`,
      title: '查明的事实所载金额高于申报的涉案金额',
      detail:
        `查明的事实写明“${largest.text}”（${yuan(largest.yuan)}），而申报的涉案金额为 ${yuan(declared)}。` +
        '涉案金额是判断是否属于重大执法决定（目录清单）的依据，请承办机构核实两者是否一致。',
    });
  }
  return hints;
};
