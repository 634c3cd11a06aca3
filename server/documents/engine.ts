import Handlebars from 'handlebars';
import { instantToShanghaiDate, tryDayNumber } from '../workdays/days.js';

/**
 * The Handlebars side of documents: one isolated instance per engine (its helpers never leak into another
 * user of Handlebars), templates compiled in strict mode so that a missing variable is an error, and compiled
 * templates cached by their source so that issuing a document does not parse its template again.
 */

const CN_DIGITS = '零一二三四五六七八九';

/** 1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (for headings like 一、二、… and 第二次). */
export function chineseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new Error(`cnNumber 只接受 0–99 的整数，收到 ${n}`);
  if (n < 10) return CN_DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CN_DIGITS[tens]}十${ones ? CN_DIGITS[ones] : ''}`;
}

/** 2026-11-25 → 2026年11月25日, as GB/T 9704 writes dates (Arabic numerals, no leading zeros). */
export function chineseDate(value: unknown): string {
  // A moment is dated in Beijing time: 2026-12-04T17:30Z is 5 December there.
  const text = value instanceof Date ? instantToShanghaiDate(value) : String(value);
  if (tryDayNumber(text) === undefined)
    throw new Error(`cnDate 需要 YYYY-MM-DD 格式的日期，收到 ${JSON.stringify(value)}`);
  const [y, m, d] = text.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** Helpers a template may call. Handlebars passes its options object last; helpers drop it. */
const HELPERS: Record<string, (...args: unknown[]) => unknown> = {
  cnDate: (value) => chineseDate(value),
  cnNumber: (value) => chineseNumber(Number(value)),
  inc: (value) => Number(value) + 1,
  // A sentence quoted inside brackets or a longer sentence drops its own closing punctuation: 「（……八万元）」.
  clause: (value) =>
    value == null
      ? ''
      : String(value)
          .trim()
          .replace(/[。；;，,.\s]+$/u, ''),
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  not: (a) => !a,
  and: (...args) => args.slice(0, -1).every(Boolean),
  or: (...args) => args.slice(0, -1).some(Boolean),
};
export const HELPER_NAMES = Object.keys(HELPERS);
/** Handlebars' own helpers that a template may use. */
export const BUILTIN_BLOCKS = ['if', 'unless', 'each', 'with'] as const;

/**
 * What one render may spend: loop iterations, and time (checked every few iterations). A legal unit's template
 * with loops nested over the same list grows as a power of the list's length; without a budget one preview
 * blocked the service for seconds. Static checks (check.ts) refuse the obvious shapes; this bounds the rest.
 */
export interface RenderBudget {
  iterations: number;
  millis: number;
}
export const RENDER_BUDGET: RenderBudget = { iterations: 20_000, millis: 200 };

/** A render that spent its budget; `line` is the loop that was running. */
export class TemplateBudgetError extends Error {
  constructor(
    readonly line: number | undefined,
    readonly budget: RenderBudget,
  ) {
    super(`模板输出过大：循环超过 ${budget.iterations} 次或渲染超过 ${budget.millis} 毫秒（多为嵌套循环）`);
    this.name = 'TemplateBudgetError';
  }
}

/** Renders a template with a view: the engine itself (in this thread) or a TemplateSource (in its thread). */
export interface Renderer {
  render(source: string, view: object): string | Promise<string>;
}

export interface TemplateEngine {
  /** Renders a template source with a view; throws Handlebars' own errors (see templateProblem). */
  render(source: string, view: object): string;
  /** Parses a template source without rendering it (for the static checks). */
  parse(source: string): hbs.AST.Program;
}

export function createTemplateEngine(opts: { cacheSize?: number; budget?: RenderBudget } = {}): TemplateEngine {
  const hb = Handlebars.create();
  hb.unregisterHelper('log');
  for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, fn);
  const budget = opts.budget ?? RENDER_BUDGET;
  // Rendering is synchronous: the meter of the render in progress is the only one.
  let meter: { left: number; deadline: number } | null = null;
  const builtinEach = hb.helpers.each;
  hb.registerHelper('each', function (this: unknown, context: unknown, options: Handlebars.HelperOptions) {
    const line = (options as { loc?: { start: { line: number } } }).loc?.start.line;
    const fn = options.fn;
    const counted = (item: unknown, o?: Handlebars.RuntimeOptions) => {
      if (meter && (--meter.left < 0 || (meter.left % 64 === 0 && performance.now() > meter.deadline))) {
        throw new TemplateBudgetError(line, budget);
      }
      return fn(item, o);
    };
    return builtinEach.call(this, context, { ...options, fn: counted });
  });
  const limit = opts.cacheSize ?? 64;
  const cache = new Map<string, Handlebars.TemplateDelegate>();
  const compiled = (source: string) => {
    let template = cache.get(source);
    if (!template) {
      // Values are escaped for the markup before rendering (see view.ts); HTML escaping would garble them.
      template = hb.compile(source, { strict: true, noEscape: true });
      if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
      cache.set(source, template);
    }
    return template;
  };
  return {
    render(source, view) {
      const template = compiled(source);
      meter = { left: budget.iterations, deadline: performance.now() + budget.millis };
      try {
        return template(view);
      } finally {
        meter = null;
      }
    },
    parse: (source) => hb.parse(source),
  };
}

export interface TemplateProblem {
  line?: number;
  column?: number;
  message: string;
  /** The template would cost more than a render may spend (statically, or while rendering). */
  overBudget?: boolean;
}

const TOKEN_NAMES: Record<string, string> = { EOF: '模板结尾', CLOSE: '}}', OPEN_ENDBLOCK: '{{/…}}', ID: '变量名' };

/** Turns a Handlebars error into a message for a template author, with the line it happened on. */
export function templateProblem(err: unknown): TemplateProblem {
  if (err instanceof TemplateBudgetError) return { line: err.line, message: err.message, overBudget: true };
  const carried = (err as { problem?: TemplateProblem } | null)?.problem;
  if (err instanceof Error && err.name === 'RenderedTemplateError' && carried) return carried;
  const e = err as Error & { lineNumber?: number; column?: number };
  const message = e?.message ?? String(err);
  const parse = /^Parse error on line (\d+):[\s\S]*got '([A-Z_]+)'/.exec(message);
  if (parse) {
    const got = TOKEN_NAMES[parse[2]] ?? parse[2];
    return { line: Number(parse[1]), message: `语法错误，此处不应出现${got}（可能有未闭合的 {{…}} 或块）` };
  }
  const located = / - (\d+):(\d+)$/.exec(message);
  const line = e.lineNumber ?? (located ? Number(located[1]) : undefined);
  const column = e.column ?? (located ? Number(located[2]) : undefined);
  const text = located ? message.slice(0, located.index) : message;
  const missing = /^"(.+)" not defined in/.exec(text);
  if (missing) return { line, column, message: `变量或辅助函数 ${missing[1]} 不存在` };
  const mismatch = /^(\S+) doesn't match (\S+)$/.exec(text);
  if (mismatch) return { line, column, message: `块 {{#${mismatch[1]}}} 的结束标记写成了 {{/${mismatch[2]}}}` };
  return { line, column, message: text };
}
