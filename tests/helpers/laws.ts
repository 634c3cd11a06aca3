import { type LibraryVersion, parseLibrary, readLibrary } from '../../server/laws/library.js';
import { importVersions } from '../../server/laws/queries.js';
import { createSegmenter } from '../../server/laws/segment.js';
import type { TestApp } from './app.js';

/**
 * Imports part of the shipped law library into a test's database: the files whose path matches `files` (parsing
 * the whole library takes seconds), then, when `titles` is given, only the versions of those laws.
 */
export async function importLaws(
  t: Pick<TestApp, 'db'>,
  files: RegExp,
  pick: { titles?: string[]; versions?: (all: LibraryVersion[]) => LibraryVersion[] } = {},
) {
  let { versions } = parseLibrary((await readLibrary()).filter((f) => files.test(f.path)));
  if (pick.titles) versions = versions.filter((v) => pick.titles?.includes(v.title));
  if (pick.versions) versions = pick.versions(versions);
  return importVersions(t.db, createSegmenter(), versions);
}

/** The latest version of each law: all the suggestion reads (the version in force), and it keeps PGlite quick. */
export function latestOfEach(versions: LibraryVersion[]): LibraryVersion[] {
  const latest = new Map<string, LibraryVersion>();
  for (const v of versions) {
    const seen = latest.get(v.title);
    if (!seen || (seen.parsed.versionDate ?? '') < (v.parsed.versionDate ?? '')) latest.set(v.title, v);
  }
  return [...latest.values()];
}
