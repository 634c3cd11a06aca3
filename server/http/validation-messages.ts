import type { FastifySchemaValidationError } from 'fastify';
import { FIELD_LABELS, VALUE_LABELS } from './field-labels.js';

/** Ajv's error with `verbose: true` (set in app.ts): the failing schema and its parent come along. */
type AjvError = FastifySchemaValidationError & {
  schemaPath: string;
  parentSchema?: Record<string, unknown>;
  /** The value that failed. */
  data?: unknown;
};

export interface FieldProblem {
  in: string;
  path: string;
  field: string;
  keyword: string;
  message: string;
  allowedValues?: unknown[];
}

const WHERE: Record<string, string> = { body: '', querystring: '查询参数', params: '路径参数', headers: '请求头' };

const TYPE_NAMES: Record<string, string> = {
  string: '文本',
  integer: '整数',
  number: '数字',
  boolean: '是或否（true/false）',
  object: '对象',
  array: '列表',
  null: '空值',
};

const FORMAT_NAMES: Record<string, string> = {
  date: '日期（如 2026-12-05）',
  'date-time': '日期时间（如 2026-12-05T09:30:00+08:00）',
  time: '时间',
  uuid: '标识（UUID）',
  email: '电子邮箱地址',
  uri: '网址',
};

const isIndex = (s: string) => /^\d+$/.test(s);
const decode = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** The field's Chinese name: its schema's title, else `parent.child`, a short Chinese description, the name. */
function labelOf(segments: string[], schema?: Record<string, unknown>): string {
  const names = segments.filter((s) => !isIndex(s));
  const name = names.at(-1);
  if (name === undefined) return '请求内容';
  if (typeof schema?.title === 'string') return schema.title;
  const parent = names.at(-2);
  if (parent && FIELD_LABELS[`${parent}.${name}`]) return FIELD_LABELS[`${parent}.${name}`];
  const d = schema?.description;
  if (typeof d === 'string' && /^[\u4e00-\u9fff]{1,16}$/.test(d)) return d;
  return FIELD_LABELS[name] ?? name;
}

/** “证据名称”（第 2 项）: the label and, inside a list, which item. */
function fieldOf(segments: string[], schema?: Record<string, unknown>): string {
  const index = segments.filter(isIndex).at(-1);
  return `“${labelOf(segments, schema)}”${index === undefined ? '' : `（第 ${Number(index) + 1} 项）`}`;
}

function valueName(field: string | undefined, value: unknown, branch?: Record<string, unknown>): string {
  if (typeof branch?.title === 'string') return branch.title;
  return (field && VALUE_LABELS[field]?.[String(value)]) || String(value);
}

/** The allowed values of a union of literals or an enum, or null when the union is of something else. */
function allowedOf(schema: Record<string, unknown> | undefined): { value: unknown; branch?: object }[] | null {
  if (Array.isArray(schema?.enum)) return schema.enum.map((value) => ({ value }));
  const branches = (schema?.anyOf ?? schema?.oneOf) as Record<string, unknown>[] | undefined;
  if (!branches?.every((b) => 'const' in b)) return null;
  return branches.map((b) => ({ value: b.const, branch: b }));
}

function typesOf(schema: Record<string, unknown> | undefined): string[] {
  const branches = (schema?.anyOf ?? schema?.oneOf) as Record<string, unknown>[] | undefined;
  return (branches ?? []).map((b) => TYPE_NAMES[String(b.type)] ?? '').filter(Boolean);
}

function describe(e: AjvError, context: string): FieldProblem {
  const segments = e.instancePath.split('/').slice(1).map(decode);
  const p = e.params as Record<string, unknown>;
  const own = e.parentSchema;
  const base = { in: context, path: e.instancePath, keyword: e.keyword };
  if (e.keyword === 'required' || e.keyword === 'additionalProperties') {
    const name = String(p.missingProperty ?? p.additionalProperty);
    const props = own?.properties as Record<string, Record<string, unknown>> | undefined;
    const field = fieldOf([...segments, name], props?.[name]);
    const message =
      e.keyword === 'required'
        ? `${field}为必填项`
        : `不接受字段“${name}”${segments.length ? `（在${fieldOf(segments)}中）` : ''}`;
    return { ...base, path: `${e.instancePath}/${name}`, field, message };
  }
  const field = fieldOf(segments, own);
  const name = segments.filter((s) => !isIndex(s)).at(-1);
  const say = (message: string, extra: Partial<FieldProblem> = {}) => ({ ...base, field, message, ...extra });
  switch (e.keyword) {
    case 'anyOf':
    case 'oneOf':
    case 'enum':
    case 'const': {
      const allowed = e.keyword === 'const' ? [{ value: p.allowedValue }] : allowedOf(own);
      if (allowed) {
        const names = allowed.map((a) => valueName(name, a.value, a.branch as Record<string, unknown>));
        return say(`${field}须为以下之一：${names.join('、')}`, { allowedValues: allowed.map((a) => a.value) });
      }
      const types = typesOf(own);
      return say(types.length ? `${field}须为${types.join('或')}` : `${field}不符合任何一种允许的格式`);
    }
    case 'type':
      return say(
        `${field}须为${String(p.type)
          .split(',')
          .map((t) => TYPE_NAMES[t] ?? t)
          .join('或')}`,
      );
    case 'minLength':
      return say(Number(p.limit) === 1 ? `${field}不能为空` : `${field}至少 ${p.limit} 个字符`);
    case 'maxLength':
      return say(`${field}不能超过 ${p.limit} 个字符`);
    case 'minimum':
    case 'exclusiveMinimum':
      return say(`${field}不能小于${e.keyword === 'minimum' ? '' : '或等于'} ${p.limit}`);
    case 'maximum':
    case 'exclusiveMaximum':
      return say(`${field}不能大于${e.keyword === 'maximum' ? '' : '或等于'} ${p.limit}`);
    case 'minItems':
      return say(`${field}至少 ${p.limit} 项`);
    case 'maxItems':
      return say(`${field}最多 ${p.limit} 项`);
    case 'uniqueItems':
      return say(`${field}不能有重复项`);
    case 'format':
      return say(`${field}须为有效的${FORMAT_NAMES[String(p.format)] ?? String(p.format)}`);
    case 'pattern':
      return say(`${field}的格式不正确`);
    default:
      return say(`${field}不符合要求`);
  }
}

type Branch = { properties?: Record<string, { const?: unknown }> };

/**
 * A union of objects told apart by one property's constant (e.g. `type`): that property's name, the value the
 * instance gave it, and the index of the branch it names (-1 when it names none). Null for other unions.
 */
function discriminated(e: AjvError): { key: string; value: unknown; index: number } | null {
  const branches = (e.parentSchema?.anyOf ?? e.parentSchema?.oneOf) as Branch[] | undefined;
  const first = branches?.[0]?.properties;
  if (!branches || !first || !e.data || typeof e.data !== 'object') return null;
  const key = Object.keys(first).find((k) => branches.every((b) => b.properties?.[k] && 'const' in b.properties[k]));
  if (key === undefined) return null;
  const value = (e.data as Record<string, unknown>)[key];
  return { key, value, index: branches.findIndex((b) => b.properties?.[key]?.const === value) };
}

/**
 * Ajv's errors for one part of a request as one problem per field, in Chinese. A union reports once per
 * branch and once for itself: the branches' errors are dropped and the union's is said once, with its values.
 * A union of objects told apart by a property (an event's `type`) speaks with the branch the request chose, so
 * the problem names its field; a request that chose none hears which values that property takes.
 */
export function describeValidation(errors: FastifySchemaValidationError[], context = 'body') {
  const all = errors as AjvError[];
  const unionErrors = all.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const chosen = new Map(unionErrors.map((e) => [e, discriminated(e)] as const));
  const hidden = unionErrors.map((e) => {
    const d = chosen.get(e);
    return { prefix: `${e.schemaPath}/`, keep: d && d.index >= 0 ? `${e.schemaPath}/${d.index}/` : null };
  });
  const kept = all.filter((e) => {
    const d = chosen.get(e);
    // A branch was chosen: its own errors speak instead of the union's.
    if (d && d.index >= 0) return false;
    return !hidden.some((h) => e.schemaPath?.startsWith(h.prefix) && !(h.keep && e.schemaPath.startsWith(h.keep)));
  });
  const seen = new Set<string>();
  const problems = kept
    .map((e) => {
      const d = chosen.get(e);
      return d ? describeChoice(e, d, context) : describe(e, context);
    })
    .filter((p) => !seen.has(p.path) && seen.add(p.path));
  const where = WHERE[context] ?? '';
  const message = problems.map((p) => p.message).join('；');
  return { message: where ? `${where}有误：${message}` : message, problems };
}

/** A discriminated union whose property named no branch: that property, with the values it takes. */
function describeChoice(e: AjvError, d: { key: string }, context: string): FieldProblem {
  const segments = [...e.instancePath.split('/').slice(1).map(decode), d.key];
  const branches = (e.parentSchema?.anyOf ?? e.parentSchema?.oneOf) as Record<string, unknown>[];
  const field = fieldOf(segments);
  const allowed = branches.map((b) => (b as Branch).properties?.[d.key]?.const);
  const names = branches.map((b, i) => valueName(d.key, allowed[i], b));
  return {
    in: context,
    path: `${e.instancePath}/${d.key}`,
    keyword: 'discriminator',
    field,
    message: `${field}须为以下之一：${names.map((n, i) => (n === String(allowed[i]) ? n : `${allowed[i]}（${n}）`)).join('、')}`,
    allowedValues: allowed,
  };
}
