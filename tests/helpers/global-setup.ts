import type { TestProject } from 'vitest/node';
import { ensurePgliteTemplate, ensureTemplate } from './database.js';

/** Each project's migrated template, made once per migrations content: a PostgreSQL database or a PGlite snapshot. */
export default async function setup(project: TestProject): Promise<void> {
  if (project.name.startsWith('pglite')) await ensurePgliteTemplate();
  else await ensureTemplate();
}
