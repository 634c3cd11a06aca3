import { writtenAmounts } from '../cases/amounts.js';
import { hearingOf, noticeOf } from '../lifecycle/state.js';
import { caseStages } from '../lifecycle/view.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import type { HintSource } from './types.js';

/**
 * The amounts from which this hint treats a fine as 较大数额 (行政处罚法 第六十三条第一款第一项). The law leaves the
 * amount to local and departmental rules; these are the system's prompt thresholds, and the detail says so.
 */
export const LARGE_FINE = { person: 5_000, organization: 50_000 } as const;

// 第六十三条第一款第（二）至（四）项's measures as a proposal writes them.
const HEAVY = /吊销[^，。；]{0,12}(许可证|执照|证书)|降低资质等级|责令停产停业|责令关闭|限制从业/;
const HEAVY_MEASURES = new Set(['licence_revocation', 'suspension']);
// The packet already shows the notice of the hearing right, or the party's waiver.
const NOTICE = /听证告知|告知听证|放弃听证|不要求听证|放弃要求听证/;

const yuan = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}元`;

/**
 * 程序缺口: a penalty whose packet says no hearing was held, while the proposal is one that entitles the party to ask
 * for a hearing (行政处罚法 第六十三条), and nothing in the packet shows that the party was told of that right or
 * waived it. Missing 告知 of other kinds needs the stages of a case, which Fashen does not record yet.
 */
export const procedureHints: HintSource = async (db, c) => {
  const p = c.packet;
  if (p.category !== 'penalty' || p.hearingHeld) return [];
  if (
    [...(p.materials ?? []), ...(p.evidence ?? []).map((e) => `${e.name}${e.description ?? ''}`)].some((m) =>
      NOTICE.test(m),
    )
  ) {
    return [];
  }
  const proposal = p.proposedDecision ?? '';
  const reasons: string[] = [];
  const heavy = HEAVY.exec(proposal)?.[0];
  if (heavy) reasons.push(`拟作出的决定含“${heavy}”（第六十三条第一款第三项、第四项）`);
  else if (HEAVY_MEASURES.has(String(c.facts?.measure ?? '')))
    reasons.push('申报的拟作出的措施为吊销许可证件或责令停产停业');
  const threshold = LARGE_FINE[p.party?.type === 'person' ? 'person' : 'organization'];
  const fine = Math.max(0, ...writtenAmounts(proposal).map((a) => a.yuan));
  if (fine >= threshold) {
    const who = p.party?.type === 'person' ? '自然人' : '法人或者其他组织';
    reasons.push(
      `拟对${who}罚款或没收 ${yuan(fine)}，达到本系统对${who}按 ${yuan(threshold)} 设定的“较大数额”提示标准（第六十三条第一款第一项、第二项）`,
    );
  }
  if (!reasons.length) return [];
  // The stages recorded for the case (server/lifecycle): a hearing, or a 告知 that told of the hearing right,
  // settles it; a 告知 that did not is the gap itself.
  const stages = await caseStages(db, c.id);
  const notice = noticeOf(stages);
  if (hearingOf(stages) || notice?.hearingRight) return [];
  const recorded = notice
    ? '已记录的事先告知未告知当事人要求听证的权利'
    : '送审材料中未见听证告知书或当事人放弃听证的材料';
  const law = await db
    .selectFrom('law_laws')
    .select('id')
    .where('title', '=', '中华人民共和国行政处罚法')
    .executeTakeFirst();
  return [
    {
      kind: 'procedure_gap',
      point: 'procedure',
      key: notice ? 'procedure:hearing_notice' : 'procedure:hearing',
      title: '拟作出的处罚可能须告知听证权利，送审材料载明未经听证',
      detail:
        `送审材料载明本案未经听证；${reasons.join('；')}。` +
        '《中华人民共和国行政处罚法》第六十三条规定，行政机关拟作出较大数额罚款，没收较大数额违法所得、没收较大价值非法财物，' +
        '降低资质等级、吊销许可证件，责令停产停业、责令关闭、限制从业等行政处罚决定，应当告知当事人有要求听证的权利；' +
        '当事人要求听证的，行政机关应当组织听证。“较大数额”的具体标准以法律、法规、规章及本地规定为准。' +
        `${recorded}，请承办机构补充听证告知及送达的证明，或说明本案不属于应当告知听证的情形。`,
      ...(law && { href: `/api/laws/${law.id}/articles/63?date=${instantToShanghaiDate(c.created_at)}` }),
    },
  ];
};
