import type { CaseRow } from '../cases/tables.js';
import type { Database } from '../database/connect.js';
import type { Actor } from '../identity/service.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { transferDraft, transferDue } from './draft.js';
import { REGULATION, TIME_LIMITS } from './rules.js';
import type { TransferStatus } from './tables.js';
import { transfersView } from './view.js';

const CLOSED: readonly TransferStatus[] = ['refused', 'returned', 'handed_over'];
const RETURNABLE: readonly TransferStatus[] = [
  'refused',
  'declined',
  'review_declined',
  'supervision_upheld',
  'handed_over',
];

/** Which step's form the caller sees now (one at a time, in the regulation's order), or none. */
function formOf(actor: Actor, caseStatus: string, status: TransferStatus | null) {
  const has = (...roles: Actor['roles'][number][]) => actor.roles.some((r) => roles.includes(r));
  const staff = has('officer', 'legal_admin', 'chief');
  const forms: string[] = [];
  if (caseStatus === 'transferred' && (status === null || CLOSED.includes(status)) && has('officer'))
    forms.push('report');
  if (status === 'reported' && has('chief')) forms.push('decision');
  if (status === 'approved' && staff) forms.push('delivery');
  if (status === 'sent' && staff) forms.push('receipt');
  if (status === 'received' && staff) forms.push('police', 'forwarding');
  if (status === 'declined' && staff) forms.push('reviewRequest');
  if ((status === 'declined' || status === 'review_declined') && staff) forms.push('supervision');
  if (status === 'supervision_requested' && staff) forms.push('supervisionResult');
  if (status === 'review_requested' && staff) forms.push('reviewResult');
  if (status === 'filed' && staff) forms.push('handover');
  if (caseStatus === 'transferred' && status && RETURNABLE.includes(status) && has('chief', 'legal_admin')) {
    forms.push('return');
  }
  return Object.fromEntries(forms.map((f) => [f, true]));
}

/** The case page's 移送 section: for a transferred case, or one that was transferred before. */
export async function transferSection(
  db: Database,
  actor: Actor,
  c: CaseRow,
  now: Date,
  extras: { formError?: string } = {},
) {
  const items = await transfersView(db, c.id, now);
  const due = await transferDue(db, c);
  if (c.status !== 'transferred' && items.length === 0 && !due) return null;
  const { draft } = await transferDraft(db, c, due);
  const mine = c.department_id === actor.departmentId;
  const latest = items.at(-1) ?? null;
  const officers = mine
    ? await db
        .selectFrom('users')
        .select(['id', 'display_name as name', 'roles'])
        .where('department_id', '=', c.department_id)
        .orderBy('display_name')
        .execute()
    : [];
  return {
    items: [...items].reverse(),
    latest,
    forms: mine ? formOf(actor, c.status, latest?.status ?? null) : {},
    officers: officers
      .filter((u) => u.roles.includes('officer'))
      .map((u) => ({ id: u.id, name: u.name, checked: draft.teamIds.includes(u.id) })),
    today: instantToShanghaiDate(now),
    regulation: REGULATION,
    limits: Object.values(TIME_LIMITS).map((l) => ({
      label: l.label,
      span: 'hours' in l ? `${l.hours}小时` : `${l.days}日`,
      article: l.article,
    })),
    formError: extras.formError ?? null,
    // Before any report: that a transfer is due (or pending the chief), and the report prefilled from the case.
    due: items.length === 0 ? due : null,
    draft: {
      ...draft,
      evidenceText: draft.evidence
        .map((e) => [e.name, e.quantity ?? '', e.note ?? ''].join('｜').replace(/｜+$/, ''))
        .join('\n'),
    },
  };
}
