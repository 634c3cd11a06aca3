import { describe, expect, it } from 'vitest';
import { redact } from './redaction.js';

const unchanged = (texts: readonly string[]) => {
  for (const text of texts) expect(redact(text).text).toBe(text);
};

describe('given names beginning with a stop or function character', () => {
  it('masks 自强, 在明, 和平, 向东, 为民 … after a cue, with single and compound surnames', () => {
    const facts =
      '当事人张自强销售过期食品，证人王在明证实，经营者李和平未到场，负责人刘向东表示认可，其丈夫陈为民承认上述事实，' +
      '证人蒋经国、法定代表人欧阳自强在场，股东诸葛和平均签字，张自强曾于2025年在该店工作。';
    expect(redact(facts).text).toBe(
      '当事人张某某销售过期食品，证人王某某证实，经营者李某某未到场，负责人刘某某表示认可，其丈夫陈某某承认上述事实，' +
        '证人蒋某某、法定代表人欧阳某某在场，股东诸葛某某均签字，张某某曾于2025年在该店工作。',
    );
  });

  it('keeps the length of the name before an ambiguous word, and leaves adverb + preposition alone', () => {
    expect(redact('当事人王在明知道该批食品已过期，证人高于飞证实。').text).toBe(
      '当事人王某某知道该批食品已过期，证人高某某证实。',
    );
    unchanged([
      '当事人曾在家中存放货物，当事人尚未建立进货台账。',
      '当事人曾自行整改，当事人曾向执法人员陈述，当事人曾于同年受到处罚。',
      '当事人曾在华东地区经营，当事人应自收到本决定书之日起十五日内缴纳罚款。',
      '当事人王某某在店内，当事人曾某某称不知情。',
    ]);
  });
});

describe('surnames that are prepositions (于, 和, 向)', () => {
  it('leaves 于当日, 向执法人员, 和他人 after a cue, and masks 于洋, 向华', () => {
    unchanged([
      '当事人于当日到场，证人向执法人员陈述，负责人和他人合伙经营。',
      '经查，当事人于本年度销售不合格电热水壶，经营者向消费者出售。',
    ]);
    expect(redact('证人于洋证实，证人向华在场。').text).toBe('证人于某某证实，证人向某某在场。');
  });
});

describe('a name running into 店, 站, 馆, 厂', () => {
  it('masks the person before 店内, 站在, 厂区 and 的/从 … 店, found or known', () => {
    const facts =
      '当事人王强店内存放过期食品，经营者李明站在门口，负责人赵强厂区内堆放原料，证人孙伟的便利店内也有同类商品，' +
      '员工陈刚从李记批发店购进货物。';
    expect(redact(facts).text).toBe(
      '当事人王某某店内存放过期食品，经营者李某某站在门口，负责人赵某某厂区内堆放原料，证人孙某某的便利店内也有同类商品，' +
        '员工陈某某从李记批发店购进货物。',
    );
    expect(redact('经查，王强店内存放过期食品。', { personNames: ['王强'] }).text).toBe(
      '经查，王某某店内存放过期食品。',
    );
  });

  it('keeps a trade name with a personal name in it, as a known organisation name is kept', () => {
    expect(redact('当事人王强店内存放货物，其经营的王强便利店未取得许可。').text).toBe(
      '当事人王某某店内存放货物，其经营的王强便利店未取得许可。',
    );
    unchanged(['当事人王强便利店未取得食品经营许可证。', '当事人王建国食品店销售过期食品。']);
  });
});

describe('shop and stall keepers as cues', () => {
  it('masks the name after 店主 and 摊主, not the words that begin with 店主', () => {
    expect(redact('店主王强称不知情，该店店主张伟在场，摊主李和平拒不配合。').text).toBe(
      '店主王某某称不知情，该店店主张某某在场，摊主李某某拒不配合。',
    );
    unchanged(['该店主管人员在场。', '本店主要销售王老吉凉茶。', '该店主张自己无责。']);
  });
});

describe('around the stop-word rule', () => {
  it('masks two-character names and compound surnames (司马向东), not place or direction words without a cue', () => {
    expect(
      redact('证人王芳证实，法定代表人司马向东在场，证人上官明到场，当事人李明销售，证人赵强曾于当日到场。').text,
    ).toBe('证人王某某证实，法定代表人司马某某在场，证人上官某某到场，当事人李某某销售，证人赵某某曾于当日到场。');
    unchanged(['该车沿和平路向东方向行驶，车主系自然人。', '当事人系自然人，在和平路经营，自然人股东均已到场。']);
  });
});

describe('verbs after a name (开设, 租用, 购进 …)', () => {
  it('masks the name before 开设, 租用, 购进, 擅自, 雇佣 …, not in a trade name of a verb and a suffix', () => {
    expect(
      redact(
        '当事人王强开设便利店，经营者李明租用店面经营，负责人赵伟购进货物，业主孙丽擅自改建，户主周涛雇佣员工，' +
          '法定代表人吴刚承认违法事实，当事人于洋开设便利店。',
      ).text,
    ).toBe(
      '当事人王某某开设便利店，经营者李某某租用店面经营，负责人赵某某购进货物，业主孙某某擅自改建，户主周某某雇佣员工，' +
        '法定代表人吴某某承认违法事实，当事人于某某开设便利店。',
    );
    // A verb and the suffix alone are a trade name, which keeps the personal name in it.
    unchanged(['当事人王强加工厂未取得许可，当事人李明运输有限公司超限运输，当事人王强批发店销售过期食品。']);
    // 明知 begins with a common last character of given names: 王晓明 + 知道, 王强 + 明知.
    expect(redact('当事人王晓明知道该批食品已过期，证人王强明知该批食品已过期。').text).toBe(
      '当事人王某某知道该批食品已过期，证人王某某明知该批食品已过期。',
    );
  });
});

describe('given names after a stop character whose second character is rare (向前, 自力)', () => {
  it('masks 张向前 and 刘自力 wherever they occur, not 自己, 成为, 关于, 自行', () => {
    expect(
      redact(
        '当事人张向前未取得食品经营许可证。经查，张向前于2026年3月在其店内销售过期食品，负责人刘自力称不知情，' +
          '刘自力在询问笔录上签字。',
      ).text,
    ).toBe(
      '当事人张某某未取得食品经营许可证。经查，张某某于2026年3月在其店内销售过期食品，负责人刘某某称不知情，' +
        '刘某某在询问笔录上签字。',
    );
    // Without a cue, the party's name known from the case finds it.
    expect(redact('经查，张向前于2026年3月销售过期食品。', { personNames: ['张向前'] }).text).toBe(
      '经查，张某某于2026年3月销售过期食品。',
    );
    unchanged(['当事人应自行整改，当事人成为该店股东，当事人关于该批货物来源的陈述不实，该店主张自己无责。']);
  });
});

describe('given names ending in 和', () => {
  it('masks 李保和, 李春和, 张永和 before a verb, not the conjunction before a noun phrase', () => {
    expect(redact('证人李保和在场，李保和在询问笔录上签字，当事人李春和称不知情，负责人张永和未到场。').text).toBe(
      '证人李某某在场，李某某在询问笔录上签字，当事人李某某称不知情，负责人张某某未到场。',
    );
    expect(redact('当事人王强和其妻子、证人王伟和在场人员、经营者王芳和销售人员、负责人张建和员工均到场。').text).toBe(
      '当事人王某某和其妻子、证人王某某和在场人员、经营者王某某和销售人员、负责人张某某和员工均到场。',
    );
  });
});

describe('曾 as an adverb and as a surname', () => {
  it('leaves 曾 + 在家, 于, 多次, 被, 一度, 有过 and the masked 曾某某 alone, and masks real 曾 names', () => {
    unchanged([
      '当事人曾在家销售过期食品，当事人曾于2025年受到行政处罚，当事人曾多次销售，当事人曾被处罚。',
      '当事人曾一度停业，当事人曾有过违法记录，当事人时任该公司法定代表人，当事人曾在新店销售。',
      '当事人曾某某称不知情，当事人曾某某在店内。',
    ]);
    // Also with a rarer given-name character (荫).
    expect(
      redact('当事人曾志伟销售过期食品，证人曾国庆证实，曾志伟曾于2025年在该店工作，员工曾荫权称不知情。').text,
    ).toBe('当事人曾某某销售过期食品，证人曾某某证实，曾某某曾于2025年在该店工作，员工曾某某称不知情。');
  });
});

describe('于 before a time or place', () => {
  it('leaves 于次日, 于本月, 于二〇二六年, 于家中 alone after a cue, and masks 于洋', () => {
    unchanged([
      '当事人于次日到场，经营者于本月销售，当事人于二〇二六年三月停业，当事人于家中存放货物，当事人于门店内销售。',
      '证人于现场证实，当事人于立案后改正。',
    ]);
    expect(redact('当事人于洋于次日到场，证人于晓东证实。').text).toBe('当事人于某某于次日到场，证人于某某证实。');
  });
});
