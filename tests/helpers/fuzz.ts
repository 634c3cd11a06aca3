import fc from 'fast-check';
import type { TestApp, TestUser } from './app.js';

/**
 * Requests generated from the service's own OpenAPI document: for every /api operation, values that fit its
 * schemas, and at every node, with some weight, values that do not (wrong types, boundaries, hostile text).
 * fast-check was chosen for the generator combinators, seeds that replay a failure and shrinking to the
 * smallest failing request.
 */

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
};

export interface Operation {
  method: string;
  path: string;
  parameters: { in: string; name: string; required?: boolean; schema: Schema }[];
  body?: { contentType: string; schema?: Schema };
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

const HOSTILE_TEXT = [
  '',
  '\u0000',
  'a\ud800b',
  '\u202e\u0631exe.pdf',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '{{constructor.constructor("return process")()}}',
  '../../../../etc/passwd',
  '%00',
  '2026-02-30',
  '𠀀'.repeat(300),
  'x'.repeat(20_000),
];
const HOSTILE_NUMBERS = [-1, 0, 2 ** 31, 2 ** 53 + 1, -(2 ** 53), 1e308, -1e308, 0.5];

/** Anything at all: what a careless or hostile client might put where a value goes. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...HOSTILE_TEXT, ...HOSTILE_NUMBERS, null, true, false, [], {}),
  fc.constant({ __proto__: { admin: true }, constructor: { prototype: { x: 1 } } }),
  fc.constant(JSON.parse(`${'['.repeat(60)}${']'.repeat(60)}`)),
  fc.string({ maxLength: 40 }),
  fc.integer(),
);

function fitting(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const options = schema.anyOf ?? schema.oneOf;
  if (options?.length) return fc.oneof(...options.map((s) => value(s, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date') return fc.constantFrom('2026-12-05', '2026-01-01', '1999-12-31');
      if (schema.format === 'date-time') return fc.constantFrom('2026-12-05T01:00:00Z', '2026-12-05T09:00:00+08:00');
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 50, min + 50);
      return fc.oneof(
        fc.string({ minLength: min, maxLength: max }),
        fc.constant('测试'.repeat(Math.max(1, Math.ceil(min / 2))).slice(0, Math.max(min, 2))),
        ...(schema.maxLength !== undefined ? [fc.constant('长'.repeat(schema.maxLength + 1))] : []),
      );
    }
    case 'integer':
    case 'number': {
      const lo = schema.minimum ?? -1000;
      const hi = schema.maximum ?? 1_000_000;
      return fc.oneof(fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }), fc.constantFrom(lo, hi, lo - 1, hi + 1));
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(value(schema.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const keys = Object.keys(props);
      return fc
        .tuple(
          fc.record(Object.fromEntries(keys.map((k) => [k, value(props[k], depth + 1)])), {
            requiredKeys: keys.filter((k) => required.has(k) && keys.length < 40),
          }),
          fc.subarray([...required]),
        )
        .map(([obj, dropped]) => {
          const out: Record<string, unknown> = { ...(obj as object) };
          for (const k of dropped.slice(0, 1)) delete out[k];
          return out;
        });
    }
    default:
      return hostile;
  }
}

/** A value for a schema: usually one that fits, sometimes one that does not. */
export function value(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: fitting(schema, depth) }, { weight: 1, arbitrary: hostile });
}

/** The /api operations of the service's OpenAPI document. */
export function operationsOf(t: TestApp): Operation[] {
  const doc = t.app.swagger() as {
    paths: Record<
      string,
      Record<
        string,
        { parameters?: Operation['parameters']; requestBody?: { content: Record<string, { schema?: Schema }> } }
      >
    >;
  };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody?.content;
      const contentType = content ? Object.keys(content)[0] : undefined;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body: contentType ? { contentType, schema: content?.[contentType]?.schema } : undefined,
      });
    }
  }
  return ops;
}

/** Percent-encodes like a browser would, and an unpaired surrogate as the raw bytes a hostile client sends. */
function encodePart(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return `${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
  }
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? '');
}

/** Requests for one operation, as one user (or nobody); `ids` are real ids to put in path parameters. */
export function requests(op: Operation, user: TestUser | null, ids: string[]): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const idArb = ids.length ? fc.oneof(fc.constantFrom(...ids), fc.uuid()) : fc.uuid();
  return fc
    .record({
      path: fc.tuple(
        ...pathParams.map((p) =>
          p.schema.format === 'uuid'
            ? fc.oneof({ weight: 4, arbitrary: idArb }, { weight: 1, arbitrary: hostile })
            : value(p.schema),
        ),
      ),
      query: fc.tuple(...queryParams.map((p) => fc.option(value(p.schema), { nil: undefined }))),
      body: op.body?.schema ? value(op.body.schema) : fc.option(hostile, { nil: undefined }),
    })
    .map(({ path, query, body }) => {
      let url = op.path;
      pathParams.forEach((p, i) => {
        url = url.replace(`{${p.name}}`, encodePart(text(path[i])) || '%20');
      });
      const qs = new URLSearchParams();
      queryParams.forEach((p, i) => {
        if (query[i] !== undefined) qs.set(p.name, text(query[i]));
      });
      const headers: Record<string, string> = user ? { authorization: `Bearer ${user.token}` } : {};
      let payload: string | undefined;
      if (op.body && body !== undefined) {
        headers['content-type'] = op.body.contentType;
        payload = op.body.contentType.includes('json') ? (JSON.stringify(body) ?? 'null') : text(body);
      }
      return { method: op.method, url: qs.size ? `${url}?${qs}` : url, headers, payload };
    });
}
