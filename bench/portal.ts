/**
 * bench/portal: seeds N published decisions (default 1,000,000) into a fresh database and measures the
 * portal's search latency (searchPublished, the function behind GET /api/public/decisions, and the HTTP
 * route through app.inject).
 *
 *   npx tsx bench/portal.ts [--rows 1000000] [--queries 400]
 *
 * Rows are generated with generate_series from a few thousand texts built here with the application's own
 * tokeniser (so the search tokens are exactly what publication writes), combined with per-row decision
 * numbers, agencies, categories and dates. Indexes are built after the load, as a bulk load should.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { type DecisionSearch, searchPublished } from '../server/publicity/portal/search.js';
import { bigramTokens } from '../server/publicity/portal/search-tokens.js';
import { createTestApp } from '../tests/helpers/app.js';
import { numberArg } from './args.js';

const ROWS = numberArg('rows', 1_000_000);
const QUERIES = numberArg('queries', 400);

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = prng(42);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

const PLACES = ['亭湖区', '盐都区', '大丰区', '东台市', '建湖县', '射阳县', '阜宁县', '滨海县', '响水县', '城南新区'];
const TRADES = [
  '贸易',
  '食品',
  '餐饮',
  '建材',
  '化工',
  '物流',
  '医药',
  '机械',
  '纺织',
  '电子',
  '农业',
  '环保',
  '商贸',
  '五金',
  '家具',
];
const NAMES = [
  '恒达',
  '华泰',
  '金源',
  '瑞丰',
  '新世纪',
  '宏远',
  '鑫隆',
  '永盛',
  '天成',
  '佳和',
  '聚福',
  '安泰',
  '博远',
  '利民',
  '康达',
];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡'];
const FACTS = [
  '销售不符合食品安全标准的食品',
  '未取得排污许可证排放大气污染物',
  '未按规定设置安全警示标志',
  '生产销售不合格产品',
  '未经许可擅自从事经营活动',
  '超过核定载质量运输货物',
  '违法占用城市道路堆放物料',
  '未按规定办理建设工程规划许可证',
  '拖欠劳动者工资',
  '虚假宣传误导消费者',
  '销售过期药品',
  '擅自倾倒建筑垃圾',
  '未按规定进行安全生产教育和培训',
  '无证经营危险化学品',
  '价格欺诈',
];
const MEASURES = ['罚款', '没收违法所得', '责令停产停业', '警告', '没收非法财物', '暂扣许可证件', '查封场所设施'];
const LAWS = [
  '《中华人民共和国食品安全法》',
  '《中华人民共和国大气污染防治法》',
  '《中华人民共和国安全生产法》',
  '《中华人民共和国产品质量法》',
  '《中华人民共和国行政许可法》',
  '《城市市容和环境卫生管理条例》',
  '《中华人民共和国广告法》',
  '《中华人民共和国药品管理法》',
];

function party(i: number) {
  if (i % 3 === 0) return { name: `${pick(SURNAMES)}某某`, type: 'person' as const, code: '' };
  const name = `盐城市${pick(PLACES)}${pick(NAMES)}${pick(TRADES)}有限公司`;
  return {
    name,
    type: 'organization' as const,
    code: `91320900MA${Math.floor(rand() * 1e8)
      .toString(36)
      .toUpperCase()
      .padStart(8, '0')}`,
  };
}

function body(i: number) {
  const fact = pick(FACTS);
  const measure = pick(MEASURES);
  const law = pick(LAWS);
  const amount = 1000 * (1 + Math.floor(rand() * 200));
  return {
    title: `${fact}案`,
    facts: `经查，当事人于${2021 + (i % 5)}年在${pick(PLACES)}${fact}，违法所得${amount}元，${pick(FACTS)}的情节${pick(['较轻', '一般', '严重'])}。`,
    legalBasis: `${law}第${1 + Math.floor(rand() * 150)}条`,
    decision: `${measure}${amount}元，并责令改正。`,
  };
}

function percentile(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function main() {
  const t = await createTestApp();
  const db = t.db;
  try {
    const t0 = performance.now();
    const departments: string[] = [];
    for (let i = 0; i < 30; i++) departments.push((await t.newDepartment({ name: `盐城市第${i + 1}执法局` })).id);

    // Texts and parties, tokenised by the application.
    const TEXTS = 3001;
    const PARTIES = 5003;
    await sql`CREATE TEMP TABLE bench_texts (n int PRIMARY KEY, content jsonb, tokens text[])`.execute(db);
    await sql`CREATE TEMP TABLE bench_parties (n int PRIMARY KEY, name text, type text, code text, tokens text[])`.execute(
      db,
    );
    for (let from = 0; from < TEXTS; from += 500) {
      const rows = Array.from({ length: Math.min(500, TEXTS - from) }, (_, k) => {
        const b = body(from + k);
        return {
          n: from + k,
          content: b,
          tokens: bigramTokens([b.title, b.facts, b.legalBasis, b.decision].join('\n')),
        };
      });
      await sql`INSERT INTO bench_texts SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(n int, content jsonb, tokens text[])`.execute(
        db,
      );
    }
    for (let from = 0; from < PARTIES; from += 1000) {
      const rows = Array.from({ length: Math.min(1000, PARTIES - from) }, (_, k) => {
        const p = party(from + k);
        return { n: from + k, name: p.name, type: p.type, code: p.code, tokens: bigramTokens(p.name) };
      });
      await sql`INSERT INTO bench_parties SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(n int, name text, type text, code text, tokens text[])`.execute(
        db,
      );
    }
    await sql`DROP INDEX disclosures_search_idx, disclosures_party_idx, disclosures_public_idx, disclosures_department_idx, disclosures_public_agency_idx, disclosures_public_party_idx`.execute(
      db,
    );
    await sql`ALTER TABLE disclosures DROP CONSTRAINT disclosures_department_id_fkey`.execute(db);
    const depts = sql.raw(`(ARRAY[${departments.map((d) => `'${d}'::uuid`).join(',')}])`);
    const cats = sql.raw(`(ARRAY['licensing','penalty','coercion','levy','inspection'])`);
    // Each decision number is unique: 执法〔year〕n号 → tokens 执法, year, n, 号 (as the tokeniser makes them).
    const chunk = 200_000;
    for (let from = 1; from <= ROWS; from += chunk) {
      const to = Math.min(ROWS, from + chunk - 1);
      await sql`
        INSERT INTO disclosures (department_id, category, decision_number, decision_date, party_type, original, redacted,
          status, due_at, published_at, retention_until, search_text, party_doc, search_doc)
        SELECT ${depts}[1 + g % 30], ${cats}[1 + (g / 7) % 5],
          '执法〔' || (2021 + (g::bigint * 5 / ${ROWS + 1})) || '〕' || g || '号',
          date '2021-01-01' + (g::bigint * 1826 / ${ROWS + 1})::int,
          p.type, c, c, 'published', now(), now(), date '2030-01-01',
          lower(p.name || E'\n' || (tx.content->>'title') || (tx.content->>'facts') || (tx.content->>'legalBasis') || (tx.content->>'decision')),
          array_to_tsvector(p.tokens),
          array_to_tsvector(p.tokens || tx.tokens || ARRAY['执法', (2021 + (g::bigint * 5 / ${ROWS + 1}))::text, g::text, '号'])
        FROM generate_series(${from}::int, ${to}::int) g
        JOIN bench_texts tx ON tx.n = g % ${TEXTS}
        JOIN bench_parties p ON p.n = g % ${PARTIES}
        CROSS JOIN LATERAL (SELECT tx.content || jsonb_build_object('party', p.name, 'partyCode', p.code) AS c) j`.execute(
        db,
      );
      process.stdout.write(`  seeded ${to}\r`);
    }
    const seeded = performance.now();
    await sql`CREATE INDEX disclosures_search_idx ON disclosures USING gin (search_doc)`.execute(db);
    await sql`CREATE INDEX disclosures_party_idx ON disclosures USING gin (party_doc)`.execute(db);
    await sql`CREATE INDEX disclosures_public_idx ON disclosures (decision_date DESC, id) WHERE status = 'published'`.execute(
      db,
    );
    await sql`CREATE INDEX disclosures_department_idx ON disclosures (department_id, status, due_at)`.execute(db);
    await sql`CREATE INDEX disclosures_public_agency_idx ON disclosures (department_id, decision_date DESC, id) WHERE status = 'published'`.execute(
      db,
    );
    await sql`CREATE INDEX disclosures_public_party_idx ON disclosures (party_ref, decision_date DESC, id DESC) WHERE status = 'published'`.execute(
      db,
    );
    await sql`ANALYZE disclosures`.execute(db);
    await sql`ANALYZE publicity_parties`.execute(db);
    const indexed = performance.now();
    console.log(
      `seeded ${ROWS} published decisions in ${((seeded - t0) / 1000).toFixed(1)} s, indexed in ${((indexed - seeded) / 1000).toFixed(1)} s`,
    );

    const kinds: Record<string, () => DecisionSearch> = {
      '常见词 (e.g. 食品安全)': () => ({
        q: pick(['食品安全', '罚款', '安全生产', '违法所得', '责令改正']),
        limit: 20,
        offset: 0,
      }),
      '少见短语 (事实片段)': () => ({ q: pick(FACTS).slice(2, 8), limit: 20, offset: 0 }),
      '文号 (唯一)': () => {
        const n = 1 + Math.floor(rand() * ROWS);
        return { q: `执法〔${2021 + Math.floor((n * 5) / (ROWS + 1))}〕${n}号`, limit: 20, offset: 0 };
      },
      当事人: () => ({ party: `${pick(NAMES)}${pick(TRADES)}`, limit: 20, offset: 0 }),
      '机关+类别+日期+全文': () => ({
        q: pick(['罚款', '许可', '污染']),
        departmentId: pick(departments),
        category: 'penalty',
        from: '2023-01-01',
        to: '2023-12-31',
        limit: 20,
        offset: 0,
      }),
      '机关+日期 (无全文)': () => ({
        departmentId: pick(departments),
        from: '2024-03-01',
        to: '2024-06-30',
        limit: 20,
        offset: 0,
      }),
    };
    if (process.argv.includes('--explain-old')) {
      const tsq = "'合食' & '食品' & '品安' & '安全' & '全标'";
      const plan = await sql<{
        'QUERY PLAN': string;
      }>`EXPLAIN (ANALYZE, BUFFERS) SELECT d.id FROM disclosures d JOIN departments dep ON dep.id = d.department_id WHERE d.status = 'published' AND d.search_doc @@ ${tsq}::tsquery AND strpos(d.search_text, '合食品安全标') > 0 ORDER BY d.decision_date DESC, d.id DESC LIMIT 21`.execute(
        db,
      );
      console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    const all: number[] = [];
    for (const [label, make] of Object.entries(kinds)) {
      for (let i = 0; i < 20; i++) await searchPublished(db, make()); // warm up
      const times: number[] = [];
      for (let i = 0; i < QUERIES; i++) {
        const s = make();
        const a = performance.now();
        await searchPublished(db, s);
        times.push(performance.now() - a);
      }
      all.push(...times);
      console.log(
        `${label.padEnd(24)} p50 ${percentile(times, 50).toFixed(1)} ms  p95 ${percentile(times, 95).toFixed(1)} ms  max ${Math.max(...times).toFixed(1)} ms`,
      );
    }
    console.log(
      `ALL searchPublished      p50 ${percentile(all, 50).toFixed(1)} ms  p95 ${percentile(all, 95).toFixed(1)} ms (n=${all.length})`,
    );

    const http: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const s = pick(Object.values(kinds))();
      const qs = new URLSearchParams();
      if (s.q) qs.set('q', s.q);
      if (s.party) qs.set('party', s.party);
      if (s.departmentId) qs.set('agency', s.departmentId);
      if (s.category) qs.set('category', s.category);
      if (s.from) qs.set('from', s.from);
      if (s.to) qs.set('to', s.to);
      const a = performance.now();
      const res = await t.app.inject({ url: `/api/public/decisions?${qs}` });
      http.push(performance.now() - a);
      if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    }
    console.log(
      `HTTP GET /api/public/decisions p50 ${percentile(http, 50).toFixed(1)} ms  p95 ${percentile(http, 95).toFixed(1)} ms (n=${http.length})`,
    );
  } finally {
    await t.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
