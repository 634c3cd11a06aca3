import { describe, expect, it } from 'vitest';
import { bigramTokens, bigramTsquery } from './search-tokens.js';

describe('bigram tokens', () => {
  it('splits Han runs into overlapping pairs and keeps words of letters and digits whole', () => {
    expect(bigramTokens('张某某销售ABC 2026')).toEqual(['张某', '某某', '某销', '销售', 'abc', '2026']);
  });

  it('keeps a lone Han character', () => {
    expect(bigramTokens('罚，款')).toEqual(['罚', '款']);
  });

  it('builds a query that ANDs the same tokens, a prefix only where a token may be partial', () => {
    expect(bigramTsquery('食品安全')).toBe("'食品' & '品安' & '安全'");
    expect(bigramTsquery('执法〔2023〕1234号')).toBe("'执法' & '2023' & '1234' & '号'");
    expect(bigramTsquery('市监罚 12')).toBe("'市监' & '监罚' & '12':*");
    expect(bigramTsquery('罚')).toBe("'罚':*");
    expect(bigramTsquery("'; drop")).toBe("'drop':*");
    expect(bigramTsquery('，。')).toBeNull();
  });
});
