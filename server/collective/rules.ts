/** 表决意见: what each attendee answers on the proposal put to the discussion. */
export const VOTES = ['同意', '不同意'] as const;
export type Vote = (typeof VOTES)[number];

export type CollectiveResult = 'agree' | 'disagree' | 'no_majority';

export const RESULT_LABELS: Record<CollectiveResult, string> = {
  agree: '出席人员过半数同意，通过。',
  disagree: '出席人员过半数不同意，不予通过。',
  no_majority: '未形成过半数意见，须重新讨论。',
};

/** The most leaders a list may hold: a discussion convenes at most this many (the 会签 task's bound). */
export const MAX_LEADERS = 15;

/** 过半数出席: a discussion is held only when more than half of the agency's leadership attends. */
export function quorumOf(leadersTotal: number): number {
  return Math.floor(leadersTotal / 2) + 1;
}

/** The result by majority of those attending: more than half of them agree, or more than half disagree. */
export function tally(votes: readonly Vote[]): { agree: number; disagree: number; result: CollectiveResult } {
  const agree = votes.filter((v) => v === '同意').length;
  const disagree = votes.filter((v) => v === '不同意').length;
  const half = votes.length / 2;
  const result = agree > half ? 'agree' : disagree > half ? 'disagree' : 'no_majority';
  return { agree, disagree, result };
}

/**
 * The chief's decisions that follow each result: a passed proposal is made (as proposed or modified), a refused
 * one is not made (or transferred); without a majority there is no decision to record.
 */
export const DECISIONS_FOLLOWING: Record<CollectiveResult, readonly string[]> = {
  agree: ['同意作出决定', '修改后作出决定'],
  disagree: ['不予作出决定', '移送司法机关'],
  no_majority: [],
};
