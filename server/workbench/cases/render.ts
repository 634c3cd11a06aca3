import type { FastifyInstance, FastifyReply } from 'fastify';
import { confirmingSide, handlingHead, reviewHead } from '../../cases/coordination.js';
import { caseDetail } from '../../cases/detail.js';
import { COORDINATION_LABELS } from '../../cases/review-points.js';
import type { CaseRow, CaseStatus, Packet } from '../../cases/tables.js';
import type { CaseFacts } from '../../catalogue/vocabulary.js';
import { CHALLENGE_KINDS, CHALLENGE_OUTCOMES } from '../../challenges/outcomes.js';
import { challengesOf } from '../../challenges/service.js';
import { assessPacket } from '../../discretion/assess.js';
import { caseDiscussions } from '../../discussions/links.js';
import { listExtensions } from '../../engine/task-clock.js';
import { findDepartmentById } from '../../identity/directory.js';
import type { Actor } from '../../identity/service.js';
import { lifecycleView } from '../../lifecycle/view.js';
import { checkCaseSignatures } from '../../records/signatures.js';
import { similarView } from '../../similar/view.js';
import { supervisionItems } from '../../supervision/view.js';
import { transferSection } from '../../transfers/page-view.js';
import { instantToShanghaiDate } from '../../workdays/days.js';
import { basisCheck } from './basis-check.js';
import type { diagramCache } from './diagram.js';
import { flashFor } from './flash.js';
import { hintsView } from './hints-view.js';
import type { FieldErrors } from './submit-packet.js';
import { userNames } from './users.js';
import { caseView, type PendingExtension } from './view.js';

/** While the case is open, the handling unit may still add attachments (as the attachment API allows). */
const UPLOAD_STATUSES = new Set<CaseStatus>([
  'not_required',
  'accepting',
  'completing',
  'reviewing',
  'correcting',
  'contesting',
]);

export const mayUpload = (actor: Actor, c: { department_id: string; status: CaseStatus }) =>
  actor.roles.includes('officer') && c.department_id === actor.departmentId && UPLOAD_STATUSES.has(c.status);

/** A case outside the catalogue that asked for no review is decided directly by its handling unit. */
export const mayRecordDirectly = (actor: Actor, c: { department_id: string; status: CaseStatus }) =>
  actor.roles.includes('officer') && c.department_id === actor.departmentId && c.status === 'not_required';

async function pendingExtensions(app: FastifyInstance, taskIds: string[]): Promise<PendingExtension[]> {
  const rows = (await Promise.all(taskIds.map((id) => listExtensions(app.db, id)))).flat();
  return rows
    .filter((x) => x.status === 'pending')
    .map((x) => ({
      id: x.id,
      taskId: x.task_id,
      workingDays: x.working_days,
      reason: x.reason,
      requestedBy: x.requested_by,
      requestedAt: x.requested_at,
    }));
}

export interface CaseRenderExtras {
  flash?: unknown;
  decision?: { values: Record<string, string>; errors: FieldErrors; formError?: string };
  challenge?: { values: Record<string, string>; formError: string };
  coordination?: { formError: string };
  transfer?: { formError: string };
}

/** 行政复议 and 行政诉讼 outcomes, for the agency's legal unit and head once the case is decided. */
async function challengeSection(app: FastifyInstance, actor: Actor, c: CaseRow, extras: CaseRenderExtras) {
  const manages =
    c.department_id === actor.departmentId && actor.roles.some((r) => r === 'chief' || r === 'legal_admin');
  if (c.status !== 'decided' || !manages) return null;
  const ctx = { db: app.db, calendar: app.calendar, clock: app.clock, history: app.runtime.history };
  const items = await challengesOf(ctx, actor, c.id);
  return {
    items: items.map((x) => ({
      ...x,
      kindLabel: CHALLENGE_KINDS[x.kind],
      outcomeLabel: CHALLENGE_OUTCOMES[x.outcome],
    })),
    kinds: Object.entries(CHALLENGE_KINDS).map(([code, label]) => ({ code, label })),
    outcomes: Object.entries(CHALLENGE_OUTCOMES).map(([code, label]) => ({ code, label })),
    values: extras.challenge?.values ?? { decidedOn: instantToShanghaiDate(app.clock.now()) },
    formError: extras.challenge?.formError,
  };
}

/** 监督意见 and 纠正通知 about the case: for the justice bureau, and for the agency's legal unit and head. */
async function supervisionSection(app: FastifyInstance, actor: Actor, c: CaseRow) {
  const bureau = actor.roles.some((r) => r === 'supervisor' || r === 'admin');
  const manages =
    c.department_id === actor.departmentId && actor.roles.some((r) => r === 'chief' || r === 'legal_admin');
  if (!bureau && !manages) return null;
  const items = await supervisionItems(app.db, { caseId: c.id }, app.clock.now());
  return { items, mayIssue: actor.roles.includes('supervisor') };
}

/** The case page: everything about one case, and what the caller may do on it. */
export async function renderCase(
  app: FastifyInstance,
  diagrams: ReturnType<typeof diagramCache>,
  reply: FastifyReply,
  actor: Actor,
  c: CaseRow,
  extras: CaseRenderExtras = {},
) {
  const now = app.clock.now();
  // Every part of the page that needs only the case and the caller is read at once (the similar-cases search is
  // the slowest: tens of ms at a million cases), not one after another.
  const [[detail, diagram, department, basis, discretion, hints], sections] = await Promise.all([
    Promise.all([
      caseDetail(app.cases, c),
      c.instance_id ? diagrams.forInstance(c.instance_id).catch(() => null) : null,
      findDepartmentById(app.db, c.department_id),
      basisCheck(app.db, c.packet as Packet, c.created_at),
      assessPacket(app.db, c.department_id, c.packet as Packet),
      c.review_requested ? hintsView(app, c) : [],
    ]),
    Promise.all([
      challengeSection(app, actor, c, extras),
      coordinationConfirmSection(app, actor, c, extras),
      supervisionSection(app, actor, c),
      transferSection(app.db, actor, c, now, extras.transfer),
      lifecycleView(app.db, c, now),
      caseDiscussions(app, actor, c),
      similarView(app, actor, c),
    ]),
  ]);
  const [challenges, coordinationConfirm, supervision, transfer, lifecycle, discussions, similar] = sections;
  const open = detail.tasks.filter((t) => t.status === 'open').map((t) => t.id);
  const [userName, extensions] = await Promise.all([
    userNames(app.db, c.department_id, detail),
    pendingExtensions(app, open),
  ]);
  const view = caseView(detail, { names: diagram?.names ?? null, userName, extensions, basis, discretion });
  // 签名有效 / 无效 from a fresh verification of each SM2 signature against the stored file.
  const checks = await checkCaseSignatures(app.records.files, app.db, c.id, app.records.trusted);
  const signatureOf = new Map(checks.map((x) => [x.documentId, x]));
  const documents = view.documents.map((d) => {
    const check = signatureOf.get(d.id);
    return { ...d, signatureLabel: check?.label ?? null, signatureValid: check?.valid ?? null };
  });
  return app.renderPage(
    reply,
    'case.hbs',
    {
      title: `${detail.caseNumber} ${detail.title}`,
      headExtra: [
        '<link rel="stylesheet" href="/assets/bpmn-js/assets/diagram-js.css">',
        '<link rel="stylesheet" href="/assets/case.css">',
        '<link rel="stylesheet" href="/assets/case-forms.css">',
        '<script src="/assets/bpmn-js/bpmn-navigated-viewer.production.min.js" defer></script>',
        '<script src="/assets/case-upload.js" defer></script>',
        '<script src="/assets/case.js" defer></script>',
      ].join('\n  '),
      c: detail,
      situations: declaredSituations(detail.facts),
      departmentName: department?.name ?? '',
      submittedByName: userName(c.submitted_by),
      ...view,
      documents,
      hints,
      mayUpload: mayUpload(actor, c),
      uploadThen: `/cases/${c.id}?flash=uploaded#attachments`,
      mayDecideExtensions:
        c.department_id === actor.departmentId && actor.roles.some((r) => r === 'chief' || r === 'legal_admin'),
      recordDirectly: mayRecordDirectly(actor, c)
        ? {
            values: extras.decision?.values ?? {
              date: instantToShanghaiDate(now),
              content: detail.packet.proposedDecision,
            },
            errors: extras.decision?.errors ?? {},
            formError: extras.decision?.formError,
          }
        : null,
      actorId: actor.id,
      challenges,
      coordinationConfirm,
      supervision,
      transfer,
      lifecycle,
      discussions,
      similar,
      flash: flashFor(extras.flash),
    },
    actor,
  );
}

/**
 * A unit head confirms an agreed coordination on the case page: shown while the case is at coordination to the
 * handling unit's head (without units, to the agency's officers) and to the review unit's head.
 */
async function coordinationConfirmSection(app: FastifyInstance, actor: Actor, c: CaseRow, extras: CaseRenderExtras) {
  if (c.status !== 'coordinating' || c.department_id !== actor.departmentId) return null;
  const side = await confirmingSide(app.db, actor, c).catch(() => null);
  if (!side) return null;
  const head = side === 'review' ? await reviewHead(app.db, c) : await handlingHead(app.db, c);
  const current = await app.db
    .selectFrom('coordination_confirmations')
    .select(['outcome', 'confirmed_at'])
    .where('case_id', '=', c.id)
    .where('round', '=', c.current_round)
    .where('side', '=', side)
    .executeTakeFirst();
  return {
    sideLabel: side === 'review' ? '法制审核机构负责人' : '承办机构负责人',
    unit: head?.unit ?? null,
    current: current ? { label: COORDINATION_LABELS[current.outcome], at: current.confirmed_at } : null,
    formError: extras.coordination?.formError,
  };
}

/** The floor situations (全市法制审核底线目录) the packet declares, as the reviewer reads them beside the verdict. */
const SITUATION_LABELS: [keyof CaseFacts, string][] = [
  ['publicInterest', '涉及重大公共利益'],
  ['socialImpact', '可能造成重大社会影响或引发社会风险'],
  ['thirdPartyAffected', '直接关系当事人或第三人重大权益'],
  ['hearingHeld', '经过听证程序'],
  ['complex', '案件情况疑难复杂、涉及多个法律关系'],
];

function declaredSituations(facts: Record<string, unknown>): string {
  const declared = SITUATION_LABELS.filter(([k]) => facts[k] === true).map(([, label]) => label);
  return declared.length ? declared.join('；') : '均未申报';
}
