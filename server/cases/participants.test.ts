import { describe, expect, it } from 'vitest';
import { parseParticipants } from './document-data.js';

describe('the coordination form’s participants (姓名 单位 职务 per line)', () => {
  it('takes the first field as the name, the last as the 职务 and everything between as the unit', () => {
    expect(parseParticipants('张三 执法稽查局 局长\n李四 盐城市 市场监督管理局 法规科 科长')).toEqual([
      { name: '张三', unit: '执法稽查局', role: '局长' },
      { name: '李四', unit: '盐城市 市场监督管理局 法规科', role: '科长' },
    ]);
  });

  it('splits at commas or 、 when the line has them, so a unit with spaces stays whole', () => {
    expect(parseParticipants('王五，盐城市 亭湖区 市场监督管理局，副局长；赵六、法规科、科员')).toEqual([
      { name: '王五', unit: '盐城市 亭湖区 市场监督管理局', role: '副局长' },
      { name: '赵六', unit: '法规科', role: '科员' },
    ]);
  });

  it('reads a name and a unit without a 职务, and a bare name', () => {
    expect(parseParticipants('孙七 执法稽查局\n周八')).toEqual([
      { name: '孙七', unit: '执法稽查局', role: '' },
      { name: '周八', unit: '', role: '' },
    ]);
  });
});
