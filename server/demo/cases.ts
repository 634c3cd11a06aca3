import type { Core } from '../assembly.js';
import { recordDirectDecision, submitCase } from '../cases/service.js';
import { evaluateForDepartment } from '../catalogue/service.js';
import { issueItem } from '../supervision/service.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { actorOf } from './actors.js';
import { type LifecycleDemoCore, loadLifecycleCases } from './lifecycle.js';

/**
 * A few decided cases per agency, so that a new installation has something to evaluate (案卷评查), count
 * (考核指标) and publish: small fines below every catalogue threshold, decided directly by the
 * officer today (their disclosures are due within the week, not overdue). Skipped where a catalogue would make
 * one mandatory: the demo never bypasses a review.
 */
const CASES: { officer: string; title: string; party: string; facts: string; amount: number }[] = [
  {
    officer: 'officer1',
    title: '某某食品店超范围经营案',
    party: '盐城市亭湖区某某食品店',
    facts: '经查，当事人超出登记的经营范围销售散装熟食，违法所得八百元。',
    amount: 3000,
  },
  {
    officer: 'officer2',
    title: '某某五金商行销售不合格插座案',
    party: '盐城市盐都区某某五金商行',
    facts: '经查，当事人销售经抽检不合格的转换插座40只，货值金额一千二百元。',
    amount: 2400,
  },
  {
    officer: 'officer1',
    title: '某某药房未凭处方销售处方药案',
    party: '盐城市亭湖区某某药房',
    facts: '经查，当事人未凭处方销售处方药阿莫西林胶囊3盒。',
    amount: 1000,
  },
  {
    officer: 'officer3',
    title: '某某洗车店超标排放污水案',
    party: '盐城市城南新区某某洗车店',
    facts: '经查，当事人洗车污水未经处理直接排入雨水管网，现场采样超标。',
    amount: 5000,
  },
  {
    officer: 'officer3',
    title: '某某板材厂露天堆放危险废物案',
    party: '盐城市盐都区某某板材厂',
    facts: '经查，当事人将废油漆桶约30只露天堆放于厂区空地，未采取防渗漏措施。',
    amount: 8000,
  },
];

export async function loadDemoCases(
  core: Pick<Core, 'definitionCache' | 'supervision'> & LifecycleDemoCore,
): Promise<number> {
  const today = instantToShanghaiDate(core.clock.now());
  let decided = 0;
  let firstDecided: string | null = null;
  for (const [i, c] of CASES.entries()) {
    const actor = await actorOf(core, c.officer);
    if (!actor) continue;
    const facts = {
      amount: c.amount,
      measure: 'fine',
      thirdPartyAffected: false,
      complex: false,
      publicInterest: false,
      socialImpact: false,
    };
    const deps = { db: core.database.db, cache: core.definitionCache };
    const probe = { ...facts, category: 'penalty' as const, partyType: 'organization' as const, hearingHeld: false };
    if ((await evaluateForDepartment(deps, actor.departmentId, probe)).mandatory) continue;
    const year = today.slice(0, 4);
    const content = `罚款人民币${c.amount}元。`;
    const submitted = await submitCase(core.cases, actor, {
      packet: {
        caseNumber: `${actor.departmentCode}-${year}-Y${String(i + 1).padStart(3, '0')}`,
        title: c.title,
        category: 'penalty',
        party: {
          type: 'organization',
          name: c.party,
          idCode: `92320900MA1DEMO${String(i).padStart(3, '0')}`,
          address: '盐城市',
        },
        factsFound: c.facts,
        evidence: [{ name: '现场检查笔录' }, { name: '现场照片' }],
        legalBasis: [{ law: '《中华人民共和国行政处罚法》', article: '第二十八条' }],
        discretion: { benchmark: '本机关行政处罚裁量基准', position: '从轻' },
        proposedDecision: content,
        hearingHeld: false,
        officerIds: [],
        materials: ['现场检查笔录', '行政处罚决定书（代拟稿）'],
        attestation: { attestedBy: 'officer', statement: '本人承诺所报送材料真实、准确、完整。' },
      },
      facts,
    });
    if (submitted.reviewRequested) continue;
    await recordDirectDecision(core.cases, actor, submitted.caseId, {
      number: `${actor.departmentCode === 'SCJG' ? '市监' : '市环'}罚〔${year}〕${i + 1}号`,
      date: today,
      content,
    });
    decided++;
    firstDecided ??= submitted.caseId;
  }
  // One 监督意见 from the justice bureau on a decided case, open on the agency's workbench (/legal).
  const supervisor = await actorOf(core, 'supervisor1');
  if (supervisor && firstDecided) {
    await issueItem(core.supervision, supervisor, {
      kind: 'opinion',
      caseId: firstDecided,
      subject: '小额罚款案件的裁量说理',
      findings: '该案处罚决定适用从轻情节，但未写明从轻的事实依据。',
      requirements: '请补充该案的裁量说理，并对本年度同类小额罚款案件开展自查，报送自查情况。',
      breachedRules: '《中华人民共和国行政处罚法》第五条',
      workingDays: 10,
    });
  }
  // The whole procedure around the review: cases stopped at 法制审核, 听证, 执行, 移送 and one archived.
  return decided + (await loadLifecycleCases(core));
}
