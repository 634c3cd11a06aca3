import { AppError } from '../http/errors.js';
import { checkTemplateAst } from './check.js';
import {
  createTemplateEngine,
  type Renderer,
  type TemplateEngine,
  type TemplateProblem,
  templateProblem,
} from './engine.js';
import type { DocumentKind } from './kinds.js';
import { type Block, parseMarkup } from './markup.js';
import { sampleCommonOf, sampleDataSetsOf } from './samples.js';
import { buildView, viewSchema } from './view.js';

export const MAX_TEMPLATE_CHARS = 65_536;

export interface TemplateIssue extends TemplateProblem {
  /** For a markup problem: the line as the sample data rendered it. */
  rendered?: string;
}

const MUSTACHE = /{{[\s\S]*?}}/g;
const BLOCK_TAG = /{{~?\s*([#^/]|else\b)\s*([\w.]*)/g;

/** Comments blanked out (keeping their line breaks) so that tags inside them are not counted. */
function withoutComments(source: string): string {
  return source.replace(/{{!--[\s\S]*?--}}|{{![\s\S]*?}}/g, (c) => c.replace(/[^\n]/g, ' '));
}

/** The block a parse error at the end of the template is about: the last one opened and never closed. */
function unclosedBlock(source: string): TemplateIssue | undefined {
  const stack: { name: string; line: number }[] = [];
  const text = withoutComments(source);
  for (const m of text.matchAll(BLOCK_TAG)) {
    const line = text.slice(0, m.index).split('\n').length;
    if (m[1] === '#' || m[1] === '^') stack.push({ name: m[2], line });
    else if (m[1] === '/') stack.pop();
  }
  const open = stack.pop();
  return open && { line: open.line, message: `块 {{#${open.name}}} 没有结束标记 {{/${open.name}}}` };
}

/** Markup problems a line of the template has on its own, whatever the data (variables read as plain text). */
function sourceLineIssues(source: string): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  withoutComments(source)
    .split('\n')
    .forEach((line, i) => {
      if (/{{~?\s*[#^/>*]|{{~?\s*else\b/.test(line) || /{{(?![\s\S]*}})/.test(line)) return;
      const literal = line.replace(MUSTACHE, '文');
      for (const e of parseMarkup(literal).errors) if (e.local) issues.push({ line: i + 1, message: e.message });
    });
  return issues;
}

/** The template line that most likely produced a rendered line: the one whose literal text it contains most of. */
function sourceLineOf(source: string, rendered: string): number | undefined {
  let best: { line: number; score: number } | undefined;
  source.split('\n').forEach((line, i) => {
    const fragments = line
      .split(MUSTACHE)
      .map((f) => f.trim())
      .filter(Boolean);
    let at = 0;
    let score = 0;
    for (const f of fragments) {
      const found = rendered.indexOf(f, at);
      if (found < 0) return;
      at = found + f.length;
      score += f.length;
    }
    if (score > 0 && (!best || score > best.score)) best = { line: i + 1, score };
  });
  return best?.line;
}

async function templateIssues(
  kind: DocumentKind,
  source: string,
  engine: TemplateEngine,
  renderer: Renderer,
): Promise<{ issues: TemplateIssue[]; blocks?: Block[] }> {
  if (!source.trim()) return { issues: [{ line: 1, message: '模板为空' }] };
  if (source.length > MAX_TEMPLATE_CHARS) {
    return { issues: [{ message: `模板过长（${source.length} 字符，最多 ${MAX_TEMPLATE_CHARS}）` }] };
  }
  let program: hbs.AST.Program;
  try {
    program = engine.parse(source);
  } catch (err) {
    const problem = templateProblem(err);
    const unclosed = /模板结尾/.test(problem.message) ? unclosedBlock(source) : undefined;
    return { issues: [unclosed ?? problem] };
  }
  const issues: TemplateIssue[] = [...checkTemplateAst(program, viewSchema(kind)), ...sourceLineIssues(source)];
  if (issues.length > 0) return { issues };
  // The sample gives the preview's blocks; its variants are rendered only for their problems.
  const parses: ReturnType<typeof parseMarkup>[] = [];
  for (const data of sampleDataSetsOf(kind)) {
    try {
      parses.push(parseMarkup(await renderer.render(source, buildView(kind, sampleCommonOf(kind), data))));
    } catch (err) {
      return { issues: [templateProblem(err)] };
    }
  }
  const parsed = parses[0];
  const seen = new Set<string>();
  for (const e of parses.flatMap((p) => p.errors)) {
    const line = sourceLineOf(source, e.text);
    // A bad line inside {{#each}} renders once per item; report it once.
    const key = `${line ?? e.text}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(
      line
        ? { line, message: e.message, rendered: e.text }
        : { message: `${e.message}（示例数据输出第 ${e.line} 行：${e.text}）`, rendered: e.text },
    );
  }
  return { issues, blocks: parsed.blocks };
}

/**
 * Compiles a template, checks it against its kind's variables, renders it with the kind's sample data and
 * checks the markup. Returns the sample's blocks (for a preview); throws a 400 naming the first problem's line.
 */
export async function validateTemplate(
  kind: DocumentKind,
  source: string,
  engine = createTemplateEngine(),
  renderer: Renderer = engine,
): Promise<Block[]> {
  const { issues, blocks } = await templateIssues(kind, source, engine, renderer);
  if (issues.length > 0 || !blocks) {
    issues.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
    const first = issues.find((i) => i.overBudget) ?? issues[0];
    const where = first.line ? `（第 ${first.line} 行）` : '';
    const details = { kind, problems: issues };
    if (first.overBudget)
      throw new AppError(422, 'TEMPLATE_OVER_BUDGET', `模板过于复杂：${first.message}${where}`, details);
    throw new AppError(400, 'VALIDATION_FAILED', `模板错误：${first.message}${where}`, details);
  }
  return blocks;
}
