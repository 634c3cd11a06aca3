/**
 * What a user task is in the legal review (`fashen:step`). Each department edits its own process and may rename
 * any element; forms, pages and statistics find a step by this, never by its id.
 *
 * `unique`: the step happens at one place in a process, because the record or the figures count it once per
 * round (two "法制审核" tasks would count every review twice). A process may have several places where the
 * handling unit corrects its packet or a coordination meeting is held.
 */
export const STEPS = {
  accept: { label: '受理审查', unique: true },
  complete_packet: { label: '补充送审材料', unique: false },
  review: { label: '法制审核', unique: true },
  correct: { label: '修改补正并再次报送', unique: false },
  contest: { label: '对审核意见是否提出异议', unique: false },
  rereview: { label: '复核', unique: true },
  coordinate: { label: '协调', unique: false },
  chief_decision: { label: '负责人决定', unique: true },
  record_decision: { label: '记录执法决定', unique: true },
} as const satisfies Record<string, { label: string; unique: boolean }>;

export type Step = keyof typeof STEPS;

export const STEP_NAMES = Object.keys(STEPS) as Step[];

export function isStep(value: unknown): value is Step {
  return typeof value === 'string' && Object.hasOwn(STEPS, value);
}

/** The review steps proper (审核 and 复核): each has a statutory time limit. */
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

export const REVIEW_STEPS: readonly Step[] = ['review', 'rereview'];
