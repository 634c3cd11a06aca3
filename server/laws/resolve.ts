import type { CitationRef } from './citations.js';
import type { ParsedParagraph } from './parse.js';
import { shortTitle } from './segment.js';

/** What resolving needs of the library, held in memory (the benchmark builds it from the shipped file). */
export interface CatalogueLaw {
  title: string;
  repealedOn: string | null;
  /** Sorted by effectiveOn ascending. */
  versions: {
    versionDate: string;
    effectiveOn: string;
    /** The day this version alone ceased to be in force (marked by an admin); absent or null: not. */
    repealedOn?: string | null;
    articles: Map<string, ParsedParagraph[]>;
  }[];
}

export type Catalogue = Map<string, CatalogueLaw>;

export type RefStatus = 'ok' | 'unknown_law' | 'unknown_article' | 'not_in_force';

/** Why a reference is not in force: its law or version was repealed by then, or no version was yet effective. */
export type NotInForceReason = 'repealed' | 'not_yet_effective';

export function catalogueKey(name: string): string {
  return shortTitle(name);
}

export interface Resolved {
  status: RefStatus;
  law?: string;
  version?: string;
  reason?: NotInForceReason;
  repealedOn?: string;
}

/**
 * The rule the API applies: version in force on `date` (latest effectiveOn <= date), unless the law or that
 * version was repealed by then.
 */
export function resolveRef(catalogue: Catalogue, ref: CitationRef, date: string): Resolved {
  const law = catalogue.get(catalogueKey(ref.law));
  if (!law) return { status: 'unknown_law' as RefStatus };
  const repealed = (on: string) => ({
    status: 'not_in_force' as RefStatus,
    law: law.title,
    reason: 'repealed' as NotInForceReason,
    repealedOn: on,
  });
  if (law.repealedOn && law.repealedOn <= date) return repealed(law.repealedOn);
  let version: CatalogueLaw['versions'][number] | undefined;
  for (const v of law.versions) if (v.effectiveOn <= date) version = v;
  if (!version) {
    return { status: 'not_in_force' as RefStatus, law: law.title, reason: 'not_yet_effective' as NotInForceReason };
  }
  if (version.repealedOn && version.repealedOn <= date)
    return { ...repealed(version.repealedOn), version: version.versionDate };
  const p = version.articles.get(`${ref.article}.${ref.sub}`);
  const para = ref.paragraph ? p?.[ref.paragraph - 1] : undefined;
  const missing = !p || (ref.paragraph && !para) || (ref.item && !(para ?? p[0])?.items[ref.item - 1]);
  return {
    status: (missing ? 'unknown_article' : 'ok') as RefStatus,
    law: law.title,
    version: version.versionDate,
  };
}
