import { sql } from 'kysely';
import type { Database } from '../database/connect.js';
import { AppError } from '../http/errors.js';
import { type CitationRef, parseCitation } from './citations.js';
import { levelOf } from './library.js';
import { articleText, type ParsedParagraph, parseLawMarkdown } from './parse.js';
import { importVersions } from './queries.js';
import { repealHistory } from './repeal.js';
import { type Catalogue, type CatalogueLaw, catalogueKey, resolveRef } from './resolve.js';
import type { Segmenter } from './segment.js';

const day = (col: string) => sql<string | null>`to_char(${sql.ref(col)}, 'YYYY-MM-DD')`;

/** Laws ranked by title match, then by full-text match of their articles' segmented tokens. */
export async function searchLaws(db: Database, seg: Segmenter, q: string, limit: number, offset: number) {
  const words = [...new Set(seg.tokens(q))].map((w) => w.replace(/[^\p{L}\p{N}]/gu, '')).filter(Boolean);
  if (!words.length) return { total: 0, items: [] };
  const query = words.join(' & ');
  const rows = await sql<{ id: string; title: string; category: string; level: string; rank: number; total: number }>`
    WITH hits AS (
      SELECT v.law_id, max(ts_rank(to_tsvector('simple', a.tokens), to_tsquery('simple', ${query}))) AS rank
      FROM law_articles a JOIN law_versions v ON v.id = a.version_id
      WHERE to_tsvector('simple', a.tokens) @@ to_tsquery('simple', ${query})
      GROUP BY v.law_id
    ), titled AS (
      SELECT id AS law_id, 10.0 AS rank FROM law_laws WHERE to_tsvector('simple', title_tokens) @@ to_tsquery('simple', ${query})
    ), ranked AS (
      SELECT law_id, sum(rank) AS rank FROM (SELECT * FROM hits UNION ALL SELECT * FROM titled) x GROUP BY law_id
    )
    SELECT l.id, l.title, l.category, l.level, r.rank::float8 AS rank, count(*) OVER ()::int AS total
    FROM ranked r JOIN law_laws l ON l.id = r.law_id
    ORDER BY r.rank DESC, l.title LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return { total: rows.rows[0]?.total ?? 0, items: rows.rows.map(({ total: _t, ...r }) => r) };
}

export async function getLaw(db: Database, id: string) {
  const law = await db
    .selectFrom('law_laws')
    .select(['id', 'title', 'short_title', 'category', 'level', day('repealed_on').as('repealedOn')])
    .select('repeal_note as repealNote')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!law) throw new AppError(404, 'NOT_FOUND', '没有这部法律法规');
  const versions = await db
    .selectFrom('law_versions')
    .select(['id', day('version_date').as('versionDate'), day('effective_on').as('effectiveOn')])
    .select(['effective_source as effectiveSource', 'source_files as sourceFiles'])
    .select([day('repealed_on').as('repealedOn'), 'repeal_note as repealNote'])
    .where('law_id', '=', id)
    .orderBy('version_date')
    .execute();
  return { ...law, versions, repeals: await repealHistory(db, id) };
}

/** The version in force on a date: the latest whose effective date is on or before it, unless repealed by then. */
async function versionInForce(db: Database, lawId: string, date: string) {
  return db
    .selectFrom('law_versions as v')
    .innerJoin('law_laws as l', 'l.id', 'v.law_id')
    .select(['v.id', day('v.version_date').as('versionDate'), day('v.effective_on').as('effectiveOn')])
    .select(day('v.repealed_on').as('repealedOn'))
    .where('v.law_id', '=', lawId)
    .where('v.effective_on', '<=', date)
    .where((eb) => eb.or([eb('l.repealed_on', 'is', null), eb('l.repealed_on', '>', date)]))
    .orderBy('v.effective_on', 'desc')
    .limit(1)
    .executeTakeFirst()
    .then((v) => (v?.repealedOn && v.repealedOn <= date ? undefined : v));
}

async function article(db: Database, versionId: string, number: number, sub: number) {
  return db
    .selectFrom('law_articles')
    .select(['id', 'number', 'sub', 'label', 'chapter', 'paragraphs', 'text', 'revision'])
    .where('version_id', '=', versionId)
    .where('number', '=', number)
    .where('sub', '=', sub)
    .executeTakeFirst();
}

const paras = (p: unknown) => (typeof p === 'string' ? JSON.parse(p) : p) as ParsedParagraph[];

export async function articleOnDate(db: Database, lawId: string, number: number, sub: number, date: string) {
  const version = await versionInForce(db, lawId, date);
  if (!version) throw new AppError(404, 'NOT_FOUND', `${date} 没有施行中的版本`);
  const a = await article(db, version.id, number, sub);
  if (!a) throw new AppError(404, 'NOT_FOUND', '该版本没有这一条');
  const history = await db
    .selectFrom('law_article_revisions')
    .select(['revision', 'text', 'note', 'changed_by as changedBy', 'changed_at as changedAt'])
    .where('article_id', '=', a.id)
    .orderBy('revision')
    .execute();
  return {
    ...a,
    paragraphs: paras(a.paragraphs),
    version,
    history: history.map((h) => ({ ...h, changedAt: new Date(h.changedAt).toISOString() })),
  };
}

/** A correction: the replaced text goes to law_article_revisions, the article gets the next revision number. */
export async function correctArticle(
  db: Database,
  seg: Segmenter,
  input: { articleId: string; paragraphs: ParsedParagraph[]; note: string; userId: string },
) {
  return db.transaction().execute(async (trx) => {
    const a = await trx
      .selectFrom('law_articles')
      .selectAll()
      .where('id', '=', input.articleId)
      .forUpdate()
      .executeTakeFirst();
    if (!a) throw new AppError(404, 'NOT_FOUND', '没有这一条');
    await trx
      .insertInto('law_article_revisions')
      .values({
        article_id: a.id,
        revision: a.revision,
        paragraphs: JSON.stringify(paras(a.paragraphs)),
        text: a.text,
        note: input.note,
        changed_by: input.userId,
      })
      .execute();
    const text = articleText(input);
    await trx
      .updateTable('law_articles')
      .set({
        paragraphs: JSON.stringify(input.paragraphs),
        text,
        tokens: seg.join(text),
        revision: a.revision + 1,
      })
      .where('id', '=', a.id)
      .execute();
    return { id: a.id, revision: a.revision + 1, text };
  });
}

/** A new version uploaded in the library's Markdown format; its law is created when the title is new. */
export async function uploadVersion(
  db: Database,
  seg: Segmenter,
  input: { markdown: string; category: string; effectiveOn?: string; userId: string },
) {
  let parsed: ReturnType<typeof parseLawMarkdown>;
  try {
    parsed = parseLawMarkdown(input.markdown);
  } catch (err) {
    throw new AppError(400, 'VALIDATION_FAILED', `无法解析：${(err as Error).message}`);
  }
  if (!parsed.articles.length) throw new AppError(400, 'VALIDATION_FAILED', '无法解析：没有“第N条”段落');
  if (input.effectiveOn) [parsed.effectiveDate, parsed.effectiveSource] = [input.effectiveOn, 'admin'];
  if (!parsed.versionDate) throw new AppError(400, 'VALIDATION_FAILED', '序言中没有通过或修改日期');
  const r = await importVersions(
    db,
    seg,
    [
      {
        title: parsed.title,
        category: input.category,
        level: levelOf(input.category),
        files: [],
        sha256: '',
        parsed,
        articles: parsed.articles,
      },
    ],
    input.userId,
  );
  if (!r.versions) throw new AppError(409, 'CONFLICT', `${parsed.title} 已有 ${parsed.versionDate} 的版本`);
  return { versionId: r.versionIds[0], title: parsed.title, versionDate: parsed.versionDate, articles: r.articles };
}

export type CitationStatus = 'ok' | 'unknown_law' | 'unknown_article' | 'not_in_force' | 'invalid';

/** Checks legal-basis strings; each article reference is one result, in the order of the inputs. */
export async function checkCitations(db: Database, citations: string[], date: string) {
  const parsed = citations.map((input) => ({ input, refs: parseCitation(input) }));
  const refs = parsed.flatMap((p) => p.refs ?? []);
  const catalogue = await loadCatalogue(db, refs);
  return parsed.flatMap(({ input, refs }) => {
    if (!refs) return [{ input, status: 'invalid' as CitationStatus }];
    return refs.map((ref) => {
      const r = resolveRef(catalogue, ref, date);
      const base = { input, law: r.law ?? ref.law, article: ref.article, paragraph: ref.paragraph, item: ref.item };
      const p = r.status === 'ok' ? catalogue.get(catalogueKey(ref.law))?.versions : undefined;
      const paragraphs = p?.find((v) => v.versionDate === r.version)?.articles.get(`${ref.article}.${ref.sub}`);
      return {
        ...base,
        status: r.status as CitationStatus,
        ...(r.reason ? { reason: r.reason } : {}),
        ...(r.repealedOn ? { repealedOn: r.repealedOn } : {}),
        version: r.version,
        text: paragraphs && articleText({ paragraphs }),
      };
    });
  });
}

/** The laws the references name, their versions, and the referenced articles: three queries for any batch. */
async function loadCatalogue(db: Database, refs: CitationRef[]): Promise<Catalogue> {
  const catalogue: Catalogue = new Map();
  const keys = [...new Set(refs.map((r) => catalogueKey(r.law)))];
  if (!keys.length) return catalogue;
  const laws = await db
    .selectFrom('law_laws')
    .select(['id', 'title', 'short_title', 'level', day('repealed_on').as('repealedOn')])
    .where('short_title', 'in', keys)
    // Several laws may share a short title: a law (法律) before lower ranks.
    .orderBy(sql`level = 'law'`, 'asc')
    .execute();
  const byId = new Map<string, CatalogueLaw>();
  for (const l of laws) {
    const entry = { title: l.title, repealedOn: l.repealedOn, versions: [] };
    catalogue.set(l.short_title, entry); // later rows (laws) replace lower ranks
    byId.set(l.id, entry);
  }
  if (!laws.length) return catalogue;
  const versions = await db
    .selectFrom('law_versions')
    .select(['id', 'law_id', day('version_date').as('versionDate'), day('effective_on').as('effectiveOn')])
    .select(day('repealed_on').as('repealedOn'))
    .where(
      'law_id',
      'in',
      laws.map((l) => l.id),
    )
    .where('effective_on', 'is not', null)
    .orderBy('effective_on')
    .execute();
  const byVersion = new Map<string, Map<string, ParsedParagraph[]>>();
  for (const v of versions) {
    const articles = new Map<string, ParsedParagraph[]>();
    byVersion.set(v.id, articles);
    byId.get(v.law_id)!.versions.push({
      versionDate: v.versionDate!,
      effectiveOn: v.effectiveOn!,
      repealedOn: v.repealedOn,
      articles,
    });
  }
  if (!versions.length) return catalogue;
  const rows = await db
    .selectFrom('law_articles')
    .select(['version_id', 'number', 'sub', 'paragraphs'])
    .where(
      'version_id',
      'in',
      versions.map((v) => v.id),
    )
    .where('number', 'in', [...new Set(refs.map((r) => r.article))])
    .execute();
  for (const a of rows) byVersion.get(a.version_id)!.set(`${a.number}.${a.sub}`, paras(a.paragraphs));
  return catalogue;
}
