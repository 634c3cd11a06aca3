import { describe, expect, it } from 'vitest';
import { organisationAfter } from './organisation-names.js';
import { personNamesIn } from './person-names.js';
import { redact } from './redaction.js';

const unchanged = (texts: readonly string[]) => {
  for (const text of texts) expect(redact(text).text).toBe(text);
};

// Organisations after a cue whose names begin with a surname (organisation-names.ts): legal persons' and trade
// names are public, and so are the place names and amounts they begin with.
describe('an organisation after a cue', () => {
  it('is read as no person, so the words it begins with stay elsewhere', () => {
    unchanged([
      '当事人华东商贸有限公司在华东地区销售过期食品，华东商贸城内也有售。',
      '当事人金华食品有限公司在金华市销售过期食品，该批货物来自黄山市。',
      '当事人黄山旅游公司在黄山风景区经营。',
      '当事人宁波食品厂在宁波市销售，当事人明华食品店位于明华路。',
      '当事人华夏银行南京分行，华夏银行总行。',
    ]);
    expect([...personNamesIn('当事人华东商贸有限公司销售过期食品。', []).values()]).toEqual(['organisation-start']);
  });

  it('leaves the amounts alone that begin like 万元食品店', () => {
    unchanged(['当事人万元食品店销售过期食品，处罚款人民币万元。', '当事人万家乐超市销售过期食品，罚款人民币5万元。']);
    // A person surnamed 万 found by a cue: the amounts after a number stay.
    expect(redact('证人万元称不知情，对当事人罚款人民币5万元，没收违法所得一万元。').text).toBe(
      '证人万某某称不知情，对当事人罚款人民币5万元，没收违法所得一万元。',
    );
  });

  it('keeps organisation names the reading cut into: 万家, 某某公司, 区, 村, 记, 网吧, a compound surname', () => {
    unchanged([
      '当事人华润万家超市销售过期食品，当事人华润万家有限公司销售过期食品。',
      '当事人高新区某某公司销售，当事人宁夏某某公司销售，当事人余杭区某公司销售。',
      '当事人宋庄村委会，当事人李记面馆销售，当事人龙腾网吧接纳未成年人，当事人欧阳食品店销售。',
    ]);
  });

  it('masks the person of a trade name only where the name reads as a person', () => {
    expect(redact('当事人刘敏美容店未取得许可证。经查，刘敏于2026年在店内销售，刘敏称不知情。').text).toBe(
      '当事人刘敏美容店未取得许可证。经查，刘某某于2026年在店内销售，刘某某称不知情。',
    );
    // A place character beginning organisation words keeps the trade name whole (家具店, not 家中).
    expect(redact('当事人王强家具店销售过期食品，经营者王强称不知情，当事人李娜家中存放货物。').text).toBe(
      '当事人王强家具店销售过期食品，经营者王某某称不知情，当事人李某某家中存放货物。',
    );
  });

  it('is not taken where the person comes first: a verb, 的, a home, a verb and its object', () => {
    for (const rest of [
      '开设便利店',
      '的便利店内',
      '店内存放',
      '家中存放',
      '站在门口',
      '销售店内商品',
      '一人看店',
      '夫妇开店',
    ]) {
      expect(organisationAfter('王强', rest)).toBe(false);
    }
    for (const rest of ['有限公司', '商贸有限公司', '加工厂未取得许可', '家具店销售', '某某公司', '银行南京分行']) {
      expect(organisationAfter('王强', rest)).toBe(true);
    }
    expect(redact('其妻子王芳一人看店，当事人王强夫妇开店。').text).toBe(
      '其妻子王某某一人看店，当事人王某某夫妇开店。',
    );
  });
});
