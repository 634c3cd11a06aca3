import type { Database } from '../database/connect.js';
import { type LibraryParse, parseLibrary, readLibrary } from './library.js';
import { countLaws, type ImportResult, importVersions } from './queries.js';
import { createSegmenter } from './segment.js';

/** `fashen laws import` and the demo loader: loads the shipped library; versions already loaded are skipped. */
export async function importLibrary(
  db: Database,
  opts: { onlyIfEmpty?: boolean; limit?: number } = {},
): Promise<(ImportResult & { failures: LibraryParse['failures']; ms: number }) | null> {
  if (opts.onlyIfEmpty && (await countLaws(db)) > 0) return null;
  const started = performance.now();
  const parse = parseLibrary(await readLibrary());
  const versions = opts.limit ? parse.versions.slice(0, opts.limit) : parse.versions;
  const { versionIds: _ids, ...r } = await importVersions(db, createSegmenter(), versions);
  return { ...r, failures: parse.failures, ms: Math.round(performance.now() - started) };
}
