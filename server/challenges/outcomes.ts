/** The bodies that decide a challenge: 行政复议机关 or 人民法院. */
export const CHALLENGE_KINDS = { reconsideration: '行政复议', litigation: '行政诉讼' } as const;
export type ChallengeKind = keyof typeof CHALLENGE_KINDS;

/** What a 复议决定 or a judgment did to the decision. */
export const CHALLENGE_OUTCOMES = {
  upheld: '维持',
  dismissed: '驳回复议申请或诉讼请求',
  changed: '变更',
  revoked: '撤销',
  confirmed_unlawful: '确认违法',
  confirmed_void: '确认无效',
} as const;
export type ChallengeOutcome = keyof typeof CHALLENGE_OUTCOMES;

/** Outcomes that correct the decision (纠错): they count against the agency and oblige withdrawal (art. 48(2)). */
export const CORRECTING: readonly ChallengeOutcome[] = ['changed', 'revoked', 'confirmed_unlawful', 'confirmed_void'];

/** Working days within which a corrected decision is withdrawn from publication (行政处罚法 arts. 48(2), 85). */
export const WITHDRAW_WORKING_DAYS = 3;
