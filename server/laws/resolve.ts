import type { CitationRef } from './citations.js';
import type { ParsedParagraph } from './parse.js';
import { shortTitle } from './segment.js';

/** What resolving needs of the library, held in memory (the benchmark builds it from the shipped file). */
export interface CatalogueLaw {
  title: string;
  repealedOn: string | null;
  /** Sorted by effectiveOn ascending. */
  versions: { versionDate: string; effectiveOn: string; articles: Map<string, ParsedParagraph[]> }[];
}

export type Catalogue = Map<string, CatalogueLaw>;

export type RefStatus = 'ok' | 'unknown_law' | 'unknown_article' | 'not_in_force';

export function catalogueKey(name: string): string {
  return shortTitle(name);
}

/** The rule the API applies: version in force on `date` (latest effectiveOn <= date, not repealed by then). */
export function resolveRef(catalogue: Catalogue, ref: CitationRef, date: string) {
  const law = catalogue.get(catalogueKey(ref.law));
  if (!law) return { status: 'unknown_law' as RefStatus };
  if (law.repealedOn && law.repealedOn <= date) return { status: 'not_in_force' as RefStatus, law: law.title };
  let version: CatalogueLaw['versions'][number] | undefined;
  for (const v of law.versions) if (v.effectiveOn <= date) version = v;
  if (!version) return { status: 'not_in_force' as RefStatus, law: law.title };
  const p = version.articles.get(`${ref.article}.${ref.sub}`);
  const para = ref.paragraph ? p?.[ref.paragraph - 1] : undefined;
  const missing = !p || (ref.paragraph && !para) || (ref.item && !(para ?? p[0])?.items[ref.item - 1]);
  return {
    status: (missing ? 'unknown_article' : 'ok') as RefStatus,
    law: law.title,
    version: version.versionDate,
  };
}
