import { describe, expect, it } from 'vitest';
import { StepRules } from '../tasks/step-rules.js';
import { REVIEW_POINTS } from './review-points.js';
import { registerReviewRules } from './review-rules.js';

const rules = new StepRules();
registerReviewRules(rules);

const allConform = Object.fromEntries(REVIEW_POINTS.map((p) => [`finding_${p.key}`, '符合']));
const fields = async (step: string, values: Record<string, unknown>) =>
  (await rules.check(step, values)).map((p) => p.field);

describe('the review step', () => {
  it('accepts an opinion whose points all conform', async () => {
    expect(await fields('review', { ...allConform, conclusion: '同意' })).toEqual([]);
  });

  it('asks for the note of each point found 不符合', async () => {
    const values = {
      ...allConform,
      finding_evidence: '不符合',
      finding_law: '不符合',
      note_law: '条款引用错误',
      conclusion: '退回补正',
    };
    expect(await fields('review', values)).toEqual(['note_evidence']);
  });

  it('takes a note of blanks as no note', async () => {
    expect(
      fields('review', { ...allConform, finding_facts: '不符合', note_facts: '  \n', conclusion: '不同意' }),
    ).toEqual(['note_facts']);
  });

  it('refuses the conclusion 同意 beside a point found 不符合, given as label or code', async () => {
    const noted = { ...allConform, finding_procedure: '不符合', note_procedure: '未告知陈述申辩权利' };
    expect(await fields('review', { ...noted, conclusion: '同意' })).toEqual(['conclusion']);
    expect(await fields('review', { ...noted, finding_procedure: 'nonconform', conclusion: 'approve' })).toEqual([
      'conclusion',
    ]);
  });
});

describe('the acceptance step', () => {
  it('asks an incomplete packet to list what is missing', async () => {
    expect(await fields('accept', { complete: false, missing: ' ' })).toEqual(['missing']);
    expect(await fields('accept', { complete: false })).toEqual(['missing']);
  });

  it('accepts a complete packet, or an incomplete one with its list', async () => {
    expect(await fields('accept', { complete: true })).toEqual([]);
    expect(await fields('accept', { complete: false, missing: '案件调查终结报告' })).toEqual([]);
  });
});

describe('a step the review has no rules for', () => {
  it('has no problems, nor has a task that marks no step', async () => {
    expect(await rules.check('coordinate', { coordinationNote: '' })).toEqual([]);
    expect(await rules.check(null, { complete: false })).toEqual([]);
  });
});
