import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, csvField, decodeUtf8, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and numbers records by their first line', () => {
    const text = 'a,b\r\n"x, y","say ""hi""\nagain"\n\nlast,\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"\nagain'] },
      { line: 5, fields: ['last', ''] },
    ]);
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(parseCsv('a"b,c')).toEqual([{ line: 1, fields: ['a"b', 'c'] }]);
  });

  it('reports an unclosed quote at the line where it opens', () => {
    expect(() => parseCsv('a\n"b,c\nd')).toThrow(new CsvSyntaxError(2, '第 2 行：引号没有闭合'));
  });

  it('refuses text after a closing quote', () => {
    expect(() => parseCsv('"a"b,c')).toThrow('第 1 行：引号结束后只能是逗号或换行');
  });

  it('round-trips what csvField writes', () => {
    const values = ['plain', 'comma, here', 'quote " here', 'line\nbreak'];
    expect(parseCsv(values.map(csvField).join(','))[0].fields).toEqual(values);
  });
});

describe('decodeUtf8', () => {
  it('drops the byte-order mark and refuses bytes that are not UTF-8', () => {
    expect(decodeUtf8(Buffer.from('\uFEFF编码', 'utf8'))).toBe('编码');
    expect(decodeUtf8(Buffer.from([0xb1, 0xe0, 0xc2, 0xeb]))).toBeNull();
  });
});
