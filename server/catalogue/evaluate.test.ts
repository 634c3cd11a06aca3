import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateCatalogue, VOLUNTARY_REASON } from './evaluate.js';
import { CATEGORIES, CATEGORY_LABELS, type CaseFacts, type CatalogueItem } from './vocabulary.js';

function catalogueItem(overrides: Partial<CatalogueItem> = {}): CatalogueItem {
  return {
    code: 'CF-01',
    category: 'penalty',
    categoryLabel: '行政处罚',
    name: '对法人或者其他组织处以五万元以上罚款',
    condition: 'category = "penalty" and partyType = "organization" and amount >= 50000',
    basis: '《行政处罚法》第五十八条',
    reviewWorkingDays: 5,
    materials: [{ name: '行政处罚决定书（代拟稿）', required: true }],
    ...overrides,
  };
}

const facts = (overrides: Partial<CaseFacts> = {}): CaseFacts => ({
  category: 'penalty',
  partyType: 'organization',
  amount: 0,
  measure: 'fine',
  hearingHeld: false,
  thirdPartyAffected: false,
  complex: false,
  publicInterest: false,
  socialImpact: false,
  ...overrides,
});

const arbitraryFacts: fc.Arbitrary<CaseFacts> = fc.record({
  category: fc.constantFrom(...CATEGORIES),
  partyType: fc.constantFrom('person' as const, 'organization' as const),
  amount: fc.oneof(fc.constant(0), fc.constant(50_000), fc.double({ min: 0, max: 1e9, noNaN: true })),
  measure: fc.constantFrom('fine', 'licence_revocation', 'seizure', 'demolition', 'levy'),
  hearingHeld: fc.boolean(),
  thirdPartyAffected: fc.boolean(),
  complex: fc.boolean(),
  publicInterest: fc.boolean(),
  socialImpact: fc.boolean(),
});

describe('evaluateCatalogue', () => {
  it('names the matching item in the reason', () => {
    const item = catalogueItem();
    expect(evaluateCatalogue([item], facts({ amount: 80_000 }))).toEqual({
      mandatory: true,
      matched: item,
      matches: [item],
      reason: '本案属于重大执法决定：行政处罚 — 对法人或者其他组织处以五万元以上罚款（CF-01）',
    });
  });

  it('offers voluntary review when no item matches', () => {
    expect(evaluateCatalogue([catalogueItem()], facts({ amount: 49_999.99 }))).toEqual({
      mandatory: false,
      matched: null,
      matches: [],
      reason: VOLUNTARY_REASON,
    });
    expect(evaluateCatalogue([], facts())).toMatchObject({
      mandatory: false,
      reason: '未命中目录清单，可自愿申请法制审核',
    });
  });

  it('matches the threshold item exactly when the facts meet it', () => {
    const item = catalogueItem();
    fc.assert(
      fc.property(arbitraryFacts, (f) => {
        const expected = f.category === 'penalty' && f.partyType === 'organization' && f.amount >= 50_000;
        expect(evaluateCatalogue([item], f).mandatory).toBe(expected);
      }),
    );
  });

  it('governs by the longest review time limit, the first in document order among equals', () => {
    const items = fc.array(fc.record({ applies: fc.boolean(), days: fc.integer({ min: 1, max: 60 }) }), {
      maxLength: 12,
    });
    fc.assert(
      fc.property(items, (specs) => {
        const catalogue = specs.map((s, i) =>
          catalogueItem({
            code: `X-${i}`,
            condition: s.applies ? 'amount >= 0' : 'amount < 0',
            reviewWorkingDays: s.days,
          }),
        );
        const result = evaluateCatalogue(catalogue, facts());
        const applying = catalogue.filter((_, i) => specs[i].applies);
        expect(result.matches).toEqual(applying);
        expect(result.mandatory).toBe(applying.length > 0);
        const longest = Math.max(...applying.map((i) => i.reviewWorkingDays));
        expect(result.matched).toBe(applying.find((i) => i.reviewWorkingDays === longest) ?? null);
      }),
    );
  });

  it('counts only an exact true as a match', () => {
    for (const condition of [
      'amount',
      '"true"',
      'null',
      'measure',
      '[true]',
      'if complex then true else null',
      '1 = "1"',
    ]) {
      expect(evaluateCatalogue([catalogueItem({ condition })], facts({ amount: 1 })).matches).toEqual([]);
    }
  });

  it('treats a condition that fails to evaluate as not matching, and judges the others', () => {
    const broken = catalogueItem({ code: 'BAD', condition: 'amount >= 1 and' });
    const good = catalogueItem({ code: 'OK', condition: 'hearingHeld' });
    expect(evaluateCatalogue([broken, good], facts({ hearingHeld: true })).matches).toEqual([good]);
  });

  it('lets conditions see the case facts and nothing else the caller passes', () => {
    const sneaky = { ...facts(), turnover: 1e9 } as CaseFacts;
    const item = catalogueItem({ condition: 'turnover > 0' });
    expect(evaluateCatalogue([item], sneaky).mandatory).toBe(false);
  });

  it('reads booleans and strings as FEEL does', () => {
    const items = [
      catalogueItem({
        code: 'T',
        category: 'coercion',
        categoryLabel: CATEGORY_LABELS.coercion,
        condition: 'measure in ("demolition", "seizure") and not(hearingHeld)',
        reviewWorkingDays: 10,
      }),
      catalogueItem({ code: 'C', condition: 'complex or (publicInterest and socialImpact)', reviewWorkingDays: 7 }),
    ];
    const demolition = evaluateCatalogue(items, facts({ category: 'coercion', measure: 'demolition', complex: true }));
    expect(demolition.matches.map((i) => i.code)).toEqual(['T', 'C']);
    expect(demolition.reason).toBe('本案属于重大执法决定：行政强制 — 对法人或者其他组织处以五万元以上罚款（T）');
    const heard = evaluateCatalogue(items, facts({ measure: 'demolition', hearingHeld: true, publicInterest: true }));
    expect(heard.mandatory).toBe(false);
  });
});
