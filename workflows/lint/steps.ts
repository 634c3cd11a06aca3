/**
 * What a user task is in the legal review (`fashen:step`). Each department edits its own process and may rename
 * any element; forms, pages and statistics find a step by this, never by its id.
 *
 * `unique`: the step happens at one place in a process, because the record or the figures count it once per
 * round (two "法制审核" tasks would count every review twice). A process may have several places where the
 * handling unit corrects its packet or a coordination meeting is held.
 *
 * `defaultWorkingDays`: the step's time limit (办理期限, working days) when the process sets none — neither
 * fashen:deadlineWorkingDays nor a timer boundary event — so no step can stall unnoticed (a review limit means
 * little if acceptance may wait for ever). The modeler shows it; a department sets its own in the panel.
 */
export const STEPS = {
  accept: { label: '受理审查', unique: true, defaultWorkingDays: 2 },
  complete_packet: { label: '补充送审材料', unique: false, defaultWorkingDays: 3 },
  review: { label: '法制审核', unique: true, defaultWorkingDays: 5 },
  correct: { label: '修改补正并再次报送', unique: false, defaultWorkingDays: 5 },
  contest: { label: '对审核意见是否提出异议', unique: false, defaultWorkingDays: 3 },
  rereview: { label: '复核', unique: true, defaultWorkingDays: 3 },
  coordinate: { label: '协调', unique: false, defaultWorkingDays: 5 },
  chief_decision: { label: '负责人决定', unique: true, defaultWorkingDays: 3 },
  record_decision: { label: '记录执法决定', unique: true, defaultWorkingDays: 5 },
} as const satisfies Record<string, { label: string; unique: boolean; defaultWorkingDays: number }>;

export type Step = keyof typeof STEPS;

export const STEP_NAMES = Object.keys(STEPS) as Step[];

export function isStep(value: unknown): value is Step {
  return typeof value === 'string' && Object.hasOwn(STEPS, value);
}

/**
 * The element ids the shipped processes gave their steps before `fashen:step` existed (as the task_steps
 * migration maps stored tasks): a version deployed then, which marks no step, is read with them.
 */
export const LEGACY_STEP_IDS: Readonly<Record<string, Step>> = {
  Task_accept: 'accept',
  Task_complete_packet: 'complete_packet',
  Task_review: 'review',
  Task_correct: 'correct',
  Task_contest: 'contest',
  Task_rereview: 'rereview',
  Task_coordinate: 'coordinate',
  Task_chief_decision: 'chief_decision',
  Task_record_decision: 'record_decision',
};

/** The review steps proper (审核 and 复核): each has a statutory time limit. */
export const REVIEW_STEPS: readonly Step[] = ['review', 'rereview'];
