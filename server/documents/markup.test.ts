import { describe, expect, it } from 'vitest';
import { escapeMarkup, parseMarkup } from './markup.js';

const plain = (text: string) => [{ text, bold: false }];

describe('the document markup', () => {
  it('reads titles, headings, directives, blank lines and body paragraphs, one per line', () => {
    const { blocks, errors } = parseMarkup(
      [
        '# 标题',
        '## 一、要点',
        '### （一）细目',
        '[center]市监法审〔2026〕1号',
        '',
        '正文',
        '[right]2026年1月1日',
        '[left]致：某单位',
        '[pagebreak]',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(blocks).toEqual([
      { type: 'title', text: plain('标题') },
      { type: 'heading', level: 1, text: plain('一、要点') },
      { type: 'heading', level: 2, text: plain('（一）细目') },
      { type: 'paragraph', align: 'center', indent: false, text: plain('市监法审〔2026〕1号') },
      { type: 'blank' },
      { type: 'paragraph', align: 'justify', indent: true, text: plain('正文') },
      { type: 'paragraph', align: 'right', indent: false, text: plain('2026年1月1日') },
      { type: 'paragraph', align: 'left', indent: false, text: plain('致：某单位') },
      { type: 'pagebreak' },
    ]);
  });

  it('reads **bold** runs inside a line', () => {
    const [block] = parseMarkup('结论：**同意**。').blocks;
    expect(block).toMatchObject({
      text: [
        { text: '结论：', bold: false },
        { text: '同意', bold: true },
        { text: '。', bold: false },
      ],
    });
  });

  it('reads a table, its column widths and alignment from the separator row, and a header row above it', () => {
    const { blocks, errors } = parseMarkup('| 序号 | 要点 |\n|:--:|------|\n| 1 | 主体合法 |\n| 2 | 程序合法 |');
    expect(errors).toEqual([]);
    expect(blocks).toEqual([
      {
        type: 'table',
        header: true,
        columns: [
          { width: 2, align: 'center' },
          { width: 6, align: 'left' },
        ],
        rows: [
          [[plain('序号')], [plain('要点')]],
          [[plain('1')], [plain('主体合法')]],
          [[plain('2')], [plain('程序合法')]],
        ],
      },
    ]);
  });

  it('has no header row when the separator comes first', () => {
    const [table] = parseMarkup('|---|------|\n| 案件名称 | 某案 |').blocks;
    expect(table).toMatchObject({ type: 'table', header: false, rows: [[[plain('案件名称')], [plain('某案')]]] });
  });

  it('shows escaped markup characters as text, and turns \\n into paragraphs in the same place', () => {
    const value = '#1 | **公司** [甲]\n第二段 \\ 完';
    const { blocks, errors } = parseMarkup(`| ${escapeMarkup(value)} |\n${escapeMarkup(value)}`);
    expect(errors).toEqual([]);
    expect(blocks[0]).toMatchObject({ type: 'table', rows: [[[plain('#1 | **公司** [甲]'), plain('第二段 \\ 完')]]] });
    expect(blocks.slice(1)).toEqual([
      { type: 'paragraph', align: 'justify', indent: true, text: plain('#1 | **公司** [甲]') },
      { type: 'paragraph', align: 'justify', indent: true, text: plain('第二段 \\ 完') },
    ]);
  });

  it.each([
    ['[rigth]日期', 1, '未知的版式标记 [rigth]'],
    ['正文\n#标题', 2, '标题标记 # 后应有一个空格'],
    ['#### 四级', 1, '标题最多三级'],
    ['正文\n**未闭合', 2, '粗体标记 ** 没有成对出现'],
    ['| a | b |\n| c |', 2, '表格行有 1 列，与第 1 行的 2 列不一致'],
    ['| a | b', 1, '表格行应以 | 结尾'],
    ['正文 \\x', 1, '未知的转义 \\x'],
    ['[pagebreak] 多余', 1, '[pagebreak] 应单独占一行'],
    ['正文\n[甲]', 2, '行首的 [ 应为版式标记'],
    ['', 1, '文书没有任何内容'],
    ['[seal]某局\n[right]日期\n[seal]某局', 3, '[seal]（印章位置）在文书中只能有一处'],
  ])('reports %j at line %i', (markup, line, message) => {
    const { errors } = parseMarkup(markup);
    expect(errors[0]).toMatchObject({ line });
    expect(errors[0].message).toContain(message);
  });

  it('reads [seal] as a right-aligned line that carries the seal, and keeps the seal on its first paragraph', () => {
    const { blocks, errors } = parseMarkup('[seal]某市\\n司法局\n[right]2026年1月1日');
    expect(errors).toEqual([]);
    expect(blocks).toEqual([
      { type: 'paragraph', align: 'right', indent: false, seal: true, text: plain('某市') },
      { type: 'paragraph', align: 'right', indent: false, text: plain('司法局') },
      { type: 'paragraph', align: 'right', indent: false, text: plain('2026年1月1日') },
    ]);
  });

  it('reports every problem, not only the first', () => {
    expect(parseMarkup('[x]a\n正文\n[y]b').errors.map((e) => e.line)).toEqual([1, 3]);
  });
});
