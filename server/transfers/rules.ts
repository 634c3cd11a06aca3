import type { WorkingCalendar } from '../workdays/calendar.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { addCalendarDays } from '../workdays/deadlines.js';

export const REGULATION = '《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）';

/** Where the procuratorate's 立案监督 of the public security organ is laid down. */
export const SUPERVISION_RULES = '《人民检察院办理行政执法机关移送涉嫌犯罪案件的规定》';

/**
 * The time limits of a transfer, each from the regulation's text. The regulation says "３日" without the working-day
 * rule of 行政处罚法第八十五条 (which governs only that law's own periods), so they are calendar days: the day of the
 * event not counted and a last day that falls on a rest day moved to the next working day (民法典 第二百零一条、
 * 第二百零三条; for the public security organ's limits 刑事诉讼法 第一百零五条 counts alike). "２４小时" is counted
 * from the instant of the event.
 */
export const TIME_LIMITS = {
  // 第五条第二款: the chief decides within 3 days of receiving the 专案组's written report.
  approval: {
    label: '负责人作出批准移送或者不批准移送的决定',
    party: 'agency',
    days: 3,
    article: '第五条第二款',
    quote: '正职负责人或者主持工作的负责人应当自接到报告之日起３日内作出批准移送或者不批准移送的决定',
  },
  // 第五条第二款: once approved, the case goes to the public security organ within 24 hours.
  send: {
    label: '向同级公安机关移送',
    party: 'agency',
    hours: 24,
    article: '第五条第二款',
    quote: '决定批准的，应当在２４小时内向同级公安机关移送',
  },
  // 第七条: an organ that is not competent forwards the case to the competent one within 24 hours of accepting it and
  // tells the agency in writing. Known only when the organ says so, so it is checked when recorded, not timed.
  forward: {
    label: '公安机关将不属于本机关管辖的案件转送有管辖权的机关',
    party: 'police',
    hours: 24,
    article: '第七条',
    quote: '不属于本机关管辖的，应当在２４小时内转送有管辖权的机关，并书面告知移送案件的行政执法机关',
  },
  // 第八条: the public security organ decides on 立案 within 3 days of accepting the case.
  police_decision: {
    label: '公安机关作出立案或者不予立案的决定',
    party: 'police',
    days: 3,
    article: '第八条',
    quote: '公安机关应当自接受行政执法机关移送的涉嫌犯罪案件之日起３日内……对所移送的案件进行审查',
  },
  // 第九条第一款: the agency may ask for 复议 within 3 days of receiving the 不予立案通知书 (a right, not a duty).
  review_window: {
    label: '提请公安机关复议',
    party: 'agency',
    days: 3,
    article: '第九条第一款',
    quote: '可以自接到不予立案通知书之日起３日内，提请作出不予立案决定的公安机关复议',
  },
  // 第九条第二款: the public security organ decides the 复议 within 3 days of receiving the request.
  review_decision: {
    label: '公安机关作出复议决定',
    party: 'police',
    days: 3,
    article: '第九条第二款',
    quote: '应当自收到行政执法机关提请复议的文件之日起３日内作出立案或者不予立案的决定',
  },
  // 第九条第二款: still objecting after the 复议 maintained 不予立案, the agency recommends 立案监督 to the
  // procuratorate within 3 days of the 复议决定 (a duty only if it objects: the window closes, nothing is late).
  supervision_window: {
    label: '建议人民检察院依法进行立案监督',
    party: 'agency',
    days: 3,
    article: '第九条第二款',
    quote: '对公安机关不予立案的复议决定仍有异议的，应当自收到复议决定通知书之日起３日内建议人民检察院依法进行立案监督',
  },
  // 第十二条: after 立案 the agency hands over the seized items and materials within 3 days of the notice.
  handover: {
    label: '将涉案物品以及与案件有关的其他材料移交公安机关',
    party: 'agency',
    days: 3,
    article: '第十二条',
    quote: '应当自接到立案通知书之日起３日内将涉案物品以及与案件有关的其他材料移交公安机关',
  },
} as const satisfies Record<string, TimeLimit>;

interface TimeLimit {
  label: string;
  /** Whose limit it is: the agency's own, or the public security organ's (its lateness goes to 立案监督, 第十七条). */
  party: 'agency' | 'police';
  days?: number;
  hours?: number;
  article: string;
  quote: string;
}

export type StepKey = keyof typeof TIME_LIMITS;
export const isStep = (s: string | null): s is StepKey => s !== null && s in TIME_LIMITS;

/** A right rather than a duty: when its limit passes the window closes; nothing is late. */
export const WINDOW_STEPS: readonly StepKey[] = ['review_window', 'supervision_window'];

/**
 * The procuratorate's 立案监督 as the agency follows it (最高检规定 第九条至第十一条): the public security organ answers
 * the 要求说明不立案理由通知书 within 7 days, and files within 15 days of a 通知立案书; the procuratorate then tells the
 * agency. Those notices pass between the procuratorate and the organ, so they are stated, not timed here.
 */
export const SUPERVISION_TEXT =
  `人民检察院依法进行立案监督：公安机关应当在收到《要求说明不立案理由通知书》后七日内书面说明不立案理由；` +
  `人民检察院认为理由不能成立的，公安机关应当在收到《通知立案书》后十五日内决定立案；人民检察院应当及时通知提出建议的行政执法机关` +
  `（${SUPERVISION_RULES}第十条、第十一条；${REGULATION}第九条第三款：公安机关应当接受人民检察院依法进行的立案监督）`;

/** When a limit started at `from` ends, and when its reminder falls (the day before; 4 hours before for hours). */
export function dueOf(calendar: WorkingCalendar, step: StepKey, from: Date): { dueAt: Date; remindAt: Date | null } {
  const limit: TimeLimit = TIME_LIMITS[step];
  if (limit.hours) {
    const dueAt = new Date(from.getTime() + limit.hours * 3_600_000);
    return { dueAt, remindAt: new Date(dueAt.getTime() - 4 * 3_600_000) };
  }
  const days = limit.days ?? 1;
  const day = instantToShanghaiDate(from);
  const dueAt = addCalendarDays(calendar, day, days, true).dueAt;
  const remindAt = days > 1 ? addCalendarDays(calendar, day, days - 1).dueAt : null;
  return { dueAt, remindAt: remindAt && remindAt < dueAt ? remindAt : null };
}

/** The limit as the page and the API state it, with its article. */
export function limitText(step: StepKey): string {
  const l: TimeLimit = TIME_LIMITS[step];
  return `${l.label}：${l.hours ? `${l.hours}小时` : `${l.days}日`}内（${REGULATION}${l.article}：“${l.quote}”）`;
}
