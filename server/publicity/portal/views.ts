import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';
import { createViewEngine } from '../../http/view-engine.js';
import { normaliseCertificateNumber, verificationUrl } from './certificates.js';
import { CATEGORY_LABELS } from './exports.js';

const ROOT = fileURLToPath(new URL('../views/', import.meta.url));

export const STATE_LABELS: Record<string, string> = {
  pending: '待公开',
  due_soon: '即将到期',
  overdue: '已超期',
  published: '已公开',
  withdrawn: '已撤下',
  expired: '期满撤下',
  cancelled: '不予公开',
};

/** The portal's own templates and public layout (no login, no workbench navigation). */
export function createPortalViews() {
  const hbs = createViewEngine();
  hbs.registerHelper({
    publicCategory: (v: unknown) => CATEGORY_LABELS[String(v)] ?? String(v ?? ''),
    stateLabel: (v: unknown) => STATE_LABELS[String(v)] ?? String(v ?? ''),
    // A certificate number linking to its public check; plain text if it is not a number that check accepts.
    certificateLink: (v: unknown) => {
      const text = hbs.escapeExpression(String(v ?? ''));
      const number = normaliseCertificateNumber(String(v ?? ''));
      if (!number) return new hbs.SafeString(text);
      return new hbs.SafeString(`<a href="${hbs.escapeExpression(verificationUrl('', number))}">${text}</a>`);
    },
  });
  hbs.registerPartial('decisionTable', readFileSync(`${ROOT}decision-table.hbs`, 'utf8'));
  const templates = new Map<string, ReturnType<typeof hbs.compile>>();
  for (const file of readdirSync(ROOT).filter((f) => f.startsWith('public-'))) {
    templates.set(file.replace(/\.hbs$/, ''), hbs.compile(readFileSync(`${ROOT}${file}`, 'utf8')));
  }
  const get = (name: string) => {
    const t = templates.get(name);
    if (!t) throw new Error(`portal view ${name} missing`);
    return t;
  };
  return {
    /** A whole public page: the view inside the public layout. */
    page(name: string, data: Record<string, unknown>): string {
      return get('public-layout')({ ...data, body: get(name)(data) });
    },
    /** A whole public page around a body another capability rendered with its own templates. */
    wrap(body: string, data: Record<string, unknown>): string {
      return get('public-layout')({ ...data, body });
    },
    /** A fragment, for the workbench page that shows it inside the workbench's layout. */
    fragment(name: string, data: Record<string, unknown>): string {
      return get(name)(data);
    },
  };
}

export type PortalViews = ReturnType<typeof createPortalViews>;

export function sendPage(reply: FastifyReply, html: string, cache: string) {
  return reply.type('text/html; charset=utf-8').header('cache-control', cache).send(html);
}
