import { createHash } from 'node:crypto';

/** One deduction an evaluator may make under an item (扣分标准). */
export interface Standard {
  code: string;
  text: string;
  points: number;
}

/** An item of the checklist (评查项目) with its points; deductions under it never take more than it has. */
export interface ChecklistItem {
  code: string;
  title: string;
  points: number;
  standards: Standard[];
}

export interface Checklist {
  id: string | null;
  title: string;
  items: ChecklistItem[];
}

/** A deduction an evaluator made: the standard and what in the file made it apply. */
export interface Deduction {
  standard: string;
  note: string;
}

/** What a round drew from: per agency, how many cases were eligible and how many were drawn, and a digest. */
export interface Population {
  departments: { departmentId: string; eligible: number; drawn: number }[];
  /** SHA-256 over every eligible case id in draw order; lets anyone check the draw from the seed later. */
  digest: string;
}

const s = (code: string, text: string, points: number): Standard => ({ code, text, points });

/** The general checklist for penalty, coercion, licensing and levy files (行政执法案卷评查标准（通用）). */
export const STANDARD_CHECKLIST: Omit<Checklist, 'id'> = {
  title: '行政执法案卷评查标准（通用）',
  items: [
    {
      code: 'A',
      title: '执法主体',
      points: 10,
      standards: [
        s('A1', '执法主体不适格或超越法定职权', 10),
        s('A2', '执法人员未取得执法证件或调查取证时少于两人', 5),
      ],
    },
    {
      code: 'B',
      title: '事实认定',
      points: 15,
      standards: [s('B1', '主要事实不清', 15), s('B2', '违法事实、情节或违法所得认定有误', 8)],
    },
    {
      code: 'C',
      title: '证据',
      points: 20,
      standards: [
        s('C1', '主要证据不足', 20),
        s('C2', '证据来源不明或未经当事人确认', 5),
        s('C3', '现场检查笔录、询问笔录等要素不全', 3),
      ],
    },
    {
      code: 'D',
      title: '法律适用',
      points: 15,
      standards: [s('D1', '适用法律、法规、规章错误', 15), s('D2', '引用条款不具体、不完整', 5)],
    },
    {
      code: 'E',
      title: '裁量',
      points: 10,
      standards: [s('E1', '处理明显不当或未执行裁量基准', 10), s('E2', '未说明裁量理由', 4)],
    },
    {
      code: 'F',
      title: '程序',
      points: 20,
      standards: [
        s('F1', '未告知拟作出决定的事实、理由、依据或未听取陈述申辩', 20),
        s('F2', '符合听证条件而未告知听证权利', 20),
        s('F3', '应当进行法制审核而未审核或审核未通过即作出决定', 20),
        s('F4', '应当集体讨论而未集体讨论', 10),
        s('F5', '超过法定期限', 5),
      ],
    },
    {
      code: 'G',
      title: '文书制作与送达',
      points: 5,
      standards: [s('G1', '文书要素不全、文号或日期错误', 3), s('G2', '送达不符合规定', 3)],
    },
    {
      code: 'H',
      title: '立卷归档',
      points: 5,
      standards: [s('H1', '案卷材料不完整或排列不规范', 3), s('H2', '未按期归档', 2)],
    },
  ],
};

export const totalPoints = (c: { items: ChecklistItem[] }) => c.items.reduce((sum, i) => sum + i.points, 0);

/** Why a checklist cannot be used, or none: codes unique, points positive, a deduction within its item. */
export function checklistProblems(c: { items: ChecklistItem[] }): string[] {
  const problems: string[] = [];
  const codes = new Set<string>();
  if (!c.items.length) problems.push('评查标准至少应有一个评查项目');
  for (const item of c.items) {
    for (const code of [item.code, ...item.standards.map((x) => x.code)]) {
      if (codes.has(code)) problems.push(`编号“${code}”重复`);
      codes.add(code);
    }
    if (!(item.points > 0)) problems.push(`评查项目“${item.title}”的分值应大于0`);
    if (!item.standards.length) problems.push(`评查项目“${item.title}”没有扣分标准`);
    for (const x of item.standards) {
      if (!(x.points > 0) || x.points > item.points) {
        problems.push(`扣分标准“${x.code}”的扣分应大于0且不超过所属项目的分值（${item.points}分）`);
      }
    }
  }
  const total = totalPoints(c);
  if (total > 1000) problems.push(`总分${total}分超过上限1000分`);
  return problems;
}

/**
 * A case's score from one evaluator: the total less the deductions, each item losing at most its points.
 * Unknown standards, a standard deducted twice and a deduction without a note are refused.
 */
export function scoreOf(c: Checklist, deductions: Deduction[]): { score: number; problems: string[] } {
  const problems: string[] = [];
  const byItem = new Map<string, number>();
  const seen = new Set<string>();
  for (const d of deductions) {
    const item = c.items.find((i) => i.standards.some((x) => x.code === d.standard));
    const standard = item?.standards.find((x) => x.code === d.standard);
    if (!item || !standard) {
      problems.push(`评查标准中没有扣分项“${d.standard}”`);
      continue;
    }
    if (seen.has(d.standard)) problems.push(`扣分项“${d.standard}”重复扣分`);
    seen.add(d.standard);
    if (!d.note.trim()) problems.push(`扣分项“${d.standard}”须写明扣分理由（案卷中的具体问题）`);
    byItem.set(item.code, (byItem.get(item.code) ?? 0) + standard.points);
  }
  let score = totalPoints(c);
  for (const item of c.items) score -= Math.min(item.points, byItem.get(item.code) ?? 0);
  return { score, problems };
}

/** 优秀 ≥ 90 %, 良好 ≥ 80 %, 合格 ≥ 60 %, else 不合格 — of the checklist's total. */
export function gradeOf(score: number, total: number): string {
  const share = total ? score / total : 0;
  if (share >= 0.9) return '优秀';
  if (share >= 0.8) return '良好';
  if (share >= 0.6) return '合格';
  return '不合格';
}

/** A uniform number in [0, 1) that depends only on the seed, the agency and the position. */
function draw(seed: string, departmentId: string, i: number): number {
  return createHash('sha256').update(`${seed}:${departmentId}:${i}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * The reproducible sample of one agency: a Fisher–Yates shuffle of the eligible cases (ordered by case
 * number, then id) driven by SHA-256 of the seed, of which the first `k` are drawn. The same seed over the
 * same cases always draws the same ones, on any machine.
 */
export function drawSample<T>(seed: string, departmentId: string, eligible: readonly T[], k: number): T[] {
  const xs = [...eligible];
  const n = Math.min(k, xs.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(draw(seed, departmentId, i) * (xs.length - i));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs.slice(0, n);
}

/** The digest of what a round drew from: every agency's eligible case ids, in the order the draw saw them. */
export function populationDigest(groups: { departmentId: string; caseIds: string[] }[]): string {
  const hash = createHash('sha256');
  for (const g of groups) hash.update(`${g.departmentId}:${g.caseIds.join(',')}\n`);
  return hash.digest('hex');
}
