import { readFile } from 'node:fs/promises';
import Handlebars from 'handlebars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../server/cases/tables.js';
import { similarCaseHints } from '../server/similar/hints.js';
import { deviationText, SimilarSearch } from '../server/similar/service.js';
import { catchUp } from '../server/similar/sync.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { importLaws, latestOfEach } from './helpers/laws.js';
import { openPage } from './helpers/pages.js';
import { completeStep, FACTS, openTask, packet } from './helpers/review.js';

let t: TestApp;
let deptA: { id: string };
let deptB: { id: string };
let officerA: TestUser;
let officerB: TestUser;
const LAWS = ['中华人民共和国产品质量法', '中华人民共和国食品安全法', '中华人民共和国行政处罚法'];

beforeAll(async () => {
  t = await createTestApp();
  deptA = await t.newDepartment({ name: '市市场监督管理局' });
  deptB = await t.newDepartment({ name: '某区市场监督管理局' });
  officerA = await t.newUser({ departmentId: deptA.id, roles: ['officer'] });
  officerB = await t.newUser({ departmentId: deptB.id, roles: ['officer'] });
  // The latest version of each law is all the suggestion reads (the version in force), and it keeps PGlite quick.
  const files = new RegExp(LAWS.map((l) => l.replace('中华人民共和国', '')).join('|'));
  await importLaws(t, files, { titles: LAWS, versions: latestOfEach });
});
afterAll(() => t.close());

let seq = 0;
/** A case row as the review leaves it: `decided` with its recorded decision, or still under review. */
async function newCase(
  dept: { id: string },
  by: TestUser,
  p: Record<string, unknown>,
  decided?: { content: string; date: string },
) {
  const pk = packet({ caseNumber: `XS-${++seq}`, ...p }) as unknown as Packet;
  const row = await t.db
    .insertInto('cases')
    .values({
      department_id: dept.id,
      case_number: pk.caseNumber,
      title: pk.title,
      category: pk.category,
      facts: JSON.stringify({}),
      packet: JSON.stringify(pk),
      review_mandatory: true,
      review_requested: false,
      catalogue_reason: '',
      status: decided ? 'decided' : 'reviewing',
      decision: decided
        ? JSON.stringify({ number: `决-${seq}`, ...decided, recordedBy: by.id, recordedAt: new Date().toISOString() })
        : null,
      submitted_by: by.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const api = (user: TestUser, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: t.as(user), payload });

const PRODUCT_FACTS = '经查，当事人在电热水壶中掺杂掺假，以不合格产品冒充合格产品销售，货值金额六万四千元。';

describe('article suggestion (精准推送)', () => {
  it('ranks the article that governs the facts first', async () => {
    const res = await api(officerA, 'POST', '/api/laws/suggest', { facts: PRODUCT_FACTS, category: 'penalty' });
    expect(res.statusCode).toBe(200);
    const [first] = res.json().items;
    expect(first).toMatchObject({ lawTitle: '中华人民共和国产品质量法', article: '第五十条' });
    expect(first.excerpt).toContain('不合格产品冒充合格产品');
    const bad = await api(officerA, 'POST', '/api/laws/suggest', { facts: '', category: 'penalty' });
    expect(bad.statusCode).toBe(400);
  });

  it("moves up the articles the department's powers list cites", async () => {
    const facts = { facts: '当事人经营超过保质期的食品，被责令改正后拒不改正', category: 'penalty' };
    const before = (await api(officerA, 'POST', '/api/laws/suggest', facts)).json().items;
    const food124 = (i: { lawTitle: string; article: string }) =>
      i.lawTitle === '中华人民共和国食品安全法' && i.article === '第一百二十四条';
    expect(before.findIndex(food124)).toBeGreaterThan(0);
    await t.db
      .insertInto('agency_powers')
      .values({
        department_id: deptA.id,
        code: 'XK-0124',
        name: '对经营超过保质期食品的行政处罚',
        category: 'penalty',
        legal_basis: '《中华人民共和国食品安全法》第一百二十四条第一款第（五）项',
      })
      .execute();
    const after = (await api(officerA, 'POST', '/api/laws/suggest', facts)).json().items;
    expect(after[0]).toMatchObject({ lawTitle: '中华人民共和国食品安全法', article: '第一百二十四条' });
    expect(after[0].boosts).toEqual(['职权事项清单引用本条']);
    // Another department's list does not move it.
    const other = (await api(officerB, 'POST', '/api/laws/suggest', facts)).json().items;
    expect(other.findIndex(food124)).toBe(before.findIndex(food124));
  });

  it('offers the panel in the submit form', async () => {
    const { page } = await openPage(t, officerA, '/cases/new');
    expect(page.body).toContain('id="law-suggest" data-suggest-url="/api/laws/suggest"');
    expect(page.body).toContain('<script src="/assets/law-suggest.js" defer></script>');
    const js = await t.app.inject({ url: '/assets/law-suggest.js' });
    expect(js.statusCode).toBe(200);
  });

  it('suggests for a case the caller may see', async () => {
    const id = await newCase(deptA, officerA, { factsFound: PRODUCT_FACTS });
    const res = await api(officerA, 'GET', `/api/laws/suggest?caseId=${id}&limit=3`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(3);
    expect(res.json().items[0].article).toBe('第五十条');
    expect((await api(officerB, 'GET', `/api/laws/suggest?caseId=${id}`)).statusCode).toBe(404);
  });
});

describe('similar cases (同案同罚)', () => {
  const PRODUCT = [{ law: '《中华人民共和国产品质量法》', article: '第五十条' }];
  const FOOD = [{ law: '《中华人民共和国食品安全法》', article: '第一百二十四条' }];
  const company = (name: string, idCode: string) => ({
    party: { type: 'organization', name, idCode, address: '盐城市' },
  });
  let subject: string;
  let near: string;
  let sameArticle: string;
  let otherDept: string;

  beforeAll(async () => {
    const decided = (content: string, date: string) => ({ content, date });
    near = await newCase(
      deptA,
      officerA,
      { ...company('甲电器有限公司', '91320900MA1AAAAA1A'), factsFound: PRODUCT_FACTS, legalBasis: PRODUCT },
      decided('没收不合格产品，并处罚款三万元。', '2026-06-01'),
    );
    sameArticle = await newCase(
      deptA,
      officerA,
      {
        ...company('乙灯具有限公司', '91320900MA1BBBBB2B'),
        factsFound: '经查，当事人以次充好销售台灯，货值金额一万元。',
        legalBasis: PRODUCT,
      },
      decided('没收违法销售的产品，并处罚款5000元。', '2026-05-01'),
    );
    otherDept = await newCase(
      deptB,
      officerB,
      {
        ...company('丙五金经营部', '91320900MA1CCCCC3C'),
        factsFound: '经查，当事人在插座中掺杂掺假，以不合格产品冒充合格产品销售，货值金额二万元。',
        legalBasis: PRODUCT,
      },
      decided('并处罚款2万元。', '2026-04-01'),
    );
    // Not similar: another violation; the same violation in another category; not decided yet.
    await newCase(
      deptA,
      officerA,
      { factsFound: '当事人经营超过保质期的食品。', legalBasis: FOOD },
      decided('罚款五万元。', '2026-03-01'),
    );
    await newCase(
      deptA,
      officerA,
      { category: 'coercion', factsFound: PRODUCT_FACTS, legalBasis: PRODUCT },
      decided('查封。', '2026-03-01'),
    );
    await newCase(deptA, officerA, { factsFound: PRODUCT_FACTS, legalBasis: PRODUCT });
    subject = await newCase(deptA, officerA, {
      factsFound: PRODUCT_FACTS,
      legalBasis: PRODUCT,
      proposedDecision: '没收不合格产品，并处罚款六万四千元。',
    });
  });

  it('lists the decided cases of the city that share the articles and the facts, the closest first', async () => {
    const res = await api(officerA, 'GET', `/api/cases/${subject}/similar`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((i: { caseId: string }) => i.caseId)).toEqual([near, otherDept, sameArticle]);
    expect(body.items[0]).toMatchObject({
      agency: '市市场监督管理局',
      decidedOn: '2026-06-01',
      articles: ['《中华人民共和国产品质量法》第五十条'],
      penalty: 30000,
      href: `/cases/${near}`,
    });
    expect(body.items[1]).toMatchObject({ agency: '某区市场监督管理局', penalty: 20000 });
  });

  it("masks the party of another department's case", async () => {
    const items = (await api(officerA, 'GET', `/api/cases/${subject}/similar`)).json().items;
    const own = items.find((i: { caseId: string }) => i.caseId === near);
    const other = items.find((i: { caseId: string }) => i.caseId === otherDept);
    expect(own.party).toEqual({ name: '甲电器有限公司', idCode: '91320900MA1AAAAA1A', masked: false });
    expect(other.party).toEqual({ name: '丙*****', idCode: '913209********CC3C', masked: true });
    expect(JSON.stringify(other)).not.toContain('丙五金经营部');
    expect((await api(officerB, 'GET', `/api/cases/${subject}/similar`)).statusCode).toBe(404);
  });

  it('flags a proposal outside the range of its similar cases, and a hint says so', async () => {
    const body = (await api(officerA, 'GET', `/api/cases/${subject}/similar`)).json();
    expect(body).toMatchObject({ proposal: 64000, range: { min: 5000, max: 30000, cases: 3 }, outside: 'above' });
    const row = await t.db.selectFrom('cases').selectAll().where('id', '=', subject).executeTakeFirstOrThrow();
    const hints = await similarCaseHints(t.app.similar)(t.db, { ...row, packet: row.packet as Packet });
    expect(hints).toHaveLength(1);
    expect(hints[0]).toMatchObject({ kind: 'similar_deviation', point: 'discretion', key: 'similar:above:64000' });
    expect(hints[0].detail).toContain('30,000元');
    expect(hints[0].detail).not.toContain('甲电器有限公司');

    const inside = await newCase(deptA, officerA, {
      factsFound: PRODUCT_FACTS,
      legalBasis: PRODUCT,
      proposedDecision: '并处罚款二万五千元。',
    });
    const within = (await api(officerA, 'GET', `/api/cases/${inside}/similar`)).json();
    expect(within).toMatchObject({ proposal: 25000, outside: null });
  });

  it('runs one search for the searches of a case made at the same time, each masked for its own viewer', async () => {
    // Counts the statements a SimilarSearch sends (its own database handle, the app's with a counting plugin).
    let statements = 0;
    const counting = t.db.withPlugin({
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const row = await t.db.selectFrom('cases').selectAll().where('id', '=', subject).executeTakeFirstOrThrow();
    const input = { ...row, packet: row.packet as Packet };
    const similar = new SimilarSearch(counting, t.app.segmenter);
    const alone = await similar.search(input, deptA.id);
    const once = statements;
    expect(once).toBeGreaterThan(2);
    statements = 0;
    const [own, masked] = await Promise.all([similar.search(input, deptA.id), similar.search(input, null)]);
    expect(statements).toBe(once);
    expect(own).toEqual(alone);
    expect(masked.items.map((i) => i.caseId)).toEqual(alone.items.map((i) => i.caseId));
    expect(masked.items.every((i) => i.party.masked)).toBe(true);
    // Nothing is kept once a search has answered: the next one reads again.
    statements = 0;
    await similar.search(input, deptA.id);
    expect(statements).toBe(once);
  });

  it("shows them on the case page, with the deviation and another department's party masked", async () => {
    const { page } = await openPage(t, officerA, `/cases/${subject}`);
    expect(page.statusCode).toBe(200);
    const section = page.body.slice(page.body.indexOf('id="similar"'));
    expect(section).toContain('相似案件（同案同罚）');
    expect(section).toContain(`<a href="/cases/${near}">XS-`);
    expect(section).toContain('丙*****');
    expect(section).not.toContain('丙五金经营部');
    expect(section).toContain('高于本市 3 件相似已决案件的罚款幅度');
  });

  it('shows the suggested articles beside 法律适用 and the deviation beside 裁量 on the review step', async () => {
    const legal = await t.newUser({ departmentId: deptA.id, roles: ['legal_admin'] });
    const reviewer = await t.newUser({ departmentId: deptA.id, roles: ['reviewer'] });
    await deploy(t, legal, await workflowFile('legal-review.bpmn'));
    const p = packet({ factsFound: PRODUCT_FACTS, legalBasis: PRODUCT });
    const res = await api(officerA, 'POST', '/api/cases', { packet: p, facts: FACTS });
    expect(res.statusCode).toBe(201);
    const caseId = res.json().caseId as string;
    await completeStep(t, legal, caseId, 'Task_accept', { complete: true });
    const task = await openTask(t, reviewer, caseId, 'Task_review');
    const { page } = await openPage(t, reviewer, `/tasks/${task.id}`);
    expect(page.statusCode).toBe(200);
    const law = page.body.slice(page.body.indexOf('data-point="law"'), page.body.indexOf('data-point="discretion"'));
    expect(law).toContain('推荐条文');
    expect(law).toContain('中华人民共和国产品质量法第五十条');
    const discretion = page.body.slice(page.body.indexOf('data-point="discretion"'));
    expect(discretion.slice(0, 2000)).toContain('高于本市 3 件相似已决案件的罚款幅度');
    expect(page.body).toContain('id="similar"');
  });

  it('takes in a case as soon as it is decided', async () => {
    const later = await newCase(deptA, officerA, {
      ...company('丁电器商行', '92320900MA1DDDDD4D'),
      factsFound: PRODUCT_FACTS,
      legalBasis: PRODUCT,
    });
    const before = (await api(officerA, 'GET', `/api/cases/${subject}/similar`)).json().items;
    expect(before.map((i: { caseId: string }) => i.caseId)).not.toContain(later);
    await t.db
      .updateTable('cases')
      .set({
        status: 'decided',
        decision: JSON.stringify({
          number: '决-x',
          date: '2026-07-01',
          content: '并处罚款八万元。',
          recordedBy: officerA.id,
          recordedAt: '2026-07-01T00:00:00Z',
        }),
        updated_at: new Date(),
      })
      .where('id', '=', later)
      .execute();
    const after = (await api(officerA, 'GET', `/api/cases/${subject}/similar`)).json();
    expect(after.items.map((i: { caseId: string }) => i.caseId)).toContain(later);
    expect(after).toMatchObject({ range: { max: 80000 }, outside: null });
  });

  it("looks among the category's last year of decisions first, and at every year when that year has too few", async () => {
    // A provision and words no other case here has, so that the other tests' rankings stay as they were. The
    // closest case of all was decided in 2023; with ?limit=2 the search wants 7 candidates from the year before
    // the category's latest decision.
    const RENTAL = [{ law: '《中华人民共和国产品质量法》', article: '第五十二条' }];
    const twinFacts = '出租锈蚀脚手架扣件。';
    const decidedCase = (category: string, factsFound: string, date: string) =>
      newCase(deptA, officerA, { category, factsFound, legalBasis: RENTAL }, { content: '并处罚款一万元。', date });
    const found = async (category: string) => {
      const caseId = await newCase(deptA, officerA, { category, factsFound: twinFacts, legalBasis: RENTAL });
      const res = await api(officerA, 'GET', `/api/cases/${caseId}/similar?limit=2`);
      return res.json().items.map((i: { decidedOn: string }) => i.decidedOn);
    };
    // levy: seven cases of the last year cite the provision, so the 2023 twin is not read.
    await decidedCase('levy', twinFacts, '2023-03-01');
    for (const month of ['01', '02', '03', '04', '05', '06', '07']) {
      await decidedCase('levy', '出租劣质钢管。', `2026-${month}-15`);
    }
    expect(await found('levy')).toEqual(['2026-07-15', '2026-06-15']);
    // licensing: two cases in the last year are too few; every year is read and the 2023 twin comes first.
    await decidedCase('licensing', twinFacts, '2023-03-01');
    for (const date of ['2026-05-15', '2026-06-15']) await decidedCase('licensing', '出租劣质钢管。', date);
    expect(await found('licensing')).toEqual(['2023-03-01', '2026-06-15']);
  });

  it('takes in at most as many decided cases as it is asked to, oldest change first', async () => {
    const ids: string[] = [];
    for (const day of ['01', '02', '03']) {
      ids.push(
        await newCase(
          deptA,
          officerA,
          { category: 'levy', factsFound: '出租劣质钢管。' },
          {
            content: '并处罚款一万元。',
            date: `2026-03-${day}`,
          },
        ),
      );
    }
    const indexed = () => t.db.selectFrom('similar_cases').select('case_id').where('case_id', 'in', ids).execute();
    // Oldest change first, and by id among changes made at the same instant (PGlite's clock can give the three
    // inserts one timestamp).
    const oldestFirst = await t.db
      .selectFrom('cases')
      .select('id')
      .where('id', 'in', ids)
      .orderBy('updated_at')
      .orderBy('id')
      .execute();
    expect(await catchUp(t.db, t.app.segmenter, 2)).toBe(2);
    expect((await indexed()).map((r) => r.case_id).sort()).toEqual(
      oldestFirst
        .slice(0, 2)
        .map((r) => r.id)
        .sort(),
    );
    expect(await catchUp(t.db, t.app.segmenter, 2)).toBe(1);
    expect(await catchUp(t.db, t.app.segmenter, 2)).toBe(0);
  });

  it('says so while decided cases wait for the index: in the result, the deviation and the page section', async () => {
    // A search that takes in one case itself, with two waiting: the first answer comes from a partial index.
    for (const day of ['04', '05']) {
      await newCase(
        deptA,
        officerA,
        { category: 'levy', factsFound: '出租劣质钢管。' },
        { content: '并处罚款一万元。', date: `2026-03-${day}` },
      );
    }
    const row = await t.db.selectFrom('cases').selectAll().where('id', '=', subject).executeTakeFirstOrThrow();
    // A fine above any of its similar cases', whichever of them the tests before have decided.
    const input = { ...row, packet: { ...(row.packet as Packet), proposedDecision: '并处罚款九十万元。' } };
    const similar = new SimilarSearch(t.db, t.app.segmenter, 1);
    const partial = await similar.search(input, deptA.id);
    expect(partial).toMatchObject({ indexing: true, outside: 'above' });
    expect(deviationText(partial)).toContain('相似案件索引尚在建立');
    expect(deviationText(partial, false)).not.toContain('相似案件索引尚在建立');
    const section = Handlebars.create().compile(await readFile('server/workbench/views/similar-cases.hbs', 'utf8'));
    expect(section({ indexing: true, items: [] })).toContain('已建立索引的已决案件中暂无与本案相似的案件');
    expect(section({ indexing: true, items: [] })).toContain('data-similar-indexing');
    expect(section({ indexing: false, items: [] })).not.toContain('data-similar-indexing');
    // The second took in the last one: the index is whole again.
    const whole = await similar.search(input, deptA.id);
    expect(whole.indexing).toBe(false);
    expect(deviationText(whole)).not.toContain('相似案件索引尚在建立');
    const res = await api(officerA, 'GET', `/api/cases/${subject}/similar`);
    expect(res.json().indexing).toBe(false);
  });
});
