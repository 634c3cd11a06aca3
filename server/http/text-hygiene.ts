import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

/**
 * Text that PostgreSQL refuses (NUL), that JSON and XML cannot carry faithfully (unpaired surrogates, C0
 * controls other than tab and line breaks, U+FFFE/U+FFFF) is refused at the door, naming the field, before
 * any handler runs: it never reaches the database, a document or a process instance (where it used to leave a
 * failed instance behind) and never answers 500.
 */

export interface TextProblem {
  /** Where the text is: `body.facts.summary`, `query.q`, `params.id`. */
  field: string;
  codePoint: string;
  /** 1-based position of the character in the text. */
  position: number;
}

const NAMES: Record<number, string> = { 0: '空字符 NUL' };

/** The first character of `text` that may not be stored, or null. */
export function invalidCharacter(text: string): { codePoint: number; index: number } | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c === 0x09 || c === 0x0a || c === 0x0d) continue;
      return { codePoint: c, index: i };
    }
    if (c < 0xd800) continue;
    if (c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { codePoint: c, index: i };
    }
    if (c <= 0xdfff || c === 0xfffe || c === 0xffff) return { codePoint: c, index: i };
  }
  return null;
}

/** The first bad text anywhere in a parsed value (keys included), depth-first. */
export function findTextProblem(value: unknown, field: string, depth = 0): TextProblem | null {
  if (typeof value === 'string') {
    const bad = invalidCharacter(value);
    return bad
      ? { field, codePoint: `U+${bad.codePoint.toString(16).toUpperCase().padStart(4, '0')}`, position: bad.index + 1 }
      : null;
  }
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  if (Buffer.isBuffer(value) || typeof (value as { pipe?: unknown }).pipe === 'function') return null;
  for (const [key, inner] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${field}[${key}]` : `${field}.${key}`;
    const keyProblem = Array.isArray(value) ? null : findTextProblem(key, `${field} 的字段名`, depth + 1);
    const problem = keyProblem ?? findTextProblem(inner, at, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/** The field's label from the route's schema (`title`), or its path. */
function labelOf(request: FastifyRequest, field: string): string {
  const [part, ...path] = field.split('.');
  const schemas = request.routeOptions.schema as Record<string, unknown> | undefined;
  let schema = schemas?.[part] as { properties?: Record<string, unknown>; title?: string } | undefined;
  for (const key of path) schema = schema?.properties?.[key.replace(/\[\d+\]$/, '')] as typeof schema;
  return schema?.title ?? (part === 'body' && path.length === 0 ? '请求内容' : path.join('.') || part);
}

export function registerTextHygiene(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problem =
      findTextProblem(request.params, 'params') ??
      findTextProblem(request.query, 'query') ??
      findTextProblem(request.body, 'body');
    if (!problem) return;
    const code = Number.parseInt(problem.codePoint.slice(2), 16);
    const what = NAMES[code] ?? (code >= 0xd800 && code <= 0xdfff ? '不成对的代理字符' : '控制字符');
    throw new AppError(
      400,
      'VALIDATION_FAILED',
      `「${labelOf(request, problem.field)}」含有不允许的字符：${what}（${problem.codePoint}，第 ${problem.position} 个字符）`,
      problem,
    );
  });
}
