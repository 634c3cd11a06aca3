/**
 * bench/agency-page: server render time of the public agency page (/public/agencies/:id, 事前公开) for an
 * agency with a full profile — 3,000 powers imported through the CSV API, 50 service guides, 100
 * random-inspection items, remedies and a deployed process — and of its paged powers page, through
 * app.inject (routing, queries, Handlebars, layout). The baseline, measured in the same run, is one published decision's page: the same
 * layout around one row. Prints p50/p95 and the ratio of the agency page to the baseline.
 *
 *   npx tsx bench/agency-page.ts [iterations]
 */
import { performance } from 'node:perf_hooks';
import { createTestApp } from '../tests/helpers/app.js';
import { deploy, workflowFile } from '../tests/helpers/flows.js';
import { directDecision } from '../tests/helpers/review.js';

const ITERATIONS = Number(process.argv[2] ?? 200);
const WARMUP = 20;
const POWERS = 3000;
const CATEGORIES = ['行政许可', '行政处罚', '行政强制', '行政征收', '行政检查', '行政确认', '其他行政权力'];

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1];

async function main() {
  const t = await createTestApp();
  try {
    const dept = await t.newDepartment({ name: '基准测试市场监督管理局' });
    const legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
    const officer = await t.newUser({ departmentId: dept.id, roles: ['officer'] });
    await deploy(t, legal, await workflowFile('legal-review.bpmn'));
    const api = (method: 'POST' | 'PUT', url: string, payload: unknown, type?: string) =>
      t.app
        .inject({
          method,
          url,
          headers: { ...t.as(legal), ...(type ? { 'content-type': type } : {}) },
          payload: payload as string,
        })
        .then((res) => {
          if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
        });

    const csv = ['编码,名称,类别,依据,实施主体'];
    for (let i = 1; i <= POWERS; i++) {
      csv.push(
        `QL-${i},对第${i}类违法行为的${CATEGORIES[i % CATEGORIES.length]}事项,${CATEGORIES[i % CATEGORIES.length]},《中华人民共和国行政处罚法》第${(i % 80) + 1}条；《某某条例》第${(i % 50) + 1}条,`,
      );
    }
    await api('POST', `/api/departments/${dept.id}/powers/import?mode=replace`, csv.join('\n'), 'text/csv');
    for (let i = 1; i <= 50; i++) {
      await api('POST', `/api/departments/${dept.id}/service-guides`, {
        title: `第${i}项行政许可办事指南`,
        matter: `申请第${i}项许可的自然人、法人和其他组织`,
        materials: '申请书\n营业执照复印件\n场所证明',
        procedure: '申请—受理—审查—决定—送达',
        timeLimit: '20个工作日',
        fees: '不收费',
        placeHours: '市民中心三楼，工作日9:00-17:00',
        phone: '0515-88888888',
      });
    }
    for (let i = 1; i <= 100; i++) {
      await api('POST', `/api/departments/${dept.id}/inspection-items`, {
        name: `第${i}项随机抽查事项`,
        objects: '辖区内持证经营主体',
        method: '现场检查',
        basis: '《中华人民共和国食品安全法》第一百一十条',
        ratio: '每年不低于5%',
      });
    }
    // The baseline: one published decision's page, the same portal layout around one row.
    const caseId = await directDecision(t, officer, { number: '基准强〔2026〕1号', date: '2026-11-25' });
    const list = (await t.app.inject({ url: '/api/disclosures?limit=10', headers: t.as(legal) })).json();
    const disclosure = list.items.find((d: { caseId: string }) => d.caseId === caseId);
    const full = (await t.app.inject({ url: `/api/disclosures/${disclosure.id}`, headers: t.as(legal) })).json();
    const { partyCode: _code, ...redacted } = full.redacted;
    await api('POST', `/api/disclosures/${disclosure.id}/approve`, { redacted });

    async function measure(url: string) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < WARMUP + ITERATIONS; i++) {
        const start = performance.now();
        const res = await t.app.inject({ url });
        const ms = performance.now() - start;
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
        bytes = res.rawPayload.length;
        if (i >= WARMUP) times.push(ms);
      }
      return { p50: percentile(times, 50), p95: percentile(times, 95), bytes };
    }
    const baseline = await measure(`/public/decisions/${disclosure.id}`);
    const agency = await measure(`/public/agencies/${dept.id}`);
    const powers = await measure(`/public/agencies/${dept.id}/powers?category=penalty&page=3`);
    const search = await measure(`/public/agencies/${dept.id}/powers?q=${encodeURIComponent('第12')}`);
    const fmt = (name: string, m: { p50: number; p95: number; bytes: number }) =>
      `${name.padEnd(44)} p50 ${m.p50.toFixed(1).padStart(6)} ms   p95 ${m.p95.toFixed(1).padStart(6)} ms   ${(m.bytes / 1024).toFixed(0)} KiB`;
    console.log(`${ITERATIONS} requests each after ${WARMUP} warm-up, app.inject`);
    console.log(fmt('baseline: one published decision', baseline));
    console.log(fmt(`agency page: ${POWERS} powers, 50 guides, 100 items`, agency));
    console.log(fmt('powers page: one category, page 3 of 50 rows', powers));
    console.log(fmt('powers page: search by name', search));
    console.log(
      `ratio agency/baseline: p50 ${(agency.p50 / baseline.p50).toFixed(1)}×, p95 ${(agency.p95 / baseline.p95).toFixed(1)}×`,
    );
  } finally {
    await t.close();
  }
}

await main();
