import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, CATEGORY_LABELS, CaseFactsSchema, CategorySchema, FACT_VARIABLES } from './vocabulary.js';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const validate = new Ajv({ strict: false }).compile(CaseFactsSchema);
const facts = {
  category: 'penalty',
  partyType: 'organization',
  amount: 50_000,
  measure: 'licence_revocation',
  hearingHeld: true,
  thirdPartyAffected: false,
  complex: false,
  publicInterest: false,
  socialImpact: false,
};

describe('the fact vocabulary', () => {
  it('is exactly the properties of the case facts', () => {
    expect(FACT_VARIABLES).toEqual([
      'category',
      'partyType',
      'amount',
      'measure',
      'hearingHeld',
      'thirdPartyAffected',
      'complex',
      'publicInterest',
      'socialImpact',
    ]);
  });

  it('offers the same four categories in the schema as in the labels', () => {
    expect(CategorySchema.anyOf.map((s) => s.const)).toEqual(CATEGORIES);
    expect(CATEGORIES).toEqual(['licensing', 'penalty', 'coercion', 'levy']);
  });

  it('is documented in the README, every variable and category', () => {
    for (const name of [...FACT_VARIABLES, ...CATEGORIES, ...Object.values(CATEGORY_LABELS)]) {
      expect(readme).toContain(name);
    }
  });

  it('accepts complete facts and refuses missing, extra or mistyped ones', () => {
    expect(validate(facts)).toBe(true);
    const { amount: _, ...withoutAmount } = facts;
    expect(validate(withoutAmount)).toBe(false);
    expect(validate({ ...facts, turnover: 1 })).toBe(false);
    expect(validate({ ...facts, amount: -1 })).toBe(false);
    expect(validate({ ...facts, category: 'fine' })).toBe(false);
    expect(validate({ ...facts, measure: 'Fine; drop' })).toBe(false);
  });
});
