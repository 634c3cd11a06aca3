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
    properties.points = Type.Array(ReviewPointView, { description: '九项审核要点（按法定顺序）' });
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

function withPointNames(data: DocumentDataByKind['review_opinion']) {
  const byKey = new Map(data.points.map((p) => [p.key, p]));
  return {
    ...data,
    points: REVIEW_POINTS.map((point, i) => {
      const given = byKey.get(point.key);
      if (!given) throw new Error(`审核要点 ${point.name} 缺失`);
      return { no: i + 1, name: point.name, ...given };
    }),
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
      if (child.type === 'object') walk(child, `${name}.`);
      if (child.type === 'array') walk(child.items as never, `${name}[].`);
    }
  };
  walk(viewSchema(kind) as never, '');
  return out;
}
