import { describe, expect, it } from 'vitest';
import { detectPersonalData, isResidentId, maskPersonName, passesLuhn, redact } from './redaction.js';

/** A small seeded PRNG so that the corpus is the same on every run (and a failure can be replayed). */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '欧阳', '司马', '孙', '马', '朱'];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀兰',
  '霞',
];
const CITIES = [
  ['江苏省', '南京市', '鼓楼区'],
  ['', '盐城市', '亭湖区'],
  ['浙江省', '杭州市', '西湖区'],
  ['', '苏州市', '吴中区'],
];
const ROADS = ['中山北路', '解放路', '人民大道', '建设巷', '幸福村', '阳光花园'];
const ORGS = [
  '盐城市恒达贸易有限公司',
  '南京鼓楼区百味餐饮店',
  '江苏绿源环保科技股份有限公司',
  '苏州市吴中区张记五金商行',
  '杭州西湖王氏茶叶合作社',
];
const CUES = ['当事人', '法定代表人', '负责人', '经营者', '证人'];
const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function residentId(rand: () => number): string {
  const region = String(110000 + Math.floor(rand() * 540000)).padStart(6, '1');
  const y = 1950 + Math.floor(rand() * 55);
  const m = 1 + Math.floor(rand() * 12);
  const d = 1 + Math.floor(rand() * 28);
  const body = `${region}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(Math.floor(rand() * 1000)).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

function bankCard(rand: () => number): string {
  const len = 16 + Math.floor(rand() * 4);
  const digits = `62${Array.from({ length: len - 3 }, () => Math.floor(rand() * 10)).join('')}`;
  const check = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].find((c) => passesLuhn(`${digits}${c}`)) ?? 0;
  return `${digits}${check}`;
}

function creditCode(rand: () => number): string {
  return `913${Array.from({ length: 15 }, () => CODE_CHARS[Math.floor(rand() * CODE_CHARS.length)]).join('')}`;
}

interface Sample {
  text: string;
  planted: string[];
  orgs: string[];
  partyName: string;
}

function sample(rand: () => number): Sample {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const name = pick(SURNAMES) + pick(GIVEN);
  const witness = pick(SURNAMES) + pick(GIVEN);
  const id = residentId(rand);
  const mobile = `1${3 + Math.floor(rand() * 7)}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
  const mobileShown = rand() < 0.3 ? `${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}` : mobile;
  const landline = `0${25 + Math.floor(rand() * 70)}-${2 + Math.floor(rand() * 7)}${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`;
  const card = bankCard(rand);
  const email = `${['zhang', 'li.ming', 'wang_88', 'chen'][Math.floor(rand() * 4)]}${Math.floor(rand() * 1000)}@${pick(['qq.com', '163.com', 'example.cn'])}`;
  const [prov, city, district] = pick(CITIES);
  const house = `${pick(ROADS)}${1 + Math.floor(rand() * 300)}号${rand() < 0.5 ? `${1 + Math.floor(rand() * 20)}栋${100 + Math.floor(rand() * 900)}室` : ''}`;
  const org = pick(ORGS);
  const code = creditCode(rand);
  const cue = pick(CUES);
  const text =
    `经查，当事人${name}（公民身份号码${id}，联系电话${mobileShown}，住${prov}${city}${district}${house}）` +
    `于${2020 + Math.floor(rand() * 6)}年${1 + Math.floor(rand() * 12)}月受${org}（统一社会信用代码${code}）委托从事经营活动，` +
    `${cue}${witness}证实上述事实。当事人通过银行卡${card}收取货款，并以电子邮箱${email}、固定电话${landline}联系客户。` +
    `${org}对此不知情。以上事实有现场检查笔录、询问笔录等证据证实。`;
  // The party's given name alone is not planted: a surname + 某某 mask keeps the surname by rule.
  return {
    text,
    planted: [name, witness, id, mobile, mobileShown, landline, card, email, house],
    orgs: [org, code],
    partyName: name,
  };
}

describe('resident ID and Luhn checks', () => {
  it('accepts a valid ID and refuses a changed check digit or an impossible birth date', () => {
    expect(isResidentId('11010519491231002X')).toBe(true);
    expect(isResidentId('110105194912310021')).toBe(false);
    expect(isResidentId('110105194913310028')).toBe(false);
    expect(passesLuhn('6222020200112233446')).toBe(true);
    expect(passesLuhn('6222020200112233445')).toBe(false);
  });

  it('masks names by surname, compound surnames included', () => {
    expect(maskPersonName('张三')).toBe('张某某');
    expect(maskPersonName('欧阳娜娜')).toBe('欧阳某某');
  });
});

describe('redaction on a generated corpus', () => {
  const rand = prng(20261125);
  const corpus = Array.from({ length: 2000 }, () => sample(rand));

  it('leaks no planted personal item and masks no organisation name or credit code', () => {
    let checked = 0;
    const leaks: string[] = [];
    const maskedOrgs: string[] = [];
    for (const s of corpus) {
      const out = redact(s.text, { personNames: [s.partyName] }).text;
      for (const p of s.planted) {
        checked++;
        if (out.includes(p)) leaks.push(`${p} in ${out}`);
      }
      for (const o of s.orgs) if (!out.includes(o)) maskedOrgs.push(`${o} in ${out}`);
    }
    console.info(
      `redaction corpus: ${corpus.length} texts, ${checked} planted items checked, ${leaks.length} leaked, ${maskedOrgs.length} organisation names/codes masked`,
    );
    expect(leaks.slice(0, 5)).toEqual([]);
    expect(maskedOrgs.slice(0, 5)).toEqual([]);
    expect(checked).toBe(corpus.length * 9);
  });

  it('follows the documented masks', () => {
    const out = redact(
      '当事人张伟，身份证11010519491231002X，手机13812345678，电话025-84561234，卡号6222020200112233446，邮箱zhangwei@qq.com，住南京市鼓楼区中山北路12号3栋201室。',
      {
        personNames: ['张伟'],
      },
    ).text;
    expect(out).toBe(
      '当事人张某某，身份证1101**********002X，手机138****5678，电话025-******34，卡号6222***********3446，邮箱z***@qq.com，住南京市鼓楼区****。',
    );
  });

  it('keeps the organisation party whose name contains a personal name', () => {
    const out = redact('当事人王建国个体经营，受王建国食品有限公司委托', {
      personNames: ['王建国'],
      organizationNames: ['王建国食品有限公司'],
    }).text;
    expect(out).toBe('当事人王某某个体经营，受王建国食品有限公司委托');
  });
});

describe('names of natural persons', () => {
  it('masks a name without taking the next character, and every other occurrence of it', () => {
    const facts = '当事人李明销售超过保质期的食品，证人赵强证实，赵强曾于2026年10月在该店购买。';
    const out = redact(facts, { personNames: ['李明'] });
    expect(out.text).toBe('当事人李某某销售超过保质期的食品，证人赵某某证实，赵某某曾于2026年10月在该店购买。');
    expect(out.findings.map((f) => f.text)).toEqual(['李明', '赵强', '赵强']);
    // The same without the party's name from the case: read from the text alone.
    expect(redact(facts).text).toBe(out.text);
  });

  it('takes the name known from the case where the words after it are ambiguous', () => {
    // 王华明 + 知道 or 王华 + 明知道: the party's name decides.
    expect(redact('当事人王华明知道该批食品已过期。', { personNames: ['王华'] }).text).toBe(
      '当事人王某某明知道该批食品已过期。',
    );
  });

  it('reads 3-character and compound-surname names whole', () => {
    const out = redact(
      '法定代表人欧阳娜娜未按规定公示，证人王秀英也未到场，负责人李明华销售上述食品，证人张春生于当日到场，经营者王保国家里存放货物。',
    ).text;
    expect(out).toBe(
      '法定代表人欧阳某某未按规定公示，证人王某某也未到场，负责人李某某销售上述食品，证人张某某于当日到场，经营者王某某家里存放货物。',
    );
  });

  it('masks relatives and employees named after a relationship word, and the approval check finds them', () => {
    const facts = '当事人张三的妻子王芳协助经营，王芳负责收银；其女儿刘小红、员工陈伟、母亲：孙秀兰均在场。';
    expect(redact(facts, { personNames: ['张三'] }).text).toBe(
      '当事人张某某的妻子王某某协助经营，王某某负责收银；其女儿刘某某、员工陈某某、母亲：孙某某均在场。',
    );
    // The approval check re-runs the detector on the reviewed text: an unmasked relative refuses publication.
    const left = detectPersonalData('当事人张某某的妻子王芳协助经营。', { personNames: ['张三'] });
    expect(left.map((f) => [f.kind, f.text])).toEqual([['person_name', '王芳']]);
  });

  it('does not take words after a cue for names', () => {
    for (const text of [
      '其妻子陈述称不知情，丈夫和儿子均不在场。',
      '当事人销售妇女儿童用品，其父母亲均已退休。',
      '证人明确表示不知情，当事人申请听证。',
      '当事人宋某称其不知情，员工工资未按时发放。',
      '当事人与员工王某某签订劳动合同。',
      '员工受江苏绿源环保科技股份有限公司委派，亲属关系证明已提交。',
    ]) {
      expect(redact(text).text).toBe(text);
    }
  });
});
