/**
 * bench/suggest: latency of article suggestion (精准推送) over the whole shipped library and of similar cases (同案同罚)
 * over N decided cases (default 100,000), both through app.inject as an officer, each printed as p50/p95 beside a
 * baseline measured in the same run on the same data:
 *  - suggestion: PostgreSQL full text (the library's 'simple' tsvector of the segmented words, an OR of the query's
 *    words, ranked by ts_rank) — what `GET /api/laws?q=` does per article;
 *  - similar cases: a naive scan that reads every decided case of the category and compares articles and facts
 *    (character bigrams) in JavaScript.
 * Also prints how often the suggestion's top 3 holds the article the generated violation cites, and the one-off
 * costs (library import, index build, catching up N decided cases).
 *
 *   npx tsx bench/suggest.ts [--cases 100000] [--queries 200]       (TEST_DB=pglite for the embedded database)
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { importLibrary } from '../server/laws/load.js';
import { createSegmenter } from '../server/laws/segment.js';
import { queryTerms } from '../server/laws/suggest.js';
import { catchUp } from '../server/similar/sync.js';
import { createTestApp } from '../tests/helpers/app.js';
import { BACKEND, ensureTemplate } from '../tests/helpers/database.js';
import { numberArg } from './args.js';
import { type GeneratedCase, generateCase, rng } from './suggest-data.js';

const N = numberArg('cases', 100_000);
const QUERIES = numberArg('queries', 200);
const SKIP_SUGGEST = process.argv.includes('--skip-suggest');
const DEPTS = 30;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
/** CPU time this process spent in the measured calls (excludes the database's): what the machine's load cannot inflate much. */
const cpu: number[] = [];
async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const used = process.cpuUsage();
  const r = await fn();
  const d = process.cpuUsage(used);
  cpu.push((d.user + d.system) / 1000);
  return [r, performance.now() - start];
}
function report(name: string, ours: number[], base: number[]) {
  const [p50, p95, b50, b95] = [pct(ours, 50), pct(ours, 95), pct(base, 50), pct(base, 95)];
  console.log(`${name}: p50 ${ms(p50)}, p95 ${ms(p95)} (target p95 <= 100 ms; ${ours.length} requests)`);
  console.log(
    `  baseline: p50 ${ms(b50)}, p95 ${ms(b95)} (${base.length} runs); p95 ratio ours/baseline ${(p95 / b95).toFixed(3)}`,
  );
}

/** Wall times of the calls, and this process's CPU time in them (p50/p95). */
async function measure(n: number, call: (i: number) => Promise<void>) {
  const walls: number[] = [];
  cpu.length = 0;
  for (let i = 0; i < n; i++) walls.push((await time(() => call(i)))[1]);
  console.log(`  node CPU per request: p50 ${ms(pct(cpu, 50))}, p95 ${ms(pct(cpu, 95))}`);
  return walls;
}

await ensureTemplate();
const t = await createTestApp();
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
// The machine is shared: the load average says how much of a latency is waiting for a core.
console.log(`database: ${BACKEND}; load average ${load()}`);
try {
  const home = await t.newDepartment({ name: '盐城市市场监督管理局' });
  const officer = await t.newUser({ departmentId: home.id, roles: ['officer'] });
  const headers = t.as(officer);

  // ---- article suggestion over the whole library
  if (!SKIP_SUGGEST) await suggestion(headers);

  // ---- similar cases over N decided cases
  const departments = [home.id];
  for (let i = 1; i < DEPTS; i++) departments.push((await t.newDepartment({ name: `盐城市第${i}执法局` })).id);
  const officers = [officer.id];
  for (const d of departments.slice(1)) officers.push((await t.newUser({ departmentId: d, roles: ['officer'] })).id);
  const cr = rng(11);
  const now = Date.now();
  const row = (i: number, g: GeneratedCase, decided: boolean) => {
    const d = decided ? i % DEPTS : 0;
    const packet = {
      caseNumber: `B-${i}`,
      title: `${g.title}案`,
      category: 'penalty',
      party: {
        type: 'organization',
        name: `盐城某某${i}有限公司`,
        idCode: `91320900MA${String(i).padStart(8, '0')}`,
        address: '盐城市',
      },
      factsFound: g.facts,
      evidence: [{ name: '现场检查笔录' }],
      legalBasis: g.violation.basis,
      discretion: { benchmark: '', position: '' },
      proposedDecision: `责令改正，并处罚款${g.fine}元。`,
      hearingHeld: false,
      officerIds: [],
      materials: [],
      attestation: { attestedBy: 'officer', statement: '' },
    };
    const date = new Date(now - Math.floor(cr() * 3 * 365) * 86_400_000).toISOString().slice(0, 10);
    return {
      department_id: departments[d],
      case_number: packet.caseNumber,
      title: packet.title,
      category: 'penalty' as const,
      facts: '{}',
      packet: JSON.stringify(packet),
      review_mandatory: true,
      review_requested: false,
      catalogue_reason: '',
      status: decided ? ('decided' as const) : ('reviewing' as const),
      decision: decided
        ? JSON.stringify({
            number: `决${i}`,
            date,
            content: packet.proposedDecision,
            recordedBy: officers[d],
            recordedAt: `${date}T08:00:00Z`,
          })
        : null,
      submitted_by: officers[d],
      updated_at: decided ? new Date(`${date}T08:00:00Z`) : new Date(),
    };
  };
  const [, insertMs] = await time(async () => {
    for (let i = 0; i < N; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, N - i) }, (_x, k) => row(i + k, generateCase(cr), true));
      await t.db.insertInto('cases').values(rows).execute();
    }
  });
  const [indexed, catchUpMs] = await time(() => catchUp(t.db, createSegmenter()));
  if (BACKEND === 'postgres') await sql`ANALYZE`.execute(t.db);
  console.log(
    `decided cases: ${N} inserted in ${(insertMs / 1000).toFixed(1)} s, ${indexed} indexed in ${(catchUpMs / 1000).toFixed(1)} s`,
  );
  const subjects: string[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const res = await t.db
      .insertInto('cases')
      .values(row(N + i, generateCase(cr), false))
      .returning('id')
      .executeTakeFirstOrThrow();
    subjects.push(res.id);
  }
  let flagged = 0;
  const similar = await measure(subjects.length, async (i) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/cases/${subjects[i]}/similar`, headers });
    if (res.statusCode !== 200) throw new Error(res.body);
    if (res.json().outside) flagged++;
  });
  const naive: number[] = [];
  for (const id of subjects.slice(0, 5)) {
    const [, took] = await time(() => naiveSimilar(id));
    naive.push(took);
  }
  report(`similar cases (GET /api/cases/:id/similar, ${N} decided)`, similar, naive);
  console.log(`  proposals flagged outside their similar cases' range: ${flagged} of ${subjects.length}`);
  console.log(`load average at the end: ${load()}`);
} finally {
  await t.close();
}

/** The baseline: every decided case of the category read and compared in JavaScript (articles, facts bigrams). */
async function naiveSimilar(id: string) {
  const subject = await t.db.selectFrom('cases').select('packet').where('id', '=', id).executeTakeFirstOrThrow();
  const p = subject.packet as unknown as { factsFound: string; legalBasis: { law: string; article: string }[] };
  const bigrams = (s: string) => new Set([...s].map((c, i, a) => c + (a[i + 1] ?? '')));
  const mine = bigrams(p.factsFound);
  const arts = new Set(p.legalBasis.map((b) => b.law + b.article));
  const rows = await t.db
    .selectFrom('cases')
    .select(['id', 'packet'])
    .where('status', '=', 'decided')
    .where('category', '=', 'penalty')
    .execute();
  const scored = rows.map((c) => {
    const q = c.packet as unknown as typeof p;
    const shared = q.legalBasis.filter((b) => arts.has(b.law + b.article)).length;
    const theirs = bigrams(q.factsFound);
    let common = 0;
    for (const b of theirs) if (mine.has(b)) common++;
    return { id: c.id, score: shared * 3 + common / (mine.size + theirs.size - common) };
  });
  return scored.sort((a, b) => b.score - a.score).slice(0, 10);
}

/** Article suggestion over the whole shipped library, against PostgreSQL full text over the same words. */
async function suggestion(headers: { authorization: string }) {
  const [loaded, importMs] = await time(() => importLibrary(t.db));
  console.log(
    `library: ${loaded?.laws} laws, ${loaded?.articles} articles imported in ${(importMs / 1000).toFixed(1)} s`,
  );
  const [, buildMs] = await time(() => t.app.lawSuggest.warm());
  console.log(`suggestion index built in ${(buildMs / 1000).toFixed(1)} s`);
  const r = rng(7);
  const queries: GeneratedCase[] = Array.from({ length: QUERIES }, () => generateCase(r));
  let top3 = 0;
  const ours = await measure(queries.length, async (i) => {
    const q = queries[i];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/laws/suggest',
      headers,
      payload: { facts: q.facts, title: q.title, category: 'penalty' },
    });
    if (res.statusCode !== 200) throw new Error(res.body);
    const want = q.violation.basis[0];
    const items = res.json().items as { lawTitle: string; article: string }[];
    if (items.slice(0, 3).some((x) => `《${x.lawTitle}》` === want.law && x.article === want.article)) top3++;
  });
  const seg = createSegmenter();
  const base: number[] = [];
  for (const q of queries.slice(0, 40)) {
    const words = [...queryTerms(seg, `${q.title}\n${q.facts}`).keys()].map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''));
    const tsq = words.filter(Boolean).join(' | ');
    const [, took] = await time(() =>
      sql`SELECT a.id, ts_rank(to_tsvector('simple', a.tokens), to_tsquery('simple', ${tsq})) AS rank
          FROM law_articles a WHERE to_tsvector('simple', a.tokens) @@ to_tsquery('simple', ${tsq})
          ORDER BY rank DESC LIMIT 10`.execute(t.db),
    );
    base.push(took);
  }
  report('article suggestion (POST /api/laws/suggest)', ours, base);
  console.log(`  top 3 holds the article the violation cites: ${((100 * top3) / queries.length).toFixed(0)} %`);
}
