import { AppError } from '../http/errors.js';
import { formatDateZh } from '../infra/date-format.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import type { CaseRow } from './tables.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Decision texts compared as a reader would: blanks and punctuation do not make a different decision. */
export function sameDecisionText(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/[\s，。；、,.;:：“”"'（）()]/g, '');
  return norm(a) === norm(b);
}

/**
 * What a recorded decision must agree with: the chief's modified decision when the chief modified it, else the
 * proposal the review saw (the current packet's). Null for a case decided without review.
 */
export function expectedDecision(c: Pick<CaseRow, 'chief_decision' | 'packet'>) {
  const modified = c.chief_decision?.modifiedContent?.trim();
  if (modified) return { content: modified, source: '负责人修改后的决定' };
  if (c.chief_decision) return { content: c.packet.proposedDecision, source: '经法制审核的拟作决定' };
  return null;
}

/**
 * Checks a decision being recorded (记录执法决定): its date is a real date, not in the future and not before the
 * chief's decision; its content is what was reviewed (or what the chief modified it to), or the difference is
 * explained. Returns the explanation kept with the decision (null when there is no difference).
 */
export function checkRecordedDecision(
  c: Pick<CaseRow, 'chief_decision' | 'packet'>,
  d: { date: string; content: string; deviationReason: string },
  now: Date,
): string | null {
  if (!isRealDate(d.date)) {
    throw new AppError(400, 'VALIDATION_FAILED', `决定日期“${d.date}”无效（格式为 YYYY-MM-DD）`, {
      field: 'decisionDate',
    });
  }
  const today = instantToShanghaiDate(now);
  if (d.date > today) {
    throw new AppError(
      400,
      'VALIDATION_FAILED',
      `决定日期${formatDateZh(d.date)}晚于今天（${formatDateZh(today)}），不能记录尚未作出的决定`,
      {
        field: 'decisionDate',
      },
    );
  }
  if (c.chief_decision) {
    const decidedOn = instantToShanghaiDate(new Date(c.chief_decision.decidedAt));
    if (d.date < decidedOn) {
      throw new AppError(
        400,
        'VALIDATION_FAILED',
        `决定日期${formatDateZh(d.date)}早于负责人决定日期${formatDateZh(decidedOn)}：决定须在负责人决定之后作出`,
        { field: 'decisionDate', chiefDecidedOn: decidedOn },
      );
    }
  }
  const expected = expectedDecision(c);
  if (!expected || sameDecisionText(expected.content, d.content)) return null;
  const reason = d.deviationReason.trim();
  if (reason.length === 0) {
    throw new AppError(
      400,
      'VALIDATION_FAILED',
      `记录的决定内容与${expected.source}不一致，须说明理由（${expected.source}：“${expected.content}”；记录的决定内容：“${d.content}”）`,
      { field: 'deviationReason', expected: expected.content, recorded: d.content },
    );
  }
  return reason;
}
