import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { countReviews } from './queries.js';
import {
  CATEGORY_LABELS,
  CHIEF_DECISION_LABELS,
  CONCLUSION_LABELS,
  COORDINATION_LABELS,
  FINDING_LABELS,
} from './review-points.js';
import type { CaseRow, ChiefDecision, Conclusion, OpinionFinding } from './tables.js';

const REVIEWER_KIND_LABELS = { staff: '法制审核人员', legal_adviser: '法律顾问', public_lawyer: '公职律师' } as const;

export type DocumentData = Record<string, unknown>;

/** What happened at a coordination, as its record states it. */
const COORDINATION_OUTCOMES = {
  escalate: '经协调，承办机构与法制审核机构意见仍不一致，报请机关负责人决定。',
  agree_with_review: '经协调，承办机构与法制审核机构意见一致：承办机构采纳法制审核机构的意见，不作出该决定。',
  agree_with_handling: '经协调，承办机构与法制审核机构意见一致：法制审核机构同意承办机构的意见，报请机关负责人决定。',
} as const;

async function people(trx: Transaction<DB>, ids: (string | null)[]) {
  const wanted = ids.filter((x): x is string => !!x);
  if (wanted.length === 0) {
    return new Map<string, { name: string; kind: string; department: string; position: string | null }>();
  }
  const rows = await trx
    .selectFrom('users as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .select(['u.id', 'u.display_name', 'u.reviewer_kind', 'u.position', 'd.name as department_name'])
    .where('u.id', 'in', wanted)
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        name: r.display_name,
        kind: REVIEWER_KIND_LABELS[r.reviewer_kind ?? 'staff'],
        department: r.department_name,
        position: r.position?.trim() || null,
      },
    ]),
  );
}

/** "姓名 单位 职务" per line (commas, 、 or spaces between), as the coordination form asks for them. */
export function parseParticipants(text: string) {
  return text
    .split(/\r?\n|；|;/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name, unit = '', ...role] = l.split(/[,，、\s]+/);
      return { name, unit, role: role.join(' ') };
    });
}

/**
 * The data each document template receives (server/documents/kinds.ts describes it), built from the case and
 * the values of the step that issues the document.
 */
export async function documentData(
  trx: Transaction<DB>,
  c: CaseRow,
  kind: string,
  v: Record<string, unknown>,
  now: Date,
): Promise<DocumentData> {
  const department = await trx
    .selectFrom('departments')
    .select('name')
    .where('id', '=', c.department_id)
    .executeTakeFirstOrThrow();
  const caseInfo = {
    number: c.case_number,
    title: c.title,
    party: c.packet.party.name,
    category: CATEGORY_LABELS[c.category],
    handlingUnit: department.name,
  };
  const today = instantToShanghaiDate(now);
  const actorId = (v.actorId as string | undefined) ?? null;
  const who = await people(trx, [actorId]);
  const actor = (actorId && who.get(actorId)) || {
    name: '',
    kind: '法制审核人员',
    department: department.name,
    position: null,
  };
  // "第N次审核" counts substantive reviews as a practitioner does: completing the packet at acceptance (补正 at
  // 受理审查) is no review, and a 复核 reconsiders the review before it rather than being a new one.
  const reviews = await countReviews(trx, c.id);
  switch (kind) {
    case 'review_opinion':
      return {
        case: caseInfo,
        round: v.kind === 'rereview' ? Math.max(reviews, 1) : reviews + 1,
        rereview: v.kind === 'rereview',
        // The points as the opinion answered them, each under the label it was answered under.
        points: (v.findings as OpinionFinding[]).map((f) => ({
          key: f.point,
          name: f.label,
          finding: FINDING_LABELS[f.finding],
          note: f.note,
        })),
        conclusion: CONCLUSION_LABELS[v.conclusion as Conclusion],
        reasons: String(v.reasons ?? ''),
        suggestions: (v.suggestions as string | null) ?? null,
        reviewer: { name: actor.name, kind: actor.kind },
      };
    case 'correction_notice':
      return {
        case: caseInfo,
        round: reviews + 1,
        missingMaterials: String(v.missing)
          .split(/\r?\n|；|;/)
          .map((m) => m.trim())
          .filter(Boolean)
          .map((name) => ({ name, requirement: '请按要求补充提交' })),
        dueDate: String(v.completionDue),
        note: null,
        reviewer: { name: actor.name, kind: actor.kind },
      };
    case 'coordination_record': {
      const participants = parseParticipants(String(v.participants ?? ''));
      return {
        case: caseInfo,
        heldOn: today,
        place: null,
        handlingUnitPosition: String(v.handlingPosition ?? ''),
        reviewUnitPosition: String(v.reviewPosition ?? ''),
        note: String(v.coordinationNote ?? ''),
        agreed: v.outcome !== undefined && v.outcome !== 'escalate',
        outcome: COORDINATION_OUTCOMES[(v.outcome as keyof typeof COORDINATION_OUTCOMES | undefined) ?? 'escalate'],
        participants: participants.length
          ? participants
          : [{ name: actor.name, unit: actor.department, role: '记录人' }],
        recorder: actor.name,
      };
    }
    case 'chief_decision': {
      const overrides = v.overrides as ChiefDecision['overrides'];
      const reviewConclusion = v.reviewConclusion as Conclusion | null;
      return {
        case: caseInfo,
        handlingProposal: c.packet.proposedDecision,
        reviewConclusion: CONCLUSION_LABELS[reviewConclusion ?? 'approve'],
        reviewOpinionNumber: (v.reviewOpinionNumber as string | null) ?? null,
        decision: CHIEF_DECISION_LABELS[v.decision as ChiefDecision['decision']],
        departsFromReview: overrides.includes('review'),
        departsFromProposal: overrides.includes('proposal'),
        overrideReasons: overrides.length ? String(v.reasons) : null,
        reasons: String(v.reasons ?? '') || null,
        modifiedDecision: (v.modifiedContent as string | null) ?? null,
        coordination: v.coordinationOutcome
          ? COORDINATION_LABELS[v.coordinationOutcome as keyof typeof COORDINATION_LABELS]
          : null,
        responsibility: overrides.length
          ? '负责人不采纳法制审核意见或承办机构意见作出决定，对该决定承担责任。'
          : '承办机构对送审材料的真实性、准确性、完整性负责，法制审核机构对审核意见负责。',
        // The signer's own position (局长、副局长 …); a user without one signs as 负责人.
        chief: { name: actor.name, title: actor.position ?? '负责人' },
        decidedOn: today,
      };
    }
    default:
      throw new Error(`unknown document kind ${kind}`);
  }
}
