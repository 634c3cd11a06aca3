import type { ColumnType, Generated } from 'kysely';
import type { ChallengeKind, ChallengeOutcome } from './outcomes.js';

export interface DecisionChallengesTable {
  id: Generated<string>;
  case_id: string;
  kind: ChallengeKind;
  organ: string;
  outcome: ChallengeOutcome;
  /** The day the 复议决定 or judgment took effect (Asia/Shanghai civil date). */
  decided_on: ColumnType<string, string, string>;
  document_number: string;
  note: ColumnType<string, string | undefined, string>;
  recorded_by: string;
  recorded_at: ColumnType<Date, Date | undefined, never>;
}

export interface ChallengeTables {
  decision_challenges: DecisionChallengesTable;
}
