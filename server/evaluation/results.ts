import { type Checklist, type Deduction, gradeOf, totalPoints } from './checklist.js';
import type * as q from './queries.js';

type Round = NonNullable<Awaited<ReturnType<typeof q.findRound>>>;
type Drawn = Awaited<ReturnType<typeof q.drawnOfRound>>;
type Rectification = Awaited<ReturnType<typeof q.rectificationsOf>>[number];

const round1 = (n: number) => Math.round(n * 10) / 10;
const mean = (xs: number[]) => (xs.length ? round1(xs.reduce((a, b) => a + b, 0) / xs.length) : null);

function standardText(c: Checklist, code: string): string {
  for (const item of c.items) {
    const s = item.standards.find((x) => x.code === code);
    if (s) return `${item.title}：${s.text}`;
  }
  return code;
}

/**
 * A round's results: each case's score (the mean of its evaluators', once all have scored), each agency's
 * mean over its cases, grade and rank, the deductions most often made, and the state of its rectification.
 */
export function roundResults(round: Round, drawn: Drawn, rectifications: Rectification[], now: Date) {
  const total = totalPoints(round.checklist);
  const cases = drawn.cases.map((c) => {
    const rows = drawn.scores.filter((s) => s.case_id === c.case_id);
    const submitted = rows.filter((s) => s.submitted_at);
    const complete = submitted.length === rows.length;
    const score = complete ? mean(submitted.map((s) => Number(s.score))) : null;
    return {
      caseId: c.case_id,
      caseNumber: c.case_number,
      title: c.title,
      departmentId: c.department_id,
      departmentName: c.department_name,
      score,
      grade: score === null ? null : gradeOf(score, total),
      evaluators: rows.map((s) => ({
        id: s.evaluator_id,
        name: s.display_name,
        score: s.score === null ? null : Number(s.score),
        submittedAt: s.submitted_at,
        comment: s.comment,
        deductions: (s.deductions ?? []).map((d: Deduction) => ({
          ...d,
          text: standardText(round.checklist, d.standard),
        })),
      })),
    };
  });
  const byAgency = new Map<string, typeof cases>();
  for (const c of cases) byAgency.set(c.departmentId, [...(byAgency.get(c.departmentId) ?? []), c]);
  const agencies = [...byAgency].map(([departmentId, list]) => {
    const complete = list.every((c) => c.score !== null);
    const score = complete ? mean(list.map((c) => c.score as number)) : null;
    const frequency = new Map<string, number>();
    for (const c of list)
      for (const e of c.evaluators)
        for (const d of e.deductions) frequency.set(d.standard, (frequency.get(d.standard) ?? 0) + 1);
    const answers = rectifications.filter((r) => r.department_id === departmentId);
    const overdue = round.rectify_due_at !== null && !answers.length && now > round.rectify_due_at;
    return {
      departmentId,
      departmentName: list[0].departmentName,
      cases: list.length,
      score,
      grade: score === null ? null : gradeOf(score, total),
      rank: null as number | null,
      commonDeductions: [...frequency]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 5)
        .map(([standard, times]) => ({ standard, text: standardText(round.checklist, standard), times })),
      rectification: { answers, overdue },
    };
  });
  // Ranked once every case of every agency is scored; ties share a rank.
  if (agencies.every((a) => a.score !== null)) {
    agencies.sort(
      (a, b) => (b.score as number) - (a.score as number) || a.departmentName.localeCompare(b.departmentName),
    );
    agencies.forEach((a, i) => {
      a.rank = i > 0 && agencies[i - 1].score === a.score ? (agencies[i - 1].rank as number) : i + 1;
    });
  }
  const submitted = drawn.scores.filter((s) => s.submitted_at).length;
  return { total, cases, agencies, progress: { submitted, expected: drawn.scores.length } };
}
