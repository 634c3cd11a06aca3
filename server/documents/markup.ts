/**
 * The document markup that templates render to (described for template authors in templates/README.md).
 * One line is one block: `# 标题`, `## 一级标题`, `### 二级标题`, `| 表格 | 行 |`, `[right]`/`[center]`/`[left]`
 * paragraphs, `[seal]` (a `[right]` line where the department's seal goes), `[pagebreak]`, an empty line, or a
 * plain body paragraph. Inline: `**粗体**` and backslash escapes;
 * `\n` starts a new paragraph in the same place (that is what a line break inside a variable becomes).
 */

export type Align = 'justify' | 'left' | 'center' | 'right';

export interface Run {
  text: string;
  bold: boolean;
}
/** One paragraph's text: runs of plain and bold text. */
export type Inline = Run[];

export interface TableColumn {
  /** Relative width (the number of dashes in the separator row), 1 when the table has none. */
  width: number;
  align: Align;
}

export type Block =
  | { type: 'title'; text: Inline }
  | { type: 'heading'; level: 1 | 2; text: Inline }
  | {
      type: 'paragraph';
      align: Align;
      indent: boolean;
      text: Inline;
      /** The 发文机关署名 line that the department's seal is printed over (`[seal]`), when it has one. */
      seal?: true;
    }
  | { type: 'table'; columns: TableColumn[]; header: boolean; rows: Inline[][][] }
  | { type: 'blank' }
  | { type: 'pagebreak' };

export interface MarkupError {
  /** 1-based line of the rendered markup. */
  line: number;
  message: string;
  /** The offending line as rendered. */
  text: string;
  /** Whether the problem is in the line itself (a bad directive, escape…) rather than between lines (a table). */
  local: boolean;
}

export interface ParsedMarkup {
  blocks: Block[];
  errors: MarkupError[];
}

const ESCAPABLE: Record<string, string> = { '\\': '\\', '|': '|', '*': '*', '[': '[', '#': '#' };
const DIRECTIVE = /^\[([a-z]+)\]/;
const PARAGRAPH_DIRECTIVES: Record<string, { align: Align; indent: boolean; seal?: true }> = {
  right: { align: 'right', indent: false },
  seal: { align: 'right', indent: false, seal: true },
  center: { align: 'center', indent: false },
  left: { align: 'left', indent: false },
};

/** Escapes text so that the markup shows it as it is (used on every value a template receives). */
export function escapeMarkup(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(/[\\|*[#\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

class Problems {
  readonly list: MarkupError[] = [];
  constructor(private readonly lines: string[]) {}
  add(line: number, message: string, local = true): void {
    this.list.push({ line, message, text: this.lines[line - 1] ?? '', local });
  }
}

/** Inline text: escapes and `**bold**`; `\n` splits it into several paragraphs. */
function parseInline(source: string, line: number, problems: Problems): Inline[] {
  const paragraphs: Inline[] = [[]];
  let current = '';
  let bold = false;
  const flush = () => {
    if (current) paragraphs[paragraphs.length - 1].push({ text: current, bold });
    current = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      i++;
      if (next === 'n') {
        flush();
        paragraphs.push([]);
      } else if (next !== undefined && next in ESCAPABLE) {
        current += ESCAPABLE[next];
      } else {
        problems.add(line, `未知的转义 \\${next ?? ''}（可用：\\\\ \\| \\* \\[ \\# \\n）`);
      }
    } else if (c === '*' && source[i + 1] === '*') {
      flush();
      bold = !bold;
      i++;
    } else {
      current += c;
    }
  }
  flush();
  if (bold) problems.add(line, '粗体标记 ** 没有成对出现');
  return paragraphs;
}

/** Splits `| a | b |` into its cells' raw text, honouring `\|`. */
function splitRow(line: string): string[] | undefined {
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      cell += c + line[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += c;
    }
  }
  return cell.trim() === '' ? cells : undefined;
}

const SEPARATOR_CELL = /^(:?)(-+)(:?)$/;

function separatorColumns(cells: string[]): TableColumn[] | undefined {
  const columns: TableColumn[] = [];
  for (const cell of cells) {
    const m = SEPARATOR_CELL.exec(cell);
    if (!m) return undefined;
    columns.push({ width: m[2].length, align: m[1] && m[3] ? 'center' : m[3] ? 'right' : 'left' });
  }
  return columns;
}

interface TableDraft {
  columns?: TableColumn[];
  header: boolean;
  rows: Inline[][][];
  width: number;
  firstLine: number;
}

/** A line's problem: `local` unless it is about how the line fits with others (a table's columns). */
interface LineProblem {
  problem: string;
  local?: boolean;
}

function parseTableLine(draft: TableDraft, line: string, n: number, problems: Problems): LineProblem | undefined {
  const cells = splitRow(line);
  if (!cells) return { problem: '表格行应以 | 结尾' };
  if (draft.width === 0) draft.width = cells.length;
  if (cells.length !== draft.width) {
    const problem = `表格行有 ${cells.length} 列，与第 ${draft.firstLine} 行的 ${draft.width} 列不一致`;
    return { problem, local: false };
  }
  const columns = separatorColumns(cells);
  if (!columns) {
    draft.rows.push(cells.map((cell) => parseInline(cell, n, problems)));
  } else if (draft.columns || draft.rows.length > 1) {
    return { problem: '表格的分隔行（|---|）只能是第一行或第二行', local: false };
  } else {
    draft.columns = columns;
    draft.header = draft.rows.length === 1;
  }
  return undefined;
}

function finishTable(draft: TableDraft, problems: Problems): Block | undefined {
  if (draft.rows.length === 0) {
    problems.add(draft.firstLine, '表格没有内容行', false);
    return undefined;
  }
  const columns = draft.columns ?? Array.from({ length: draft.width }, () => ({ width: 1, align: 'left' as const }));
  return { type: 'table', columns, header: draft.header, rows: draft.rows };
}

function parseHeading(line: string, hashes: number, n: number, problems: Problems): Block[] | LineProblem {
  if (hashes > 3) return { problem: `标题最多三级（#、##、###），此行有 ${hashes} 个 #` };
  if (line[hashes] !== ' ') return { problem: `标题标记 ${'#'.repeat(hashes)} 后应有一个空格` };
  const content = line.slice(hashes + 1).trim();
  if (!content) return { problem: '标题不能为空' };
  return parseInline(content, n, problems).map((text) =>
    hashes === 1 ? { type: 'title', text } : { type: 'heading', level: hashes === 2 ? 1 : 2, text },
  );
}

function parseDirective(name: string, rest: string, n: number, problems: Problems): Block[] | LineProblem {
  if (name === 'pagebreak') return rest ? { problem: '[pagebreak] 应单独占一行' } : [{ type: 'pagebreak' }];
  const style = PARAGRAPH_DIRECTIVES[name];
  if (!style) return { problem: `未知的版式标记 [${name}]（可用：[right] [seal] [center] [left] [pagebreak]）` };
  // A value's line break inside a [seal] line makes more [right] lines; the seal stays on the first.
  const { seal, ...right } = style;
  return parseInline(rest, n, problems).map((text, i) => ({ type: 'paragraph', ...(i === 0 ? style : right), text }));
}

function parseLine(line: string, n: number, problems: Problems): Block[] | LineProblem {
  if (line === '') return [{ type: 'blank' }];
  const hashes = /^#+/.exec(line)?.[0].length ?? 0;
  if (hashes > 0) return parseHeading(line, hashes, n, problems);
  const directive = DIRECTIVE.exec(line);
  if (directive) return parseDirective(directive[1], line.slice(directive[0].length).trim(), n, problems);
  if (line.startsWith('[')) return { problem: '行首的 [ 应为版式标记（如 [right]），要显示 [ 请写 \\[' };
  return parseInline(line, n, problems).map((text) => ({ type: 'paragraph', align: 'justify', indent: true, text }));
}

/** One seal per document: a second `[seal]` line (written twice, or inside `{{#each}}`) is a template error. */
function checkSeals(blocks: Block[], lines: string[], problems: Problems): void {
  if (blocks.filter((b) => b.type === 'paragraph' && b.seal).length <= 1) return;
  const sealLines = lines.flatMap((l, i) => (l.trim().startsWith('[seal]') ? [i + 1] : []));
  problems.add(sealLines[1], '[seal]（印章位置）在文书中只能有一处', false);
}

/** Parses rendered markup into blocks, collecting every problem with its line instead of stopping at the first. */
export function parseMarkup(markup: string): ParsedMarkup {
  const lines = markup.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const problems = new Problems(lines);
  const blocks: Block[] = [];
  let table: TableDraft | undefined;
  const endTable = (draft: TableDraft) => {
    const block = finishTable(draft, problems);
    if (block) blocks.push(block);
  };
  lines.forEach((raw, index) => {
    const n = index + 1;
    const line = raw.trim();
    let result: Block[] | LineProblem | undefined;
    if (line.startsWith('|')) {
      table ??= { header: false, rows: [], width: 0, firstLine: n };
      result = parseTableLine(table, line, n, problems);
    } else {
      if (table) endTable(table);
      table = undefined;
      result = parseLine(line, n, problems);
    }
    if (Array.isArray(result)) blocks.push(...result);
    else if (result) problems.add(n, result.problem, result.local ?? true);
  });
  if (table) endTable(table);
  if (!blocks.some((b) => b.type !== 'blank')) problems.add(1, '文书没有任何内容', false);
  checkSeals(blocks, lines, problems);
  return { blocks, errors: problems.list };
}
