/**
 * Review opinions per second: the real path (Handlebars template → markup → docx objects → Packer.toBuffer)
 * against the docx library building the same document directly in code, in the same run.
 * Run with `npx tsx bench/documents.ts [seconds per round]`.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import { chineseDate, chineseNumber } from '../server/documents/engine.js';
import { REVIEW_POINTS } from '../server/documents/kinds.js';
import { PAGE, PAGE_NUMBER_INDENT, RIGHT_INDENT, STYLE, STYLES, TEXT_WIDTH } from '../server/documents/layout.js';
import { renderDocx } from '../server/documents/render.js';
import { sampleCommonOf, sampleDataOf } from '../server/documents/samples.js';
import { createTemplateSource } from '../server/documents/template-source.js';

const SECONDS = Number(process.argv[2] ?? 3);
const ROUNDS = 3;

const common = sampleCommonOf('review_opinion');
const data = sampleDataOf('review_opinion');
const templates = await createTemplateSource();
const source = templates.standard('review_opinion');

const viaTemplate = () => renderDocx(templates.engine, 'review_opinion', source, common, data);

// ---- the same document, written by hand against the docx API ----
const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const borders = { top: line, bottom: line, left: line, right: line, insideHorizontal: line, insideVertical: line };
const margins = { top: 60, bottom: 60, left: 100, right: 100 };
const p = (style: string, text: string, extra: Record<string, unknown> = {}) =>
  new Paragraph({ style, children: [new TextRun(text)], ...extra });

function table(widths: number[], rows: string[][], header: boolean, align: (c: number) => string) {
  const total = widths.reduce((a, b) => a + b, 0);
  const cols = widths.map((w) => Math.floor((TEXT_WIDTH * w) / total));
  cols[cols.length - 1] += TEXT_WIDTH - cols.reduce((a, b) => a + b, 0);
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: cols,
    layout: TableLayoutType.FIXED,
    borders,
    rows: rows.map(
      (cells, r) =>
        new TableRow({
          tableHeader: header && r === 0,
          cantSplit: true,
          children: cells.map(
            (text, c) =>
              new TableCell({
                width: { size: cols[c], type: WidthType.DXA },
                verticalAlign: VerticalAlignTable.CENTER,
                margins,
                children: text
                  .split('\n')
                  .map((t) =>
                    header && r === 0
                      ? p(STYLE.tableHeader, t)
                      : new Paragraph({ style: STYLE.table, alignment: align(c) as never, children: [new TextRun(t)] }),
                  ),
              }),
          ),
        }),
    ),
  });
}

const footer = (odd: boolean) =>
  new Footer({
    children: [
      new Paragraph({
        style: STYLE.pageNumber,
        alignment: odd ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: odd ? { right: PAGE_NUMBER_INDENT } : { left: PAGE_NUMBER_INDENT },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'] })],
      }),
    ],
  });

function byHand(): Promise<Buffer> {
  const c = data.case;
  const round = chineseNumber(data.round);
  const right = (text: string) =>
    p(STYLE.plain, text, { alignment: AlignmentType.RIGHT, indent: { right: RIGHT_INDENT } });
  const points = REVIEW_POINTS.map((pt, i) => {
    const given = data.points.find((x) => x.key === pt.key)!;
    return [String(i + 1), pt.name, given.finding, given.note];
  });
  const children = [
    p(STYLE.title, common.department.name),
    p(STYLE.title, '重大执法决定法制审核意见书'),
    p(STYLE.plain, ''),
    p(STYLE.plain, common.number, { alignment: AlignmentType.CENTER }),
    p(STYLE.plain, ''),
    p(STYLE.plain, `${c.handlingUnit}：`, { alignment: AlignmentType.LEFT }),
    p(STYLE.body, `你单位第${round}次报送审核的${c.title}（案件编号：${c.number}）送审材料收悉。经审核，意见如下：`),
    p(STYLE.heading1, '一、案件基本情况'),
    table(
      [8, 25],
      [
        ['案件名称', c.title],
        ['案件编号', c.number],
        ['当事人', c.party],
        ['决定类别', c.category],
        ['承办机构', c.handlingUnit],
        ['审核轮次', `第${round}次审核`],
      ],
      false,
      () => AlignmentType.LEFT,
    ),
    p(STYLE.heading1, '二、审核要点'),
    table([3, 11, 5, 13], [['序号', '审核要点', '审核结果', '说明'], ...points], true, (col) =>
      col === 0 || col === 2 ? AlignmentType.CENTER : AlignmentType.LEFT,
    ),
    p(STYLE.heading1, '三、审核结论'),
    new Paragraph({
      style: STYLE.body,
      children: [new TextRun({ text: data.conclusion, bold: true }), new TextRun('。')],
    }),
    p(STYLE.heading1, '四、理由'),
    ...data.reasons.split('\n').map((t) => p(STYLE.body, t)),
    p(STYLE.heading1, '五、修改或补正建议'),
    p(STYLE.body, data.suggestions ?? '', { keepNext: true }),
    p(STYLE.plain, '', { keepNext: true }),
    right(`审核人：${data.reviewer.name}（${data.reviewer.kind}）`),
    right(common.department.name),
    right(chineseDate(common.issuedOn)),
  ];
  const document = new Document({
    creator: '法审',
    title: `${common.department.name}重大执法决定法制审核意见书`,
    subject: common.number,
    styles: STYLES,
    evenAndOddHeaderAndFooters: true,
    sections: [{ properties: { page: PAGE }, footers: { default: footer(true), even: footer(false) }, children }],
  });
  return Packer.toBuffer(document);
}

async function perSecond(fn: () => Promise<Buffer>): Promise<number> {
  const until = performance.now() + SECONDS * 1000;
  let count = 0;
  const start = performance.now();
  while (performance.now() < until) {
    await fn();
    count++;
  }
  return (count / (performance.now() - start)) * 1000;
}

const [a, b] = [await viaTemplate(), await byHand()];
console.log(`sizes: template ${a.length} bytes, by hand ${b.length} bytes`);
for (let i = 0; i < 20; i++) await Promise.all([viaTemplate(), byHand()]); // warm up the JIT

const template: number[] = [];
const hand: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  template.push(await perSecond(viaTemplate));
  hand.push(await perSecond(byHand));
}
const best = (xs: number[]) => Math.max(...xs);
console.log(
  `template → markup → docx: ${best(template).toFixed(1)} opinions/s (rounds: ${template.map((x) => x.toFixed(0)).join(', ')})`,
);
console.log(
  `docx by hand:             ${best(hand).toFixed(1)} opinions/s (rounds: ${hand.map((x) => x.toFixed(0)).join(', ')})`,
);
console.log(`ratio: ${(best(template) / best(hand)).toFixed(2)} (target ≥ 0.70)`);
