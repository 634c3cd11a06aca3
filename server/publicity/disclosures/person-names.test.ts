import { describe, expect, it } from 'vitest';
import { maskPersonName, redact } from './redaction.js';

/** A small seeded PRNG so that the generated texts are the same on every run (and a failure can be replayed). */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

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

/**
 * Property: generated texts whose every personal name is known to the generator. The masked text must be
 * exactly the text with each planted name replaced by its mask: no character outside a name may be lost,
 * added or changed, and no planted name may stay.
 */
describe('name masking keeps the rest of the text', () => {
  // 于 and 向 are prepositions as well as surnames, 曾 is also the adverb "once".
  const SURNAME_POOL = [...'王李张刘陈杨黄赵吴周孙马朱高于向曾', '欧阳', '司马', '诸葛'];
  const GIVEN_POOL = [
    ...'伟芳娜敏静强磊军洋勇杰涛明超霞斌平刚玲欣',
    ...['秀英', '建国', '志强', '海燕', '小红', '桂英', '德才', '晓东', '子涵', '浩然', '国庆', '红梅', '立新'],
    ...['俊杰', '丽华', '永刚', '金凤', '淑珍', '宏伟', '美玲', '志刚', '雨欣', '思远', '佳怡', '秀珍', '文杰'],
    // Given names beginning with a stop or function character, also with a rarer second character (前, 力).
    ...['自强', '自立', '在明', '和平', '向东', '向阳', '为民', '为国', '以诚', '于飞', '与华', '从军', '其昌'],
    ...['向前', '自力', '在前', '和力'],
    // Given names ending in 和, and with a rarer character.
    ...['保和', '永和', '春和', '荫权', '宪梓'],
  ];
  // Known limits. After the adverb 曾 a given name must show itself plainly: 曾从军, 曾以诚, 曾自立, 曾向前 read as
  // adverb + verb or preposition, and 曾在明店内 as 曾在 + 明店内. A given name ending in 和 before 店内 or 站在 reads
  // as the conjunction (李保 + 和店内员工).
  const ADVERB_SHY = new Set(['自立', '以诚', '从军', '向前', '自力', '在前', '和力']);
  const fits = (surname: string, given: string, follow: string) =>
    (surname !== '曾' || !ADVERB_SHY.has(given)) &&
    !((surname === '曾' || given.endsWith('和')) && /^[店站馆厂家]/u.test(follow));
  const ROLE_POOL = [
    ...['当事人', '法定代表人', '负责人', '经营者', '证人', '投诉人', '员工', '其妻子', '其丈夫', '其父亲'],
    ...['店主', '摊主', '业主', '户主'],
  ];
  const ROLE_AFTER_PERSON = [
    '的妻子',
    '的丈夫',
    '的儿子',
    '的女儿',
    '的母亲',
    '的亲属',
    '的员工',
    '和其妻子',
    '及其女儿',
  ];
  const FOLLOWERS = [
    ...['销售超过保质期的食品', '证实上述事实', '曾于2025年在该店工作', '在其店内经营', '未取得食品经营许可证'],
    ...['承认上述违法事实', '陈述称不知情', '表示愿意改正', '提供了进货单据', '驾驶货车运输', '购买了该批商品'],
    ...['擅自改变用途', '均未到场', '仍未改正', '一直负责收银', '出售过期商品', '租用该店面', '也在现场'],
    ...['到场签字', '拒不配合检查', '要求退款', '会同执法人员清点', '用其手机收款', '持有该店钥匙', '按照要求整改'],
    ...['协助经营', '明知该批食品已过期', '现场签字确认', '因病未到场', '与当事人系同事', '向执法人员陈述'],
    ...['支付了货款', '收取了货款', '介绍客户', '帮助搬运货物', '联系了供货商', '安排员工值班', '告知了权利'],
    ...['加工生产食品', '运输货物', '储存食品', '使用过期原料', '签订了合同', '伪造进货票据', '违反上述规定'],
    ...['店内存放货物', '站在柜台后', '的便利店内', '从批发市场购进', '于当日到场', '于次日到场'],
    // Verbs before a shop (the name is no part of the shop's name), and verbs the old lists lacked.
    ...['开设便利店', '租用店面开设小吃店', '经营水果店', '购进过期食品', '雇佣员工', '未经许可经营', '拒绝检查'],
    ...['生产食品', '擅自改建', '在场', '称不知情', '系该店业主'],
    ...['，', '。', '（身份证号码已核实）', '、'],
  ];
  // Names listed after the first one share its cue (证人张伟和李娜在场, 张伟、李娜和王强). Known limits: a listed name
  // must have a common given-name character (李自力, 曾荫权 are missed there) and end plainly, not before 店, 站,
  // 家 … (王强、李明店 may be a shop).
  const JOINS = ['和', '、', '与', '及', '以及'];
  const LISTED_SHY = new Set(['以诚', '向前', '自力', '在前', '和力', '荫权']);
  const fitsListed = (surname: string, given: string, follow: string) =>
    fits(surname, given, follow) && !LISTED_SHY.has(given) && !/^[店站馆厂家]/u.test(follow);
  // A found name and a conjunction followed by no person: the text stays as it is but for the found name.
  const NOT_LISTED = [
    ...['和其妻子到场', '和在场人员签字', '与本局签订协议', '与他人合伙经营', '和平安保险公司签订合同'],
    ...['、李明店内存放货物', '与李记批发店签订协议', '与李明有限公司签订合同', '与黄山旅游公司签订合同'],
    ...['与房东签订租赁合同', '与商家签订协议', '和车主到场', '与顾客发生争执', '和司机到场', '及时改正'],
    ...['与会人员签字', '与时俱进', '和某某公司签订合同', '与甘肃某公司签订合同', '及其女儿到场', '和员工均到场'],
  ];
  // A cue followed by no name at all: an adverb or preposition, also the surnames 曾 and 于 in their other use.
  const NO_NAME = [
    ...['曾在家', '曾于2025年', '曾于同年', '曾多次', '曾一度', '曾被处罚后', '曾有过违法记录', '曾向执法人员'],
    ...['曾自行', '曾在新店', '于次日', '于本月', '于当日', '于二〇二六年三月', '于家中', '于门店内', '应自行'],
    ...['时任该公司负责人', '时年45岁', '全额缴纳罚款后', '尚未', '和他人', '向消费者', '向本机关', '于现场'],
  ];

  it('changes nothing but the planted names', () => {
    const rand = prng(20261126);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const failures: string[] = [];
    let masked = 0;
    for (let n = 0; n < 3000; n++) {
      const names = new Set<string>();
      const personFollowed = (follow: string) => {
        for (;;) {
          const [surname, given] = [pick(SURNAME_POOL), pick(GIVEN_POOL)];
          if (fits(surname, given, follow)) return surname + given;
        }
      };
      const clause = () => {
        const follow = pick(FOLLOWERS);
        if (rand() < 0.15) return `${pick(ROLE_POOL)}${pick(NO_NAME)}${follow}。`;
        const name = personFollowed(follow);
        names.add(name);
        // Half the clauses repeat the name without a cue word: it is masked there too.
        const again = rand() < 0.5 ? `，${name}${pick(FOLLOWERS.filter((f) => !/^[，。、（]/u.test(f)))}` : '';
        const joined = /^[店站馆厂家]/u.test(follow) ? 1 : rand();
        if (joined < 0.2) {
          // Two or three names: each but the last followed by a conjunction, the last by `follow`.
          const list = [name];
          for (let k = joined < 0.07 ? 2 : 1; k > 0; k--) {
            for (;;) {
              const [surname, given] = [pick(SURNAME_POOL), pick(GIVEN_POOL)];
              if (fitsListed(surname, given, follow)) {
                list.push(surname + given);
                break;
              }
            }
          }
          for (const n of list) names.add(n);
          const joins = list.slice(1).map((n) => `${pick(JOINS)}${n}`);
          return `${pick(ROLE_POOL)}${list[0]}${joins.join('')}${follow}${again}。`;
        }
        if (joined < 0.27) return `${pick(ROLE_POOL)}${name}${pick(NOT_LISTED)}${again}。`;
        if (rand() < 0.2) {
          const other = personFollowed(follow);
          names.add(other);
          return `当事人${name}${pick(ROLE_AFTER_PERSON)}${other}${follow}${again}。`;
        }
        return `${pick(ROLE_POOL)}${name}${follow}${again}。`;
      };
      const text = `经查，${clause()}${clause()}`;
      // Names are replaced longest first, so that a name inside another is not masked twice.
      const planted = [...names].sort((a, b) => b.length - a.length);
      const expected = planted.length ? text.replace(new RegExp(planted.join('|'), 'gu'), maskPersonName) : text;
      const out = redact(text).text;
      masked += names.size;
      if (out !== expected) failures.push(`${text}\n  got      ${out}\n  expected ${expected}`);
    }
    console.info(`name masking property: 6000 clauses, ${masked} names, ${failures.length} texts changed wrongly`);
    expect(failures.slice(0, 5)).toEqual([]);
  });
});
