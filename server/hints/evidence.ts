import type { HintInput, HintSource } from './types.js';

/**
 * Kinds of evidence a statement of facts names (行政处罚法 第四十六条's 书证、物证、视听资料、电子数据、证人证言、
 * 当事人的陈述、鉴定意见、勘验笔录、现场笔录, as officers write them). Longer names first: a mention is read as the
 * longest name it matches.
 */
const KINDS = [
  '现场检查笔录',
  '现场笔录',
  '询问笔录',
  '调查笔录',
  '勘验笔录',
  '听证笔录',
  '抽样检验报告',
  '检验报告',
  '检测报告',
  '监测报告',
  '鉴定意见',
  '鉴定报告',
  '评估报告',
  '审计报告',
  '现场照片',
  '照片',
  '录音录像',
  '录音',
  '录像',
  '监控视频',
  '视听资料',
  '电子数据',
  '证人证言',
  '当事人陈述',
  '销售记录',
  '进货记录',
  '出库单',
  '送货单',
  '销售单',
  '发票',
  '购销合同',
  '合同',
  '账簿',
  '账册',
  '营业执照',
  '检查记录',
  '抽样记录',
  '扣押清单',
  '查封清单',
];

const PENALTY_RULE = '（行政处罚法 第四十条：违法事实不清、证据不足的，不得给予行政处罚）';

/** The kinds of evidence the facts name, each once, in the order first named. */
export function namedEvidence(facts: string): string[] {
  const taken: [number, number][] = [];
  const found: { at: number; name: string }[] = [];
  for (const name of KINDS) {
    let at = facts.indexOf(name);
    while (at >= 0) {
      const end = at + name.length;
      if (!taken.some(([a, b]) => at < b && end > a)) {
        taken.push([at, end]);
        found.push({ at, name });
      }
      at = facts.indexOf(name, end);
    }
  }
  return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.name))];
}

/**
 * 事实中提及、证据目录中没有的证据: the facts found rest on evidence that the packet's evidence list does not
 * contain (an item counts when its name or description contains the kind, e.g. 抽样检验报告 for 检验报告).
 */
export const evidenceHints: HintSource = async (_db, c) => {
  const listed = (c.packet.evidence ?? []).map((e) => `${e.name} ${e.description ?? ''}`);
  const hints: HintInput[] = [];
  for (const name of namedEvidence(c.packet.factsFound ?? '')) {
    if (listed.some((l) => l.includes(name))) continue;
    hints.push({
      kind: 'evidence_missing',
      point: 'evidence',
      key: `evidence:${name}`,
      title: `查明的事实提及“${name}”，证据目录中没有`,
      detail:
        `查明的事实中提及“${name}”，但送审的证据目录未列明该证据。` +
        `认定事实所依据的证据应当随案报送${c.packet.category === 'penalty' ? PENALTY_RULE : ''}，请承办机构补充或说明。`,
    });
  }
  return hints;
};
