import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import { DomainError } from '../infra/errors.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import { addWorkingDays } from '../workdays/deadlines.js';
import type { RuntimeContext } from './context.js';
import type { CompiledDefinition } from './definition.js';
import { EngineRun, type EngineRunOptions, RunawayError } from './engine-run.js';
import { EngineError } from './errors.js';
import { appendHistory } from './history.js';
import { type HistoryEvent, materialize } from './materialize.js';
import { deliverCommitted, type OutboxRow } from './outbox.js';
import * as q from './queries.js';
import type { InstanceRow } from './tables.js';
import { estimateBytes, type WarmEngines } from './warm-engines.js';
import { WriteBatch } from './write-batch.js';

/** A command on an instance, as stored with a failure so that it can be retried. */
export type Command =
  | { kind: 'start' }
  | { kind: 'completeTask'; taskId: string; payload: Record<string, unknown> }
  | { kind: 'fireTimer'; timerId: string };

export interface CommandResult {
  instanceId: string;
  status: InstanceRow['status'];
  version: number;
  /** The instance's open user tasks after the command, so a client can go straight to the next one. */
  openTasks: { id: string; elementId: string }[];
}

/** The instance's open task rows, read once under the lock. */
export type OpenTaskRows = NonNullable<Awaited<ReturnType<typeof q.lockInstanceWithWaiting>>>['waiting']['tasks'];

/** What a command does to the engine once it has been recovered. Returns the task it completed, if any. */
type Act = (
  run: EngineRun,
  trx: Transaction<DB>,
  openTasks: OpenTaskRows,
) => Promise<{ completedTaskId?: string } | undefined>;

/**
 * The one way an instance changes: lock → recover → act → run until every token waits → save state with
 * version+1 → materialize tasks and timers → outbox → commit → deliver. Refusals (DomainError) change
 * nothing; any other failure leaves the state as it was and marks the instance failed with the command.
 */
export async function runCommand(
  ctx: RuntimeContext,
  target:
    | { instanceId: string }
    | {
        create: Parameters<typeof q.insertInstance>[1];
        /** Runs in the same transaction right after the instance row exists (e.g. to insert the case it serves). */
        onCreate?: (trx: Transaction<DB>, instanceId: string) => Promise<void>;
      },
  command: Command,
  actorId: string | null,
  act: Act,
  opts: { allowFailed?: boolean } = {},
): Promise<CommandResult> {
  let outbox: OutboxRow[] = [];
  let direct: Omit<OutboxRow, 'id'>[] = [];
  let result: CommandResult;
  const instanceId = 'instanceId' in target ? target.instanceId : undefined;
  // The command's engine, and what it was saved as: kept warm once (and only if) the transaction commits.
  let kept: EngineRun | undefined;
  let keep: Omit<Parameters<WarmEngines['put']>[1], 'run'> | undefined;
  try {
    result = await ctx.db.transaction().execute(async (trx) => {
      // Locked with its open tasks and timers in one statement (without the saved state when an engine saved as the
      // row's version is kept warm); a new instance has none.
      const locked =
        'instanceId' in target
          ? await q.lockInstanceWithWaiting(
              trx,
              target.instanceId,
              ctx.warm?.versionOf(target.instanceId) ?? null,
              ctx.history.lockedLookups,
            )
          : await q.insertInstance(trx, target.create).then((row) => ({
              row,
              // Its created_at is the column's default, now(): the transaction's time.
              at: row.created_at,
              stateOmitted: false,
              lookedUp: undefined,
              waiting: { tasks: [], timers: [] },
            }));
      if (!locked) throw new EngineError('not_found', 'INSTANCE_NOT_FOUND', '流程实例不存在');
      const row = locked.row;
      if ('onCreate' in target && target.onCreate) await target.onCreate(trx, row.id);
      if (row.status === 'completed' || (row.status === 'failed' && !opts.allowFailed)) {
        throw new EngineError('conflict', 'INSTANCE_NOT_RUNNING', `流程实例当前状态为 ${row.status}，不能执行此操作`, {
          status: row.status,
        });
      }
      const compiled = await ctx.cache.get(trx, row.definition_id);
      const events: HistoryEvent[] = [];
      const variables = { ...row.variables };
      const calendar = await ctx.calendar.calendarFor(trx);
      const runOpts: EngineRunOptions = {
        stepBudget: ctx.stepBudget,
        dueAfterWorkingDays: (n) => {
          const basisDate = instantToShanghaiDate(ctx.clock.now());
          const { dueAt, provisional } = addWorkingDays(calendar, basisDate, n);
          return { dueAt, basisDate, provisional };
        },
        now: () => ctx.clock.now(),
        invokeService: (elementId, name) =>
          invokeService(ctx, trx, row, compiled, variables, elementId, name, actorId, events),
      };
      // A warm engine saved as exactly this row (version, definition, running) stands in for recovering it.
      const hasState = locked.stateOmitted || row.state !== null;
      const resumable = hasState && row.status === 'running';
      if (!resumable) ctx.warm?.drop(row.id);
      const warm = resumable ? ctx.warm?.take(row, compiled) : undefined;
      let run: EngineRun;
      if (warm?.rebind(variables, runOpts)) run = warm;
      else {
        run = new EngineRun(compiled, variables, runOpts);
        if (hasState) await run.recover(locked.stateOmitted ? await q.instanceState(trx, row.id) : row.state);
        else {
          events.push(historyEvent(row.id, 'instance.started', null, actorId, { definitionId: row.definition_id }));
          await run.start();
        }
      }
      kept = run;
      const waiting = locked.waiting;
      const openTasks = waiting.tasks;
      const acted = await act(run, trx, openTasks);
      const status = run.completed ? 'completed' : 'running';
      const version = row.version + 1;
      const batch = new WriteBatch();
      const stateJson = JSON.stringify(await run.getState());
      batch.add(q.saveInstance(trx, row.id, { stateJson, variables, status, version }));
      if (status === 'running' && ctx.warm?.enabled) {
        keep = {
          version,
          definitionId: row.definition_id,
          compiled,
          bytes: estimateBytes(stateJson.length),
        };
      }
      const m = await materialize(trx, batch, row, run, openTasks, waiting.timers, {
        completedTaskId: acted?.completedTaskId,
        actorId,
        now: ctx.clock.now(),
        calendar,
      });
      const closing = status === 'completed' ? [historyEvent(row.id, 'instance.completed', null, actorId, {})] : [];
      const history = [...events, ...m.events, ...closing];
      // The history listeners first, in the same transaction, with the time the history rows get (the
      // transaction's); then instance, tasks, timers, history and outbox in one statement, the transaction's last,
      // sent with its COMMIT. Nothing may run in the transaction after it.
      await ctx.history.notify(
        trx,
        history.map((e) => ({ ...e, at: locked.at })),
        locked.lookedUp && { instanceId: row.id, values: locked.lookedUp },
      );
      if (history.length) batch.add(q.batchedEvents(trx, history));
      const written = await batch.flush(
        trx,
        { outbox: m.outbox.length ? q.insertOutboxReturningId(trx, m.outbox) : undefined },
        { last: true },
      );
      outbox = m.outbox.map((o, i) => ({ ...o, id: written.outboxIds[i] }));
      direct = m.direct;
      return { instanceId: row.id, status, version, openTasks: m.openTasks };
    });
  } catch (err) {
    // Refused or failed: the engine may have moved before the error, so it is never reused (and any other
    // engine of the instance is forgotten too; the next command recovers from the row).
    if (instanceId) ctx.warm?.drop(instanceId);
    if (err instanceof DomainError) throw err;
    const failure = describeFailure(err);
    ctx.log.warn({ err, instanceId, command: command.kind }, 'process command failed');
    const failedId = instanceId
      ? await recordFailure(ctx, instanceId, command, actorId, failure)
      : await recordFailedStart(ctx, target, command, failure);
    throw new EngineError('unprocessable', 'PROCESS_FAILED', `流程执行失败：${failure.message}`, {
      instanceId: failedId,
      ...failure,
    });
  }
  if (kept && keep) ctx.warm?.put(result.instanceId, { ...keep, run: kept });
  await deliverCommitted(ctx, outbox, direct).catch((err) => {
    // Committed already; the relay loop delivers what was not delivered here.
    ctx.log.warn({ err }, 'outbox delivery deferred to relay');
  });
  return result;
}

function historyEvent(
  instanceId: string,
  type: string,
  elementId: string | null,
  actorId: string | null,
  payload: Record<string, unknown>,
): HistoryEvent {
  return { instance_id: instanceId, type, element_id: elementId, actor_id: actorId, payload };
}

function describeFailure(err: unknown): { code: string; message: string } {
  if (err instanceof RunawayError) return { code: 'STEP_BUDGET_EXCEEDED', message: err.message };
  if (err instanceof RangeError) return { code: 'STEP_BUDGET_EXCEEDED', message: `流程执行失控：${err.message}` };
  // A database's own message (constraint names, encodings, SQL) is for the log, which has it; not for a client.
  const sqlState = (err as { code?: unknown; severity?: unknown } | null)?.code;
  if (typeof (err as { severity?: unknown })?.severity === 'string' && typeof sqlState === 'string') {
    return { code: 'ENGINE_ERROR', message: `数据库未能保存本次操作（SQLSTATE ${sqlState}），详情见服务日志` };
  }
  return { code: 'ENGINE_ERROR', message: err instanceof Error ? err.message : String(err) };
}

async function recordFailure(
  ctx: RuntimeContext,
  instanceId: string,
  command: Command,
  actorId: string | null,
  failure: { code: string; message: string },
): Promise<string> {
  await ctx.db.transaction().execute(async (trx) => {
    await q.markInstanceFailed(trx, instanceId, { ...failure, command, at: ctx.clock.now().toISOString() });
    await appendHistory(ctx, trx, [
      historyEvent(instanceId, 'instance.failed', null, actorId, { ...failure, command: command.kind }),
    ]);
  });
  return instanceId;
}

/** A start that fails still leaves an instance behind, marked failed, so an operator sees and can retry it. */
async function recordFailedStart(
  ctx: RuntimeContext,
  target: Parameters<typeof runCommand>[1],
  command: Command,
  failure: { code: string; message: string },
): Promise<string | undefined> {
  if (!('create' in target)) return undefined;
  return ctx.db.transaction().execute(async (trx) => {
    const row = await q.insertInstance(trx, {
      ...target.create,
      status: 'failed',
      error: { ...failure, command, at: ctx.clock.now().toISOString() },
    });
    await appendHistory(ctx, trx, [historyEvent(row.id, 'instance.failed', null, target.create.startedBy, failure)]);
    return row.id;
  });
}

async function invokeService(
  ctx: RuntimeContext,
  trx: Transaction<DB>,
  row: InstanceRow,
  definition: CompiledDefinition,
  variables: Record<string, unknown>,
  elementId: string,
  name: string,
  actorId: string | null,
  events: HistoryEvent[],
) {
  const fn = ctx.services.get(name);
  if (!fn) throw new Error(`服务 ${name} 未注册`);
  return fn({
    trx,
    instanceId: row.id,
    definition,
    departmentId: row.department_id,
    elementId,
    variables,
    actorId,
    record: (type, payload) => events.push(historyEvent(row.id, type, elementId, actorId, payload)),
  });
}
