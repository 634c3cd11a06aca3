import type { FastifyInstance } from 'fastify';
import { overridesOf } from '../../cases/decisions.js';
import * as cases from '../../cases/reads.js';
import { CHIEF_DECISION_LABELS, codeOf } from '../../cases/review-points.js';
import type { Conclusion, OpinionFinding } from '../../cases/tables.js';
import { assessPacket } from '../../discretion/assess.js';
import { benchmarkChoices } from '../../discretion/choices.js';
import { listUsers } from '../../identity/directory.js';
import { lifecycleView, stageLine } from '../../lifecycle/view.js';
import { instantToShanghaiDate } from '../../workdays/days.js';
import { basisCheck } from '../cases/basis-check.js';
import { hintsView, pointsWithHints } from '../cases/hints-view.js';
import { CONCLUSION_LABELS } from '../cases/labels.js';
import { changeView, discretionView, packetRows, type UserName } from '../cases/packet.js';
import { packetValues } from '../cases/submit-packet.js';
import { packetFormView } from '../cases/submit-view.js';
import { userNames } from '../cases/users.js';
import { attachmentKind, findingsView } from '../cases/view.js';
import type { TaskContext } from './context.js';
import type { FormValues } from './drafts.js';
import { fieldView, fieldViews, type Layout, reviewPoints } from './view.js';

type FieldErrors = Record<string, string>;
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** What a step's form starts with when the user has not written anything yet. */
export function initialValues(ctx: TaskContext, layout: Layout, now: Date): FormValues {
  const opinionReasons = ctx.latestOpinion?.reasons ?? '';
  switch (layout) {
    case 'packet':
      return ctx.packet ? packetValues(ctx.packet) : {};
    case 'coordinate':
      return { handlingPosition: str(ctx.variables.contestReasons), reviewPosition: opinionReasons };
    case 'record':
      // What was reviewed, or what the chief modified it to: recording anything else needs a reason.
      return {
        decisionContent: ctx.c?.chief_decision?.modifiedContent || (ctx.packet?.proposedDecision ?? ''),
        decisionDate: instantToShanghaiDate(now),
      };
    default:
      return {};
  }
}

function opinionView(ctx: TaskContext, userName: UserName) {
  const o = ctx.latestOpinion;
  if (!o) return null;
  return {
    id: o.id,
    round: o.round,
    reviewerName: userName(o.reviewer_id),
    createdAt: o.created_at,
    documentUrl: o.document_id ? `/api/cases/${o.case_id}/documents/${o.document_id}` : null,
    kindLabel: o.kind === 'rereview' ? '复核意见' : '审核意见',
    conclusion: o.conclusion,
    conclusionLabel: CONCLUSION_LABELS[o.conclusion] ?? o.conclusion,
    reasons: o.reasons,
    suggestions: o.suggestions,
    findings: findingsView(o.findings as OpinionFinding[]),
    problems: findingsView((o.findings as OpinionFinding[]).filter((f) => f.finding === 'nonconform')),
  };
}

/** The materials the catalogue item asks for, ticked as the packet declares them (or as the checker ticked them). */
async function acceptData(app: FastifyInstance, ctx: TaskContext, values: FormValues, submitted: boolean) {
  const item = ctx.c?.catalogue_item as { materials?: { name: string; required: boolean }[] } | null;
  const declared = ctx.packet?.materials ?? [];
  const listed = item?.materials ?? [];
  const extra = declared.filter((m) => !listed.some((x) => x.name === m)).map((name) => ({ name, required: false }));
  const ticked = submitted || values.material !== undefined ? many(values.material) : declared;
  const attachments = ctx.c ? await cases.listAttachments(app.db, ctx.c.id) : [];
  return {
    checklist: [...listed, ...extra].map((m, i) => ({
      ...m,
      id: `m-${i}`,
      declared: declared.includes(m.name),
      checked: ticked.includes(m.name),
    })),
    attachments: attachments.map((a) => ({ fileName: a.file_name, kind: attachmentKind(a.media_type) })),
  };
}

function chiefData(ctx: TaskContext, values: FormValues, errors: FieldErrors) {
  const decision = ctx.fields.find((f) => f.name === 'decision');
  const review = (ctx.latestOpinion?.conclusion ?? null) as Conclusion | null;
  const names: Record<string, string> = { review: '法制审核意见', proposal: '承办机构的拟处理意见' };
  const field = decision && fieldView(decision, values, errors);
  return {
    decisionField: field && {
      ...field,
      options: field.options.map((o) => {
        let overrides: string[] = [];
        try {
          overrides = overridesOf(codeOf(CHIEF_DECISION_LABELS, o.value), review).map((x) => names[x]);
        } catch {
          overrides = [];
        }
        return { ...o, overrides: overrides.join('、') };
      }),
    },
    otherFields: fieldViews(
      ctx.fields.filter((f) => f.name !== 'decision'),
      values,
      errors,
    ),
    coordination: str(ctx.variables.coordinationNote),
  };
}

/** The data of a step's special layout (the generic part is rendered from the remaining fields). */
export async function layoutData(
  app: FastifyInstance,
  ctx: TaskContext,
  layout: Layout,
  values: FormValues,
  errors: FieldErrors,
  submitted: boolean,
) {
  const userName: UserName = ctx.c ? await userNames(app.db, ctx.c.department_id) : () => '';
  const discretion = ctx.c && ctx.packet ? await assessPacket(app.db, ctx.c.department_id, ctx.packet) : null;
  const base = {
    discretionCheck: discretion && discretionView(discretion),
    opinion: opinionView(ctx, userName),
    contestReasons: str(ctx.variables.contestReasons),
    proposal: ctx.packet?.proposedDecision ?? '',
    packetRows: ctx.packet
      ? packetRows(
          ctx.packet,
          userName,
          ctx.c ? await basisCheck(app.db, ctx.packet, ctx.c.created_at) : undefined,
          discretion,
        )
      : [],
    roundChanges:
      ctx.latestRound && ctx.latestRound.round > 1
        ? {
            round: ctx.latestRound.round,
            note: ctx.latestRound.note,
            changes: (ctx.latestRound.changes as { field: string; before: unknown; after: unknown }[]).map((c) =>
              changeView(c, userName),
            ),
          }
        : null,
  };
  switch (layout) {
    case 'review':
    case 'rereview': {
      // A re-review is a new opinion: the reviewer answers every point again (a form without points has none).
      const { points, rest } = reviewPoints(ctx.fields, values, errors);
      // 程序合法: the reviewer sees the case's recorded stages (立案, 告知, 陈述申辩, 听证 …) beside that point.
      const lifecycle = ctx.c ? await lifecycleView(app.db, ctx.c, app.clock.now()) : null;
      const stages = lifecycle?.filedOn
        ? [
            `立案 ${lifecycle.filedOn}，办案期限至 ${lifecycle.decisionDueOn}`,
            ...lifecycle.stages.filter((x) => x.kind !== 'filing').map(stageLine),
          ]
        : [];
      const withStages = points.map((p) =>
        p.key === 'procedure' && stages.length
          ? { ...p, stages, stageFlags: lifecycle?.flags.map((f) => f.message) }
          : p,
      );
      const hints = ctx.c ? await hintsView(app, ctx.c) : [];
      return { ...base, hints, points: pointsWithHints(withStages, hints), fields: fieldViews(rest, values, errors) };
    }
    case 'accept':
      return {
        ...base,
        ...(await acceptData(app, ctx, values, submitted)),
        fields: fieldViews(ctx.fields, values, errors),
      };
    case 'chief':
      return { ...base, ...chiefData(ctx, values, errors) };
    case 'packet': {
      const editable = ctx.c && (ctx.c.status === 'completing' || ctx.c.status === 'correcting');
      const officers = ctx.c ? await listUsers(app.db, { departmentId: ctx.c.department_id, role: 'officer' }) : [];
      const item = ctx.c?.catalogue_item as { materials?: { name: string; required: boolean }[] } | null;
      return {
        ...base,
        missing: str(ctx.variables.missing)
          .split(/\r?\n/)
          .map((s) => s.trim())
          .filter(Boolean),
        packetForm: editable
          ? packetFormView(values, errors, {
              officers: officers.filter((u) => u.active).map((u) => ({ id: u.id, name: u.display_name })),
              catalogueMaterials: item?.materials ?? [],
              lockIdentity: true,
              benchmark: ctx.c ? await benchmarkChoices(app.db, ctx.c.department_id) : [],
            })
          : null,
        fields: fieldViews(ctx.fields, values, errors),
      };
    }
    default:
      return { ...base, fields: fieldViews(ctx.fields, values, errors) };
  }
}
