import type { FastifyRequest } from 'fastify';
import { AppError, statusOf } from '../http/errors.js';
import { UUID } from '../http/schemas.js';
import { DomainError } from '../infra/errors.js';
import type { FieldErrors, FieldSpec } from './fields.js';
import { POWER_CATEGORIES, POWER_CATEGORY_LABELS } from './vocabulary.js';

export const ROLES = ['legal_admin'] as const;
export const BASE = '/publicity/profile';
/** The workbench's view engine resolves pages under its own views folder. */
export const VIEW = (name: string) => `../../agency-profile/views/${name}.hbs`;
/** The workbench's stylesheet for tabs, cards and form grids, and a few rules of these pages. */
export const HEAD = `<link rel="stylesheet" href="/assets/stats.css"><style>
.profile-table td.long{max-width:28em;white-space:pre-wrap}
.profile-table td.code{white-space:nowrap;font-family:ui-monospace,monospace}
.profile-form textarea{min-height:6em}
.profile-form .wide{grid-column:1/-1}
.confirm{max-width:640px}
</style>`;

const TABS = [
  { href: BASE, label: '概览' },
  { href: `${BASE}/powers`, label: '职权事项清单' },
  { href: `${BASE}/remedies`, label: '救济途径' },
  { href: `${BASE}/service-guides`, label: '办事指南' },
  { href: `${BASE}/inspection-items`, label: '随机抽查事项清单' },
];

/** The section's own navigation, built from constants only (no user data), so views insert it unescaped. */
export function profileTabs(current: string): string {
  const items = TABS.map(
    (t) => `<li><a href="${t.href}"${t.href === current ? ' aria-current="page"' : ''}>${t.label}</a></li>`,
  ).join('');
  return `<nav class="subnav" aria-label="事前公开"><ul>${items}</ul></nav>`;
}

export type FormBody = Record<string, string | string[] | undefined>;

/** A form body's fields as single strings (a repeated name keeps its first value). */
export function formValues(body: unknown, fields: FieldSpec[]): Record<string, string> {
  const b = (body ?? {}) as FormBody;
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = b[f.key];
    out[f.key] = Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  }
  return out;
}

/** What the form template needs of each field: its input kind, value, error and help. */
export function formFields(fields: FieldSpec[], values: Record<string, unknown>, errors: FieldErrors = {}) {
  return fields.map((f) => {
    const value = values[f.key] === null || values[f.key] === undefined ? '' : String(values[f.key]);
    return {
      ...f,
      id: `f-${f.key}`,
      value,
      error: errors[f.key],
      isText: f.kind === 'text',
      isCategory: f.kind === 'category',
      isOrder: f.kind === 'order',
      wide: f.kind === 'text',
      options:
        f.kind === 'category'
          ? POWER_CATEGORIES.map((c) => ({ value: c, label: POWER_CATEGORY_LABELS[c], selected: c === value }))
          : undefined,
    };
  });
}

/** Field errors of a refused save, or null when the error is not the user's to fix in the form. */
export function formErrors(err: unknown): { status: number; errors: FieldErrors; message: string } | null {
  if (!(err instanceof DomainError) || statusOf(err) >= 500 || statusOf(err) === 403 || statusOf(err) === 404) {
    return null;
  }
  const fields = (err.details as { fields?: FieldErrors } | undefined)?.fields ?? {};
  return { status: statusOf(err), errors: fields, message: err.message };
}

export function itemId(request: FastifyRequest, noun: string): string {
  const { itemId } = request.params as { itemId: string };
  if (!UUID.test(itemId)) throw new AppError(404, 'NOT_FOUND', `${noun}不存在`);
  return itemId;
}

export function shorten(text: string | null | undefined, max = 80): string {
  if (!text) return '';
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

export function flashOf(request: FastifyRequest, noun: string) {
  const q = request.query as Record<string, string | undefined>;
  const texts: Record<string, string> = {
    created: `已新增${noun}。`,
    updated: `已保存${noun}。`,
    deleted: `已删除${noun}。`,
    imported: `已导入 ${Number(q.rows) || 0} 项：新增 ${Number(q.created) || 0} 项，更新 ${Number(q.updated) || 0} 项${
      Number(q.deleted) ? `，删除 ${Number(q.deleted)} 项` : ''
    }。`,
  };
  const text = q.saved ? texts[q.saved] : undefined;
  return text ? { kind: 'ok', text } : undefined;
}
