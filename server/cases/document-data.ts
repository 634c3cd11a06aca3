import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { actingUnit, unitName } from '../identity/directory.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { correctionItems, submittedMaterials } from './correction-items.js';
import type { NextStep } from './next-step.js';
import { personFor } from './people.js';
import { countReviews } from './queries.js';
import {
  CATEGORY_LABELS,
  CHIEF_DECISION_LABELS,
  CONCLUSION_LABELS,
  COORDINATION_LABELS,
  FINDING_LABELS,
} from './review-points.js';
import type { CaseRow, ChiefDecision, Conclusion, CoordinationConfirmation, OpinionFinding } from './tables.js';

export type DocumentData = Record<string, unknown>;

/** What happened at a coordination, as its record states it. */
const COORDINATION_OUTCOMES = {
  escalate: '经协调，承办机构与法制审核机构意见仍不一致，报请机关负责人决定。',
  agree_with_review: '经协调，承办机构与法制审核机构意见一致：承办机构采纳法制审核机构的意见，不作出该决定。',
  agree_with_handling: '经协调，承办机构与法制审核机构意见一致：法制审核机构同意承办机构的意见，报请机关负责人决定。',
} as const;

/**
 * What the flow does when a limit given to the handling unit lapses, by the service its timer runs (see next-step.ts):
 * review.closeNotApproved ends the review as not passed, and the gate refuses any decision on the case; review.withdraw
 * ends it as withdrawn (视为撤回送审).
 */
const LAPSES: Record<string, string> = {
  'review.closeNotApproved': '本案按法制审核未通过办结，不得作出该执法决定',
  'review.withdraw': '视为撤回送审',
};

/** The limit of the flow's next step as a document states it: its last day, and what its lapse does. */
function limitOf(next: NextStep | null) {
  const due = next?.due ?? null;
  return {
    dueDate: due?.date ?? null,
    dueTime: due?.time ?? null,
    dueProvisional: due?.provisional ?? false,
    lapse: due && next?.lapse ? (LAPSES[next.lapse] ?? null) : null,
  };
}

/**
 * What a first review's opinion tells the handling unit it may or must do next, when the flow takes it there: object
 * and ask for a 复核 (不同意 → the 异议 step), or correct and resubmit (修改后同意, 退回补正 → the 补正 step).
 */
function nextOfOpinion(v: Record<string, unknown>) {
  const next = v.kind === 'review' ? ((v.next as NextStep | null | undefined) ?? null) : null;
  const conclusion = v.conclusion as Conclusion;
  const corrects = conclusion === 'return' || conclusion === 'approve_with_changes';
  return {
    objection: conclusion === 'disapprove' && next?.task.step === 'contest' ? limitOf(next) : null,
    resubmission: corrects && next?.task.step === 'correct' ? limitOf(next) : null,
  };
}

/**
 * "姓名 单位 职务" per line, as the coordination form asks for them: fields between commas or 、 when the line has
 * them, else between spaces. The name is the first field and the 职务 the last; everything between is the unit,
 * which may itself hold spaces (张三 盐城市 市场监督管理局 局长 → unit 盐城市 市场监督管理局).
 */
export function parseParticipants(text: string) {
  return text
    .split(/\r?\n|；|;/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [name, ...rest] = l.split(/[,，、]/.test(l) ? /\s*[,，、]\s*/ : /\s+/).filter(Boolean);
      const role = rest.length >= 2 ? (rest.pop() ?? '') : '';
      return { name, unit: rest.join(' '), role };
    });
}

/** Documents the agency's leadership issues for the agency as a whole, not for the review side. */
const agencyWide = (kind: string) => kind === 'chief_decision' || kind === 'collective_record';

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
  const actorId = (v.actorId as string | undefined) ?? null;
  // The chief acts for the agency as a whole; everyone else issues for the review side of the case.
  const actor = actorId
    ? await personFor(trx, actorId, c.department_id, agencyWide(kind) ? undefined : 'legal_review')
    : undefined;
  const handlingUnit = (await unitName(trx, c.handling_unit_id))?.name ?? department.name;
  const reviewUnit =
    (await unitName(trx, c.review_unit_id))?.name ??
    (await actingUnit(trx, null, c.department_id, 'legal_review'))?.name ??
    department.name;
  const caseInfo = {
    number: c.case_number,
    title: c.title,
    party: c.packet.party.name,
    category: CATEGORY_LABELS[c.category],
    handlingUnit,
    reviewUnit,
  };
  const today = instantToShanghaiDate(now);
  // Who issues and signs the document: their name, 职务 and the unit they issue it for.
  const issuer = {
    name: actor?.name ?? '',
    position: actor?.position ?? '工作人员',
    unit: actor?.unit ?? (agencyWide(kind) ? department.name : reviewUnit),
  };
  const reviewer = {
    name: issuer.name,
    kind: actor?.reviewerKind ?? '法制审核人员',
    position: actor?.ownPosition ? actor.position : null,
    unit: issuer.unit,
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
        ...nextOfOpinion(v),
        reviewer,
        issuer,
      };
    case 'correction_notice':
      return {
        case: caseInfo,
        round: reviews + 1,
        // Each line's requirement as the reviewer wrote it, else what the case shows of it (correction-items.ts).
        missingMaterials: correctionItems(String(v.missing ?? ''), await submittedMaterials(trx, c)),
        ...limitOf((v.next as NextStep | null | undefined) ?? null),
        note: null,
        issuer,
      };
    case 'coordination_record': {
      const participants = parseParticipants(String(v.participants ?? ''));
      return {
        case: caseInfo,
        // As the step gave them (coordination-date.ts); null from a flow that did not ask, never the day of the step.
        heldOn: (v.heldOn as string | null | undefined) ?? null,
        place: (v.place as string | null | undefined) ?? null,
        handlingUnitPosition: String(v.handlingPosition ?? ''),
        reviewUnitPosition: String(v.reviewPosition ?? ''),
        note: String(v.coordinationNote ?? ''),
        agreed: v.outcome !== undefined && v.outcome !== 'escalate',
        outcome: COORDINATION_OUTCOMES[(v.outcome as keyof typeof COORDINATION_OUTCOMES | undefined) ?? 'escalate'],
        confirmations: ((v.confirmations as CoordinationConfirmation[] | undefined) ?? []).map((x) => ({
          unit: x.side === 'handling' ? '承办机构负责人' : '法制审核机构负责人',
          name: x.name,
          date: instantToShanghaiDate(new Date(x.at)),
          time: new Date(x.at).toLocaleTimeString('zh-CN', {
            timeZone: 'Asia/Shanghai',
            hour: '2-digit',
            minute: '2-digit',
            hour12: false,
          }),
        })),
        participants: participants.length ? participants : [{ name: issuer.name, unit: issuer.unit, role: '记录人' }],
        recorder: issuer.name,
        issuer,
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
        collectiveRecordNumber: (v.collectiveRecordNumber as string | null) ?? null,
        coordination: v.coordinationOutcome
          ? COORDINATION_LABELS[v.coordinationOutcome as keyof typeof COORDINATION_LABELS]
          : null,
        responsibility: overrides.length
          ? '负责人不采纳法制审核意见或承办机构意见作出决定，对该决定承担责任。'
          : '承办机构对送审材料的真实性、准确性、完整性负责，法制审核机构对审核意见负责。',
        // The signer's own position (局长、副局长 …); a user without one signs as 负责人.
        chief: { name: issuer.name, title: actor?.ownPosition ? actor.position : '负责人' },
        issuer,
        decidedOn: today,
      };
    }
    case 'collective_record':
      // Built by the collective discussion (server/collective), which knows who attended and what each said.
      return { case: caseInfo, ...(v.collective as Record<string, unknown>), issuer };
    default:
      throw new Error(`unknown document kind ${kind}`);
  }
}
