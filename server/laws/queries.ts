import { sql } from 'kysely';
import type { Database } from '../database/connect.js';
import type { LibraryVersion } from './library.js';
import { articleText, type ParsedArticle } from './parse.js';
import { type Segmenter, shortTitle } from './segment.js';

const BATCH = 400;

export interface ImportResult {
  laws: number;
  versions: number;
  articles: number;
  skipped: number;
}

/** Loads parsed versions; a version already loaded (same law and date) is left alone, so a re-run is a no-op. */
export async function importVersions(
  db: Database,
  seg: Segmenter,
  versions: LibraryVersion[],
  uploadedBy: string | null = null,
): Promise<ImportResult & { versionIds: string[] }> {
  const result = { laws: 0, versions: 0, articles: 0, skipped: 0, versionIds: [] as string[] };
  const laws = new Map(
    (await db.selectFrom('law_laws').select(['id', 'title']).execute()).map((l) => [l.title, l.id] as const),
  );
  const loaded = new Set(
    (
      await db
        .selectFrom('law_versions')
        .select(['law_id', sql<string>`to_char(version_date, 'YYYY-MM-DD')`.as('d')])
        .execute()
    ).map((v) => `${v.law_id}/${v.d}`),
  );
  const fresh = versions.filter((v) => !laws.has(v.title));
  for (let i = 0; i < fresh.length; i += BATCH) {
    const rows = [...new Map(fresh.slice(i, i + BATCH).map((v) => [v.title, v])).values()];
    const inserted = await db
      .insertInto('law_laws')
      .values(
        rows.map((v) => ({
          title: v.title,
          short_title: shortTitle(v.title),
          category: v.category,
          level: v.level,
          title_tokens: seg.join(v.title),
        })),
      )
      .onConflict((oc) => oc.column('title').doNothing())
      .returning(['id', 'title'])
      .execute();
    for (const l of inserted) laws.set(l.title, l.id);
    result.laws += inserted.length;
  }
  for (const v of versions) {
    const lawId = laws.get(v.title)!;
    if (loaded.has(`${lawId}/${v.parsed.versionDate}`)) {
      result.skipped++;
      continue;
    }
    loaded.add(`${lawId}/${v.parsed.versionDate}`);
    await db.transaction().execute(async (trx) => {
      const { id } = await trx
        .insertInto('law_versions')
        .values({
          law_id: lawId,
          version_date: v.parsed.versionDate!,
          effective_on: v.parsed.effectiveDate,
          effective_source: v.parsed.effectiveSource ?? 'assumed',
          events: JSON.stringify(v.parsed.events),
          source_files: v.files,
          source_hash: v.sha256,
          uploaded_by: uploadedBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let i = 0; i < v.articles.length; i += BATCH) {
        await trx
          .insertInto('law_articles')
          .values(v.articles.slice(i, i + BATCH).map((a) => articleRow(id, a, seg)))
          .execute();
      }
      result.versionIds.push(id);
    });
    result.versions++;
    result.articles += v.articles.length;
  }
  return result;
}

export function articleRow(versionId: string, a: ParsedArticle, seg: Segmenter) {
  const text = articleText(a);
  return {
    version_id: versionId,
    number: a.number,
    sub: a.sub,
    label: a.label,
    chapter: a.chapter,
    paragraphs: JSON.stringify(a.paragraphs),
    text,
    tokens: seg.join(text),
  };
}

export async function countLaws(db: Database): Promise<number> {
  const r = await db
    .selectFrom('law_laws')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
