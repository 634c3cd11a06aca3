import { describe, expect, it } from 'vitest';
import { StepRules } from '../tasks/step-rules.js';
import { pointListFrom } from './point-lists.js';
import { ownPointKey, REVIEW_POINTS, resolvePoints } from './review-points.js';
import { pointFields, registerReviewRules } from './review-rules.js';

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
      await fields('review', { ...allConform, finding_facts: '不符合', note_facts: '  \n', conclusion: '不同意' }),
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

describe('a conclusion that finds fault', () => {
  it('names at least one point 不符合, by label or code', async () => {
    for (const conclusion of ['修改后同意', '退回补正', '不同意', 'disapprove']) {
      expect(await fields('review', { ...allConform, conclusion })).toEqual(['conclusion']);
    }
    const noted = { ...allConform, finding_documents: '不符合', note_documents: '决定书未载明救济途径' };
    expect(await fields('review', { ...noted, conclusion: '修改后同意' })).toEqual([]);
  });

  it('holds for a re-review that maintains the opinion, not for one that changes it', async () => {
    expect(await fields('rereview', { ...allConform, maintain: true })).toEqual(['maintain']);
    expect(await fields('rereview', { ...allConform, maintain: false })).toEqual([]);
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

describe('a department’s list of points', () => {
  const own = { key: ownPointKey('首违不罚情形'), label: '首违不罚情形' };
  const item = { key: ownPointKey('听证权利告知'), label: '听证权利告知' };

  it('puts the department’s and then the item’s own points before 其他', () => {
    const keys = resolvePoints({ points: [own], omitted: [] }, { points: [item], omitted: [] }).map((p) => p.key);
    expect(keys.slice(-3)).toEqual([own.key, item.key, 'other']);
    expect(keys.slice(0, 10)).toEqual(REVIEW_POINTS.slice(0, 10).map((p) => p.key));
  });

  it('drops 其他 where asked, but never a 118号 point, whatever the stored list says', () => {
    const keys = resolvePoints({ points: [], omitted: ['other', 'authority', 'crime_transfer'] }).map((p) => p.key);
    expect(keys).not.toContain('other');
    expect(keys).toContain('authority');
    expect(keys).toContain('crime_transfer');
    expect(() => pointListFrom([], ['authority'])).toThrow('不能设为不适用');
    expect(pointListFrom([' 首违不罚情形 ', ''], ['other'])).toEqual({ points: [own], omitted: ['other'] });
  });

  it('asks each point on the form, the crime point as a question', () => {
    const fields = pointFields([own, { key: 'crime_transfer', label: '涉嫌犯罪移送' }]);
    expect(fields.map((f) => [f.name, f.required, f.options])).toEqual([
      [`finding_${own.key}`, true, ['符合', '不符合', '不适用']],
      [`note_${own.key}`, false, undefined],
      ['finding_crime_transfer', true, ['否', '是（需移送）']],
      ['note_crime_transfer', false, undefined],
    ]);
  });

  it('asks the note of an own point found 不符合, by its label', async () => {
    const withOwn = new StepRules();
    registerReviewRules(withOwn, async () => resolvePoints({ points: [own], omitted: [] }));
    const problems = await withOwn.check('rereview', {
      ...allConform,
      [`finding_${own.key}`]: '不符合',
      maintain: true,
    });
    expect(problems).toEqual([{ field: `note_${own.key}`, message: '“首违不罚情形”审核结果为“不符合”的，须说明理由' }]);
  });
});
