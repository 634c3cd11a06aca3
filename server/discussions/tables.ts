import type { ColumnType, Generated, Selectable } from 'kysely';
import type { MaskedPacket } from './mask.js';

/** 疑难案例网上探讨: one discussion of a hard case, with the packet as masked when it was opened. */
export interface CaseDiscussionsTable {
  id: Generated<string>;
  case_id: string;
  /** The case's department, kept so the pool's list needs no join through cases. */
  department_id: string;
  opened_by: string;
  /** The question, masked as the packet is (party name, ID number, address, phone numbers). */
  question: string;
  masked_packet: ColumnType<MaskedPacket, string, never>;
  status: ColumnType<'open' | 'closed', 'open' | 'closed' | undefined, 'open' | 'closed'>;
  summary: ColumnType<string | null, string | null | undefined, string | null>;
  closed_by: ColumnType<string | null, string | null | undefined, string | null>;
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Where the reviewer adopted the summary: 'reasons' (审核理由) or a review point's key (its 说明). */
  adopted_into: ColumnType<string | null, string | null | undefined, string | null>;
  adopted_by: ColumnType<string | null, string | null | undefined, string | null>;
  adopted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface DiscussionCommentsTable {
  id: Generated<string>;
  discussion_id: string;
  /** The comment this one replies to (a thread), or null for a comment on the discussion itself. */
  parent_id: string | null;
  author_id: string;
  body: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** A user @-mentioned in a comment: their 提到我的 list until they read the discussion. */
export interface DiscussionMentionsTable {
  comment_id: string;
  user_id: string;
  discussion_id: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  read_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type DiscussionRow = Selectable<CaseDiscussionsTable>;

export interface DiscussionTables {
  case_discussions: CaseDiscussionsTable;
  discussion_comments: DiscussionCommentsTable;
  discussion_mentions: DiscussionMentionsTable;
}
