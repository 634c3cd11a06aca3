import { readFileSync } from 'node:fs';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { createTemplateEngine, type TemplateEngine } from './engine.js';
import { DOCUMENT_KINDS, type DocumentKind } from './kinds.js';
import * as q from './queries.js';
import { RenderThread } from './render-thread.js';
import { validateTemplate } from './validate.js';

export const STANDARD_TEMPLATES_DIR = new URL('../../templates/', import.meta.url);

export interface TemplateInEffect {
  kind: DocumentKind;
  source: string;
  /** `department`: the department's own upload; `standard`: the file in templates/. */
  origin: 'standard' | 'department';
  updatedAt: Date | null;
  updatedBy: string | null;
}

/**
 * Where a document's template comes from: a department's uploaded override if it has one, else the standard
 * file. Created once per app (it holds the compiled-template cache), never a module singleton.
 */
export interface TemplateSource {
  readonly engine: TemplateEngine;
  /**
   * Renders a template, a department's own included: in a worker thread with a time limit when the source was
   * made with `thread` (the service), so that no template can stall the event loop; else in this thread.
   */
  render(source: string, view: object): Promise<string> | string;
  close(): Promise<void>;
  standard(kind: DocumentKind): string;
  current(db: Kysely<DB> | Transaction<DB>, departmentId: string, kind: DocumentKind): Promise<TemplateInEffect>;
}

/**
 * Reads the standard templates once and validates them: a broken file in templates/ stops the app at startup
 * instead of failing the first review that needs it.
 */
export async function createTemplateSource(
  opts: { dir?: URL; engine?: TemplateEngine; thread?: boolean } = {},
): Promise<TemplateSource> {
  const dir = opts.dir ?? STANDARD_TEMPLATES_DIR;
  const engine = opts.engine ?? createTemplateEngine();
  const thread = opts.thread ? new RenderThread() : null;
  const files = {} as Record<DocumentKind, string>;
  for (const kind of DOCUMENT_KINDS) {
    const source = readFileSync(new URL(`${kind}.hbs`, dir), 'utf8');
    try {
      await validateTemplate(kind, source, engine);
    } catch (err) {
      throw new Error(`templates/${kind}.hbs: ${(err as Error).message}`);
    }
    files[kind] = source;
  }
  return {
    engine,
    render: (source, view) => (thread ? thread.render(source, view) : engine.render(source, view)),
    close: async () => thread?.close(),
    standard: (kind) => files[kind],
    async current(db, departmentId, kind) {
      const row = await q.currentTemplate(db, departmentId, kind);
      if (row?.source) {
        return { kind, source: row.source, origin: 'department', updatedAt: row.created_at, updatedBy: row.created_by };
      }
      return { kind, source: files[kind], origin: 'standard', updatedAt: null, updatedBy: null };
    },
  };
}
