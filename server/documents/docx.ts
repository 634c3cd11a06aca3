import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
} from 'docx';
import { PAGE, PAGE_NUMBER_INDENT, RIGHT_INDENT, STYLE, STYLES, TEXT_WIDTH } from './layout.js';
import type { Align, Block, Inline, TableColumn } from './markup.js';
import { type SealImage, sealDrawing } from './seal/drawing.js';

const ALIGNMENT = {
  justify: AlignmentType.JUSTIFIED,
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
} as const satisfies Record<Align, unknown>;

const runs = (text: Inline) => text.map((r) => new TextRun({ text: r.text, bold: r.bold || undefined }));

const line = { style: BorderStyle.SINGLE, size: 4, color: '000000' }; // 0.5 pt
const TABLE_BORDERS = {
  top: line,
  bottom: line,
  left: line,
  right: line,
  insideHorizontal: line,
  insideVertical: line,
};
const CELL_MARGINS = { top: 60, bottom: 60, left: 100, right: 100 };

function columnWidths(columns: TableColumn[]): number[] {
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  const widths = columns.map((c) => Math.floor((TEXT_WIDTH * c.width) / total));
  widths[widths.length - 1] += TEXT_WIDTH - widths.reduce((a, b) => a + b, 0);
  return widths;
}

/** A table; with `keepLastRow` its last row keeps with the next paragraph (the signature block below it). */
function table(block: Extract<Block, { type: 'table' }>, keepLastRow = false): Table {
  const widths = columnWidths(block.columns);
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: TABLE_BORDERS,
    rows: block.rows.map((cells, r) => {
      const header = block.header && r === 0;
      const keepNext = keepLastRow && r === block.rows.length - 1 ? true : undefined;
      return new TableRow({
        tableHeader: header,
        cantSplit: true,
        children: cells.map(
          (paragraphs, c) =>
            new TableCell({
              width: { size: widths[c], type: WidthType.DXA },
              verticalAlign: VerticalAlignTable.CENTER,
              margins: CELL_MARGINS,
              children: paragraphs.map(
                (text) =>
                  new Paragraph({
                    keepNext,
                    style: header ? STYLE.tableHeader : STYLE.table,
                    alignment: header ? undefined : ALIGNMENT[block.columns[c].align],
                    children: runs(text),
                  }),
              ),
            }),
        ),
      });
    }),
  });
}

const isRight = (b: Block | undefined) => b?.type === 'paragraph' && b.align === 'right';

/**
 * The blocks that keep with the next one: the lines of a signature block (consecutive `[right]` lines), the blank
 * lines before it, and the last paragraph of text above it (or the last row of a table above it), so that the
 * signature and date never stand alone on a page (GB/T 9704 7.3.5: a page may not hold only the signature and
 * the date).
 */
function keptWithNext(blocks: Block[]): Set<number> {
  const keep = new Set<number>();
  blocks.forEach((block, start) => {
    if (!isRight(block) || isRight(blocks[start - 1])) return;
    let end = start;
    while (isRight(blocks[end + 1])) end++;
    for (let k = start; k < end; k++) keep.add(k);
    let before = start - 1;
    while (blocks[before]?.type === 'blank') keep.add(before--);
    const type = blocks[before]?.type;
    if (type === 'paragraph' || type === 'heading' || type === 'title' || type === 'table') keep.add(before);
  });
  return keep;
}

type ParagraphBlock = Exclude<Block, { type: 'table' | 'pagebreak' }>;

function paragraph(block: ParagraphBlock, pageBreakBefore: boolean, keepNext: boolean, drawing?: ParagraphChild) {
  const common = { pageBreakBefore: pageBreakBefore || undefined, keepNext: keepNext || undefined };
  switch (block.type) {
    case 'title':
      return new Paragraph({ ...common, style: STYLE.title, children: runs(block.text) });
    case 'heading':
      return new Paragraph({
        ...common,
        style: block.level === 1 ? STYLE.heading1 : STYLE.heading2,
        children: runs(block.text),
      });
    case 'blank':
      return new Paragraph({ ...common, style: STYLE.plain });
    case 'paragraph':
      if (block.indent) return new Paragraph({ ...common, style: STYLE.body, children: runs(block.text) });
      return new Paragraph({
        ...common,
        style: STYLE.plain,
        alignment: ALIGNMENT[block.align],
        indent: block.align === 'right' ? { right: RIGHT_INDENT } : undefined,
        children: drawing ? [drawing, ...runs(block.text)] : runs(block.text),
      });
  }
}

/** The seal over the `[seal]` line, centred on it and the date line below it; none without a seal image. */
function sealOf(blocks: Block[], i: number, seal: SealImage | undefined): ParagraphChild | undefined {
  const block = blocks[i];
  if (!seal || block.type !== 'paragraph' || !block.seal) return undefined;
  const next = blocks[i + 1];
  return sealDrawing(
    seal,
    next?.type === 'paragraph' && next.align === 'right' ? [block.text, next.text] : [block.text],
  );
}

function body(blocks: Block[], seal: SealImage | undefined): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  const keep = keptWithNext(blocks);
  let breakPending = false;
  blocks.forEach((block, i) => {
    if (block.type === 'pagebreak') {
      breakPending = true;
    } else if (block.type === 'table') {
      // A table cannot start a page by itself; the break goes in a paragraph of its own.
      if (breakPending) out.push(new Paragraph({ style: STYLE.plain, children: [new PageBreak()] }));
      out.push(table(block, keep.has(i)));
      breakPending = false;
    } else {
      out.push(paragraph(block, breakPending, keep.has(i), sealOf(blocks, i, seal)));
      breakPending = false;
    }
  });
  return out;
}

/** — 1 —, on the right of odd pages and the left of even pages (GB/T 9704 7.5). */
function pageNumberFooter(side: 'odd' | 'even'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        style: STYLE.pageNumber,
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: PAGE_NUMBER_INDENT } : { left: PAGE_NUMBER_INDENT },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'] })],
      }),
    ],
  });
}

export interface DocumentInfo {
  /** The document's title in its properties (File > Properties in Word). */
  title: string;
  subject?: string;
  /** The issuing department's seal, printed at the `[seal]` line; without it that line is a plain `[right]` one. */
  seal?: SealImage;
}

/** Lays out parsed markup as a GB/T 9704 page and packs it into .docx bytes. */
export function blocksToDocx(blocks: Block[], info: DocumentInfo): Promise<Buffer> {
  const document = new Document({
    creator: '法审',
    title: info.title,
    subject: info.subject,
    styles: STYLES,
    evenAndOddHeaderAndFooters: true,
    sections: [
      {
        properties: { page: PAGE },
        footers: { default: pageNumberFooter('odd'), even: pageNumberFooter('even') },
        children: body(blocks, info.seal),
      },
    ],
  });
  return Packer.toBuffer(document);
}

/** The text of the title lines, for the document's properties. */
export function titleOf(blocks: Block[]): string {
  return blocks
    .filter((b): b is Extract<Block, { type: 'title' }> => b.type === 'title')
    .map((b) => b.text.map((r) => r.text).join(''))
    .join('');
}
