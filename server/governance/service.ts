import type { BaseElement } from 'bpmn-moddle';
import type { Kysely, Transaction } from 'kysely';
import { type CatalogueItem, readCatalogue } from '../../workflows/lint/catalogue.js';
import type { DB } from '../database/schema.js';
import { findLatestDefinition } from '../definitions/latest.js';
import { parseBpmn } from '../definitions/parse.js';
import { getDefinitionVersion, sha256Of, storeVersion } from '../definitions/service.js';
import { type ValidateOptions, validateBpmn } from '../definitions/validate.js';
import { AppError } from '../http/errors.js';
import type { Clock } from '../infra/clock.js';
import { documentBasisWarnings } from '../laws/catalogue-warnings.js';
import { diffXml } from '../modeler/diff.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { diffCatalogues } from './catalogue-diff.js';
import type { CatalogueDiff, FlowDiff } from './diff-types.js';
import * as q from './queries.js';

/** What is told when a request is made or decided (the webhook fan-out listens). */
export interface ChangeEvent {
  type: 'deployment.requested' | 'deployment.approved' | 'deployment.rejected' | 'deployment.direct';
  requestId: string;
  seq: number;
  departmentId: string;
  actorId: string | null;
  at: Date;
  data: Record<string, unknown>;
}

export interface GovernanceContext {
  db: Kysely<DB>;
  clock: Clock;
  /** Written in the transaction of the act it tells of (so it exists exactly when the act committed). */
  notify?: (trx: Transaction<DB>, event: ChangeEvent) => Promise<void>;
}

type Root = { rootElement: BaseElement };
const childrenOf = (e: BaseElement, p: string) => ((e as Record<string, unknown>)[p] ?? []) as BaseElement[];

function catalogueOf(context: Root, processKey: string): CatalogueItem[] {
  const process = childrenOf(context.rootElement, 'rootElements').find(
    (e) => e.$type === 'bpmn:Process' && e.id === processKey,
  );
  return process ? readCatalogue(process) : [];
}

async function flowDiff(before: string | null, after: string): Promise<FlowDiff> {
  if (before === null) return { added: [], removed: [], changed: [] };
  const d = await diffXml(before, after);
  return { added: d.added, removed: d.removed, changed: d.changed };
}

/** The diffs of a validated document against the latest deployed version of its process. */
async function diffsAgainstLatest(db: Kysely<DB>, departmentId: string, processKey: string, xml: string, parsed: Root) {
  const latest = await findLatestDefinition(db, departmentId, processKey);
  const before = latest ? await getDefinitionVersion(db, departmentId, processKey, latest.version) : null;
  const catalogue: CatalogueDiff = diffCatalogues(
    before ? catalogueOf(await parseBpmn(before.xml), processKey) : [],
    catalogueOf(parsed, processKey),
  );
  return { latest, catalogue, flow: await flowDiff(before?.xml ?? null, xml) };
}

export interface ProposeInput {
  departmentId: string;
  xml: string;
  note: string;
  submittedBy: string;
  checks: ValidateOptions;
}

/**
 * A legal admin proposes a deployment: the document must pass every deploy check now (a flow that bypasses the
 * review gate is refused here, with the rule's message), a change note is required, and one request per process
 * may be open at a time. The XML of the latest version is no change (`unchanged` names that version).
 */
export async function proposeDeployment(ctx: GovernanceContext, input: ProposeInput) {
  const note = input.note.trim();
  if (note === '') throw new AppError(400, 'BAD_REQUEST', '部署申请须填写变更说明');
  const { processKey, name, moddleContext } = await validateBpmn(input.xml, input.checks);
  const sha256 = sha256Of(input.xml);
  const { latest, catalogue, flow } = await diffsAgainstLatest(
    ctx.db,
    input.departmentId,
    processKey,
    input.xml,
    moddleContext,
  );
  if (latest?.sha256 === sha256) return { unchanged: latest } as const;
  if (await q.findPending(ctx.db, input.departmentId, processKey)) throw pendingExists(processKey);
  const at = ctx.clock.now();
  // The catalogue's legal bases against the law library: warnings the legal admin sees, never a refusal.
  const warnings = await documentBasisWarnings(
    ctx.db,
    moddleContext.rootElement,
    processKey,
    instantToShanghaiDate(at),
  );
  try {
    const id = await ctx.db.transaction().execute(async (trx) => {
      const row = await q.insertRequest(trx, {
        department_id: input.departmentId,
        process_key: processKey,
        name,
        xml: input.xml,
        sha256,
        base_version: latest?.version ?? null,
        change_note: note,
        catalogue_diff: JSON.stringify(catalogue),
        flow_diff: JSON.stringify(flow),
        submitted_by: input.submittedBy,
        submitted_at: at,
      });
      await ctx.notify?.(trx, {
        type: 'deployment.requested',
        requestId: row.id,
        seq: 1,
        departmentId: input.departmentId,
        actorId: input.submittedBy,
        at,
        data: { processKey, name, baseVersion: latest?.version ?? null, changeNote: note, catalogueDiff: catalogue },
      });
      return row.id;
    });
    return { unchanged: null, request: await requireRequest(ctx.db, id), warnings } as const;
  } catch (err) {
    // The partial unique index: another request for this process was made at the same moment.
    if ((err as { code?: string }).code === '23505') throw pendingExists(processKey);
    throw err;
  }
}

function pendingExists(processKey: string) {
  return new AppError(409, 'CONFLICT', `流程 ${processKey} 已有待审批的部署申请，须先审批或驳回该申请`);
}

export async function requireRequest(db: Kysely<DB> | Transaction<DB>, id: string) {
  const row = await q.findRequest(db, id);
  if (!row) throw new AppError(404, 'NOT_FOUND', '没有这个部署申请');
  return row;
}

export interface Decider {
  id: string;
  departmentId: string;
}

/** The checks every decision shares: the request is open, in the decider's department, and not their own. */
function checkDecider(row: { department_id: string; submitted_by: string | null; status: string }, by: Decider) {
  if (row.department_id !== by.departmentId) throw new AppError(404, 'NOT_FOUND', '没有这个部署申请');
  if (row.status !== 'pending') throw new AppError(409, 'CONFLICT', '该部署申请已经处理，不能再次审批');
  if (row.submitted_by === by.id) {
    throw new AppError(
      409,
      'CONFLICT',
      '不能审批本人提交的部署申请：流程和目录清单的变更须由本机关另一名法制机构管理员审批（双人复核）',
      { reason: 'SELF_APPROVAL' },
    );
  }
}

/**
 * A second legal admin of the department approves: the document is checked again with today's rules and
 * deployed as the next version in the same transaction as the approval. If another version was deployed since
 * the request was made, the diffs shown are out of date: the request stays open and must be made again.
 */
export async function approveDeployment(ctx: GovernanceContext, id: string, by: Decider, checks: ValidateOptions) {
  const pending = await q.findRequestRow(ctx.db, id);
  if (!pending) throw new AppError(404, 'NOT_FOUND', '没有这个部署申请');
  checkDecider(pending, by);
  const { processKey, name } = await validateBpmn(pending.xml, checks);
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await q.lockRequest(trx, id);
    if (!row) throw new AppError(404, 'NOT_FOUND', '没有这个部署申请');
    checkDecider(row, by);
    const stored = await storeVersion(
      trx,
      {
        departmentId: row.department_id,
        processKey,
        name,
        xml: row.xml,
        deployedBy: row.submitted_by,
        changeNote: row.change_note,
      },
      row.base_version,
    );
    if ('stale' in stored) {
      throw new AppError(
        409,
        'CONFLICT',
        `提出申请后本流程已部署了第 ${stored.stale} 版，差异已经过时：请驳回本申请，由提出人基于最新版本重新提交`,
      );
    }
    await q.decide(trx, id, {
      status: 'approved',
      decidedBy: by.id,
      at,
      definitionId: stored.id,
      version: stored.version,
    });
    await ctx.notify?.(trx, {
      type: 'deployment.approved',
      requestId: id,
      seq: 2,
      departmentId: row.department_id,
      actorId: by.id,
      at,
      data: {
        processKey,
        name,
        version: stored.version,
        baseVersion: row.base_version,
        submittedBy: row.submitted_by,
        changeNote: row.change_note,
        catalogueDiff: row.catalogue_diff,
      },
    });
  });
  return requireRequest(ctx.db, id);
}

/** A second legal admin rejects, saying why; nothing is deployed. */
export async function rejectDeployment(ctx: GovernanceContext, id: string, by: Decider, reason: string) {
  const why = reason.trim();
  if (why === '') throw new AppError(400, 'BAD_REQUEST', '驳回部署申请须说明理由');
  const at = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await q.lockRequest(trx, id);
    if (!row) throw new AppError(404, 'NOT_FOUND', '没有这个部署申请');
    checkDecider(row, by);
    await q.decide(trx, id, { status: 'rejected', decidedBy: by.id, at, reason: why });
    await ctx.notify?.(trx, {
      type: 'deployment.rejected',
      requestId: id,
      seq: 2,
      departmentId: row.department_id,
      actorId: by.id,
      at,
      data: { processKey: row.process_key, name: row.name, reason: why, submittedBy: row.submitted_by },
    });
  });
  return requireRequest(ctx.db, id);
}

export interface DirectInput {
  departmentId: string;
  xml: string;
  deployedBy: string | null;
  changeNote?: string | null;
  checks: ValidateOptions;
}

/**
 * A deploy without a second person: only from the server's command line (`fashen deploy`, the demo loader),
 * for setting up a department before it has two legal admins and for operators' emergencies. It is recorded as
 * `direct` with its diffs and told to the supervisors like any other change.
 */
export async function deployDirectly(db: Kysely<DB>, input: DirectInput, notify?: GovernanceContext['notify']) {
  const { processKey, name, moddleContext } = await validateBpmn(input.xml, input.checks);
  const { catalogue, flow } = await diffsAgainstLatest(db, input.departmentId, processKey, input.xml, moddleContext);
  const note = input.changeNote?.trim() || '运维人员通过命令行直接部署';
  return db.transaction().execute(async (trx) => {
    const stored = await storeVersion(trx, { ...input, processKey, name, changeNote: note });
    if ('stale' in stored) throw new Error('unreachable: no expected version was given');
    if (!stored.created) return stored;
    const at = stored.deployedAt;
    const row = await q.insertRequest(trx, {
      department_id: input.departmentId,
      process_key: processKey,
      name,
      xml: input.xml,
      sha256: stored.sha256,
      base_version: stored.version > 1 ? stored.version - 1 : null,
      change_note: note,
      catalogue_diff: JSON.stringify(catalogue),
      flow_diff: JSON.stringify(flow),
      status: 'direct',
      submitted_by: input.deployedBy,
      submitted_at: at,
      decided_at: at,
      definition_id: stored.id,
      version: stored.version,
    });
    await notify?.(trx, {
      type: 'deployment.direct',
      requestId: row.id,
      seq: 1,
      departmentId: input.departmentId,
      actorId: input.deployedBy,
      at,
      data: { processKey, name, version: stored.version, changeNote: note, catalogueDiff: catalogue },
    });
    return stored;
  });
}

/** For the justice bureau's dashboard: changes that took effect since `since`, and proposals still open. */
export async function changeCounts(db: Kysely<DB>, since: Date) {
  const row = await db
    .selectFrom('deployment_requests')
    .select((eb) => [
      eb.fn
        .countAll<string>()
        .filterWhere((w) => w.and([w('status', 'in', ['approved', 'direct']), w('submitted_at', '>=', since)]))
        .as('recent'),
      eb.fn.countAll<string>().filterWhere('status', '=', 'pending').as('pending'),
    ])
    .executeTakeFirstOrThrow();
  return { recent: Number(row.recent), pending: Number(row.pending) };
}
