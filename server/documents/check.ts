import type { TSchema } from 'typebox';
import { BUILTIN_BLOCKS, HELPER_NAMES, type TemplateProblem } from './engine.js';

/**
 * Static checks of a template against the variables of its kind. Strict mode only catches a misspelt
 * variable on the branch the sample data takes, and not at all inside {{#if}}; walking the syntax tree
 * catches it on every branch, with its line.
 */

type Schema = TSchema & Record<string, unknown>;
type Node = hbs.AST.Node;

const INLINE_HELPERS = new Set([...HELPER_NAMES, 'if', 'unless', 'lookup']);
const BLOCKS = new Set<string>(BUILTIN_BLOCKS);
const EACH_DATA = new Set(['index', 'first', 'last', 'key']);

/** The schema without its `| null`. */
function nonNull(schema: Schema): Schema {
  if (Array.isArray(schema.anyOf)) {
    const options = (schema.anyOf as Schema[]).filter((s) => s.type !== 'null');
    if (options.length === 1) return nonNull(options[0]);
  }
  return schema;
}

interface Scope {
  frames: Schema[];
  inEach: boolean;
  /** {{#each}} blocks around this point, and blocks of any kind. */
  loops: number;
  blocks: number;
}

/** Loops within loops multiply the output; two levels cover every standard document (points → findings). */
export const MAX_LOOP_NESTING = 2;
export const MAX_BLOCK_NESTING = 8;

class Checker {
  readonly problems: TemplateProblem[] = [];
  constructor(private readonly root: Schema) {}

  private problem(node: Node, message: string, overBudget?: true): void {
    const at = { line: node.loc?.start.line, column: (node.loc?.start.column ?? 0) + 1 };
    this.problems.push({ ...at, message, ...(overBudget && { overBudget }) });
  }

  /** Loops nested too deep, or a loop inside a loop over a list from outside it (@root…, ../…). */
  private budget(node: hbs.AST.BlockStatement, scope: Scope): void {
    if (scope.blocks >= MAX_BLOCK_NESTING) {
      this.problem(node.path, `块嵌套超过 ${MAX_BLOCK_NESTING} 层`, true);
    }
    if (node.path.original !== 'each') return;
    if (scope.loops >= MAX_LOOP_NESTING) {
      this.problem(node.path, `循环嵌套超过 ${MAX_LOOP_NESTING} 层（{{#each}} 套 {{#each}}），输出会成倍增长`, true);
    }
    const target = node.params[0] as hbs.AST.PathExpression | undefined;
    if (scope.loops > 0 && target?.type === 'PathExpression' && (target.data || target.depth > 0)) {
      this.problem(node.path, `不能在循环内再遍历外层的列表 ${target.original}，输出会成倍增长`, true);
    }
  }

  /** The schema a path refers to, or undefined (with a problem recorded) if there is no such variable. */
  resolve(path: hbs.AST.PathExpression, scope: Scope): Schema | undefined {
    let schema: Schema;
    let parts = path.parts;
    if (path.data) {
      if (parts[0] === 'root') {
        schema = this.root;
        parts = parts.slice(1);
      } else if (EACH_DATA.has(parts[0]) && scope.inEach && parts.length === 1) {
        return { type: parts[0] === 'key' ? 'string' : parts[0] === 'index' ? 'integer' : 'boolean' } as Schema;
      } else {
        this.problem(path, `数据变量 ${path.original} 不存在（可用：@index @first @last @key @root）`);
        return undefined;
      }
    } else {
      const frame = scope.frames[scope.frames.length - 1 - path.depth];
      if (!frame) {
        this.problem(path, `${path.original} 超出了外层范围（../ 太多）`);
        return undefined;
      }
      schema = frame;
    }
    for (const part of parts) {
      const current = nonNull(schema);
      const properties = current.properties as Record<string, Schema> | undefined;
      if (current.type === 'object' && properties && Object.hasOwn(properties, part)) {
        schema = properties[part];
      } else if (current.type === 'array' && part === 'length') {
        schema = { type: 'integer' } as Schema;
      } else {
        this.problem(path, `变量 ${path.original} 不存在`);
        return undefined;
      }
    }
    return schema;
  }

  expression(node: hbs.AST.Expression, scope: Scope): Schema | undefined {
    if (node.type === 'PathExpression') return this.resolve(node as hbs.AST.PathExpression, scope);
    if (node.type === 'SubExpression') {
      const sub = node as hbs.AST.SubExpression;
      this.call(sub, sub.path, sub.params, sub.hash, scope);
    }
    return undefined;
  }

  private call(
    node: Node,
    path: hbs.AST.PathExpression,
    params: hbs.AST.Expression[],
    hash: hbs.AST.Hash,
    scope: Scope,
  ) {
    const name = path.original;
    if (!INLINE_HELPERS.has(name)) this.problem(path, `辅助函数 ${name} 不存在（可用：${HELPER_NAMES.join('、')}）`);
    for (const p of params) this.expression(p, scope);
    for (const pair of hash?.pairs ?? []) this.expression(pair.value, scope);
    if (params.length === 0 && INLINE_HELPERS.has(name)) this.problem(node, `辅助函数 ${name} 缺少参数`);
  }

  private mustache(node: hbs.AST.MustacheStatement, scope: Scope): void {
    if (node.path.type !== 'PathExpression') return;
    const path = node.path as hbs.AST.PathExpression;
    const simple = !path.data && path.depth === 0 && path.parts.length === 1;
    if (node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || (simple && INLINE_HELPERS.has(path.original))) {
      this.call(node, path, node.params, node.hash, scope);
    } else {
      this.resolve(path, scope);
    }
  }

  private block(node: hbs.AST.BlockStatement, scope: Scope): void {
    const name = node.path.original;
    if (!BLOCKS.has(name)) {
      this.problem(node.path, `块 {{#${name}}} 不可用（块只能是 {{#if}} {{#unless}} {{#each}} {{#with}}）`);
      return;
    }
    this.budget(node, scope);
    if (node.params.length !== 1) this.problem(node.path, `{{#${name}}} 需要一个参数`);
    if (node.program?.blockParams?.length) this.problem(node.path, '不支持块参数（as |…|），请直接使用字段名');
    const target = node.params[0] ? this.expression(node.params[0], scope) : undefined;
    const nested = { blocks: scope.blocks + 1, loops: scope.loops + (name === 'each' ? 1 : 0) };
    let inner: Scope = { ...scope, ...nested };
    if (target && (name === 'each' || name === 'with')) {
      const t = nonNull(target);
      if (name === 'each' && t.type !== 'array')
        this.problem(node.path, `{{#each}} 需要一个列表，${this.label(node)} 不是列表`);
      const frame = name === 'each' ? ((t.items as Schema | undefined) ?? t) : t;
      inner = { frames: [...scope.frames, frame], inEach: name === 'each' || scope.inEach, ...nested };
    } else if (!target && (name === 'each' || name === 'with')) {
      inner = { frames: [...scope.frames, {} as Schema], inEach: name === 'each' || scope.inEach, ...nested };
    }
    if (node.program) this.program(node.program, inner);
    if (node.inverse) this.program(node.inverse, { ...scope, blocks: scope.blocks + 1 });
  }

  private label(node: hbs.AST.BlockStatement): string {
    const p = node.params[0] as hbs.AST.PathExpression | undefined;
    return p?.original ?? '参数';
  }

  program(program: hbs.AST.Program, scope: Scope): void {
    for (const statement of program.body) {
      switch (statement.type) {
        case 'MustacheStatement':
          this.mustache(statement as hbs.AST.MustacheStatement, scope);
          break;
        case 'BlockStatement':
          this.block(statement as hbs.AST.BlockStatement, scope);
          break;
        case 'PartialStatement':
        case 'PartialBlockStatement':
          this.problem(statement, '不支持局部模板（{{> …}}）');
          break;
        case 'DecoratorBlock':
        case 'Decorator':
          this.problem(statement, '不支持装饰器（{{* …}}）');
          break;
      }
    }
  }
}

/** Every use of an unknown variable, helper or block in a parsed template. */
export function checkTemplateAst(program: hbs.AST.Program, root: TSchema): TemplateProblem[] {
  const checker = new Checker(root as Schema);
  checker.program(program, { frames: [root as Schema], inEach: false, loops: 0, blocks: 0 });
  return checker.problems;
}
