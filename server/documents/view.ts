import { type TSchema, Type } from 'typebox';
import {
  CommonFields,
  DOCUMENT_KINDS,
  type DocumentDataByKind,
  type DocumentKind,
  KINDS,
  REVIEW_POINTS,
  ReviewPointView,
} from './kinds.js';
import { escapeMarkup } from './markup.js';

/**
 * What a template sees: the common fields, the kind's data, and for the review opinion the points in the
 * plan's order with their number and name. Every string is escaped for the markup, so that a party called
 * "#1 | 公司" or a reason with line breaks cannot change the layout.
 */

function composeViewSchema(kind: DocumentKind): TSchema {
  const data = KINDS[kind].schema as TSchema & { properties: Record<string, TSchema> };
  const properties: Record<string, TSchema> = { ...CommonFields.properties, ...data.properties };
  if (kind === 'review_opinion') {
    properties.points = Type.Array(ReviewPointView, { description: '审核要点（按审核时的要点清单顺序）' });
  }
  return Type.Object(properties);
}

const VIEW_SCHEMAS = Object.fromEntries(DOCUMENT_KINDS.map((k) => [k, composeViewSchema(k)])) as Record<
  DocumentKind,
  TSchema
>;

/** The schema of a kind's view: the one list of the variables its template may use. */
export function viewSchema(kind: DocumentKind): TSchema {
  return VIEW_SCHEMAS[kind];
}

function escapeDeep(value: unknown): unknown {
  if (typeof value === 'string') return escapeMarkup(value);
  if (Array.isArray(value)) return value.map(escapeDeep);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDeep(v)]));
  }
  return value;
}

/**
 * The points in the opinion's order: the defaults in 118号's order, a department's own (in the order given) before
 * 其他; each under the name it was answered under, or the default's name when the caller gave none.
 */
function withPointNames(data: DocumentDataByKind['review_opinion']) {
  const defaults: readonly { key: string; name: string }[] = REVIEW_POINTS;
  const ownAt = defaults.findIndex((p) => p.key === 'other');
  const rank = (key: string) => {
    const i = defaults.findIndex((p) => p.key === key);
    return i < 0 ? ownAt - 0.5 : i;
  };
  const ordered = data.points.map((p, at) => ({ p, at })).sort((a, b) => rank(a.p.key) - rank(b.p.key) || a.at - b.at);
  return {
    ...data,
    points: ordered.map(({ p }, i) => ({
      no: i + 1,
      ...p,
      name: p.name?.trim() || defaults.find((d) => d.key === p.key)?.name || p.key,
    })),
  };
}

export function buildView<K extends DocumentKind>(kind: K, common: CommonFields, data: DocumentDataByKind[K]): object {
  const content = kind === 'review_opinion' ? withPointNames(data as DocumentDataByKind['review_opinion']) : data;
  return escapeDeep({ ...common, ...content }) as object;
}

export interface Variable {
  /** As written in a template: `case.party`, `points[].finding` (inside {{#each points}} it is `finding`). */
  name: string;
  type: string;
  description: string;
}

function typeName(schema: TSchema & Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return (schema.enum as string[]).map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as TSchema[]).map((s) => typeName(s as never)).join(' | ');
  if (schema.type === 'array') return 'list';
  if (schema.pattern === '^\\d{4}-\\d{2}-\\d{2}$') return 'date';
  return String(schema.type);
}

/** Every variable of a kind, depth first, for GET /api/templates and the README. */
export function variablesOf(kind: DocumentKind): Variable[] {
  const out: Variable[] = [];
  const walk = (schema: TSchema & Record<string, unknown>, prefix: string) => {
    const properties = schema.properties as Record<string, TSchema & Record<string, unknown>> | undefined;
    for (const [key, child] of Object.entries(properties ?? {})) {
      const name = `${prefix}${key}`;
      out.push({ name, type: typeName(child), description: String(child.description ?? '') });
      // An object or null (e.g. the opinion's objection) lists its fields too.
      const options = Array.isArray(child.anyOf) ? (child.anyOf as (typeof child)[]) : [];
      const objects = options.filter((s) => s.type === 'object');
      if (child.type === 'object') walk(child, `${name}.`);
      else if (objects.length === 1) walk(objects[0], `${name}.`);
      if (child.type === 'array') walk(child.items as never, `${name}[].`);
    }
  };
  walk(viewSchema(kind) as never, '');
  return out;
}
