import { describe, expect, it } from 'vitest';
import { redact } from './redaction.js';

// Names listed after a name found by a cue (joined-names.ts); the property test in person-names.test.ts
// generates such lists too.
describe('names listed after a found name (和, 、, 与, 及, 以及)', () => {
  it('masks the second and third person joined to a name found by a cue', () => {
    expect(redact('证人张伟和李娜在场').text).toBe('证人张某某和李某某在场');
    expect(redact('当事人王强、刘敏共同经营').text).toBe('当事人王某某、刘某某共同经营');
    expect(redact('经营者赵军与孙丽签订协议').text).toBe('经营者赵某某与孙某某签订协议');
    expect(redact('员工周杰及吴芳到场').text).toBe('员工周某某及吴某某到场');
    expect(redact('证人张伟和李娜的父亲到场').text).toBe('证人张某某和李某某的父亲到场');
    expect(redact('当事人张伟、李娜和王强到场，负责人赵军以及欧阳自强、李平均签字。').text).toBe(
      '当事人张某某、李某某和王某某到场，负责人赵某某以及欧阳某某、李某某均签字。',
    );
    // An already masked name in the list does not end it.
    expect(redact('当事人王强和黄某、李明在场').text).toBe('当事人王某某和黄某、李某某在场');
    // A given name ending in 和 before the conjunction 和, and a name of the adverb surname 曾 after it.
    expect(redact('摊主杨保和和朱超在场，当事人孙明和曾浩然于次日到场。').text).toBe(
      '摊主杨某某和朱某某在场，当事人孙某某和曾某某于次日到场。',
    );
  });

  it('masks a listed name without a common given-name character where the list ends in what a person does', () => {
    expect(redact('证人张伟和李自力在场').text).toBe('证人张某某和李某某在场');
    expect(
      redact('当事人王强和曾荫权均到场，负责人赵军与李向前称不知情，员工周杰、欧阳向前及吴宪梓签字确认。').text,
    ).toBe('当事人王某某和曾某某均到场，负责人赵某某与李某某称不知情，员工周某某、欧阳某某及吴某某签字确认。');
    // Not before other verbs or punctuation (a brand may be named so), nor words and role words.
    expect(redact('当事人王强与周黑鸭签订合同，当事人王强和车载机、路由器均被扣押。').text).toBe(
      '当事人王某某与周黑鸭签订合同，当事人王某某和车载机、路由器均被扣押。',
    );
    expect(redact('当事人王强和包工头到场，当事人王强和管理员在场，当事人王强与康师傅签订合同。').text).toBe(
      '当事人王某某和包工头到场，当事人王某某和管理员在场，当事人王某某与康师傅签订合同。',
    );
  });

  it('masks a listed name before a home or 站在, not before a shop', () => {
    expect(redact('证人张伟和李娜家中存放货物，当事人王强、刘敏家里存放过期食品，员工周杰与吴芳站在门口。').text).toBe(
      '证人张某某和李某某家中存放货物，当事人王某某、刘某某家里存放过期食品，员工周某某与吴某某站在门口。',
    );
    expect(redact('当事人王强、李明店内存放货物，当事人王强与李明家具店签订合同。').text).toBe(
      '当事人王某某、李明店内存放货物，当事人王某某与李明家具店签订合同。',
    );
  });

  it('leaves what is no listed person: no surname, a shop, an organisation, a role word, 及时', () => {
    expect(redact('当事人王强和其妻子到场，证人张伟和在场人员签字，当事人李明与本局签订协议。').text).toBe(
      '当事人王某某和其妻子到场，证人张某某和在场人员签字，当事人李某某与本局签订协议。',
    );
    expect(redact('当事人王强、李明店内存放货物，当事人王强和平安保险公司签订合同。').text).toBe(
      '当事人王某某、李明店内存放货物，当事人王某某和平安保险公司签订合同。',
    );
    expect(redact('当事人王强与李明有限公司签订合同，当事人王强与黄山旅游公司签订合同。').text).toBe(
      '当事人王某某与李明有限公司签订合同，当事人王某某与黄山旅游公司签订合同。',
    );
    expect(redact('当事人王强与房东签订租赁合同，当事人王强和车主、孙子到场，当事人王强及时改正。').text).toBe(
      '当事人王某某与房东签订租赁合同，当事人王某某和车主、孙子到场，当事人王某某及时改正。',
    );
    // The same places with a listed person: the list stops only where no person follows.
    expect(redact('当事人王强与李平签订租赁合同，证人张伟和李娜、平安保险公司员工到场。').text).toBe(
      '当事人王某某与李某某签订租赁合同，证人张某某和李某某、平安保险公司员工到场。',
    );
  });
});
