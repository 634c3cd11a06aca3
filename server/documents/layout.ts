import {
  AlignmentType,
  type IRunOptions,
  type ISectionPropertiesOptions,
  type IStylesOptions,
  LineRuleType,
} from 'docx';

/**
 * The page and type of 党政机关公文格式 (GB/T 9704-2012): A4, the type area 156 mm × 225 mm with 22 lines of
 * 28 characters of 三号仿宋, titles in 二号小标宋, level-one headings in 黑体, level-two in 楷体, page numbers
 * in 四号宋体 between em dashes. Every document shares these definitions; only the content differs.
 */

const pt = (points: number) => Math.round(points * 20); // twips
// Rounded, not floored as docx's convertMillimetersToTwip does: A4 is then Word's own 11906 × 16838.
const mm = (millimetres: number) => Math.round((millimetres / 25.4) * 1440);
const halfPt = (points: number) => points * 2; // docx run sizes are in half-points

export const BODY_SIZE = 16; // 三号
export const TITLE_SIZE = 22; // 二号
export const TABLE_SIZE = 14; // 四号
export const PAGE_NUMBER_SIZE = 14; // 四号

/** 225 mm ÷ 22 lines: the fixed line pitch of the body text. */
export const LINE_PITCH = pt((225 / 22 / 25.4) * 72);
/** One character of body text (三号, 16 pt): the unit GB/T 9704 measures indents in. */
export const CHAR = pt(BODY_SIZE);

/**
 * Word has no per-run font fallback list and docx writes no alternate names (w:altName) for fonts it does not
 * embed. So the standard's font is named for Latin text and digits, and the same face under the name every
 * Windows since Vista ships (仿宋, 黑体, 楷体) for the Chinese text, where a missing 仿宋_GB2312 would hurt most.
 * LibreOffice falls back to an installed CJK face through fontconfig.
 */
export const FONTS = {
  body: { ascii: '仿宋_GB2312', hAnsi: '仿宋_GB2312', eastAsia: '仿宋', cs: '仿宋_GB2312' },
  title: { ascii: '方正小标宋简体', hAnsi: '方正小标宋简体', eastAsia: '方正小标宋简体', cs: '方正小标宋简体' },
  heading1: { ascii: '黑体', hAnsi: '黑体', eastAsia: '黑体', cs: '黑体' },
  heading2: { ascii: '楷体_GB2312', hAnsi: '楷体_GB2312', eastAsia: '楷体', cs: '楷体_GB2312' },
  pageNumber: { ascii: '宋体', hAnsi: '宋体', eastAsia: '宋体', cs: '宋体' },
} satisfies Record<string, IRunOptions['font']>;

export const STYLE = {
  body: 'FsBody',
  title: 'FsTitle',
  heading1: 'FsHeading1',
  heading2: 'FsHeading2',
  plain: 'FsPlain',
  table: 'FsTable',
  tableHeader: 'FsTableHeader',
  pageNumber: 'FsPageNumber',
} as const;

const exact = (line: number) => ({ line, lineRule: LineRuleType.EXACT });

/** Paragraph styles named in Chinese, so a legal unit that edits the .docx in Word sees what each one is. */
export const STYLES: IStylesOptions = {
  default: {
    document: {
      run: { font: FONTS.body, size: halfPt(BODY_SIZE) },
      paragraph: { spacing: exact(LINE_PITCH) },
    },
  },
  paragraphStyles: [
    {
      id: STYLE.body,
      name: '公文正文',
      basedOn: 'Normal',
      quickFormat: true,
      paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { firstLine: 2 * CHAR }, spacing: exact(LINE_PITCH) },
    },
    {
      id: STYLE.plain,
      name: '公文正文（无缩进）',
      basedOn: STYLE.body,
      quickFormat: true,
      paragraph: { indent: { firstLine: 0 } },
    },
    {
      id: STYLE.title,
      name: '公文标题',
      basedOn: 'Normal',
      quickFormat: true,
      run: { font: FONTS.title, size: halfPt(TITLE_SIZE) },
      paragraph: { alignment: AlignmentType.CENTER, spacing: exact(pt(35)), keepNext: true },
    },
    {
      id: STYLE.heading1,
      name: '公文一级标题（黑体）',
      basedOn: STYLE.body,
      quickFormat: true,
      run: { font: FONTS.heading1 },
      paragraph: { keepNext: true },
    },
    {
      id: STYLE.heading2,
      name: '公文二级标题（楷体）',
      basedOn: STYLE.body,
      quickFormat: true,
      run: { font: FONTS.heading2 },
      paragraph: { keepNext: true },
    },
    {
      id: STYLE.table,
      name: '公文表格',
      basedOn: 'Normal',
      quickFormat: true,
      run: { size: halfPt(TABLE_SIZE) },
      paragraph: { spacing: { line: pt(20), lineRule: LineRuleType.AT_LEAST } },
    },
    {
      id: STYLE.tableHeader,
      name: '公文表头',
      basedOn: STYLE.table,
      quickFormat: true,
      run: { bold: true },
      paragraph: { alignment: AlignmentType.CENTER },
    },
    {
      id: STYLE.pageNumber,
      name: '公文页码',
      basedOn: 'Normal',
      run: { font: FONTS.pageNumber, size: halfPt(PAGE_NUMBER_SIZE) },
      paragraph: { spacing: { line: 240, lineRule: LineRuleType.AUTO } },
    },
  ],
};

/** The width of the type area: 210 − 28 − 26 mm. */
export const TEXT_WIDTH = mm(156);

/** `[right]` lines (signature, date) end four characters before the margin (GB/T 9704 7.3.5.1, 右空四字). */
export const RIGHT_INDENT = 4 * CHAR;
/** Page numbers stand one 四号 character in from the margin: odd pages on the right, even on the left. */
export const PAGE_NUMBER_INDENT = pt(PAGE_NUMBER_SIZE);

export const PAGE: ISectionPropertiesOptions['page'] = {
  size: { width: mm(210), height: mm(297) },
  margin: {
    top: mm(37),
    bottom: mm(35),
    left: mm(28),
    right: mm(26),
    header: mm(15),
    // The page number's dash line sits about 7 mm below the type area.
    footer: mm(24),
  },
};
