import type { RawBuilder, Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import type { CompiledDefinition } from './definition.js';

export interface ServiceCall {
  trx: Transaction<DB>;
  instanceId: string;
  /** The deployed definition the instance runs (e.g. to tell what the flow does after this service task). */
  definition: CompiledDefinition;
  departmentId: string;
  elementId: string;
  variables: Readonly<Record<string, unknown>>;
  actorId: string | null;
  /** Appends an entry to the instance history in the same transaction. */
  record(type: string, payload: Record<string, unknown>): void;
}

/** A side effect a BPMN service task may call by name. What it returns is merged into the case variables. */
export type ServiceFn = (call: ServiceCall) => Promise<Record<string, unknown> | undefined>;

/**
 * The whitelist of service functions. Deploy refuses a serviceTask whose fashen:service is not listed here;
 * capabilities add their own functions when the app is built.
 */
export class ServiceRegistry {
  private readonly services = new Map<string, ServiceFn>();

  constructor() {
    this.add('record', async (call) => {
      call.record('service.record', { elementId: call.elementId });
      return undefined;
    });
  }

  add(name: string, fn: ServiceFn): void {
    if (this.services.has(name)) throw new Error(`service ${name} registered twice`);
    this.services.set(name, fn);
  }

  get(name: string): ServiceFn | undefined {
    return this.services.get(name);
  }

  get names(): readonly string[] {
    return [...this.services.keys()];
  }
}

/** What became of a timer job: fired, nothing to do, or too early (BullMQ delivered before the due time). */
export type TimerOutcome = { kind: 'fired' } | { kind: 'stale'; reason: string } | { kind: 'early'; dueAt: Date };

/** Fires one pending timer of a kind; it re-reads the database under its own lock and may find nothing to do. */
export type TimerHandler = (timerId: string) => Promise<TimerOutcome>;

/**
 * Who fires each kind of timer. The engine registers its own (BPMN timers, task deadlines and reminders);
 * a capability that keeps timers of its own (e.g. disclosure deadlines) registers their kinds at assembly.
 */
export class TimerKindRegistry {
  private readonly handlers = new Map<string, TimerHandler>();

  add(kind: string, handler: TimerHandler): void {
    if (this.handlers.has(kind)) throw new Error(`timer kind ${kind} registered twice`);
    this.handlers.set(kind, handler);
  }

  get(kind: string): TimerHandler | undefined {
    return this.handlers.get(kind);
  }

  get kinds(): readonly string[] {
    return [...this.handlers.keys()];
  }
}

/** An instance history event as stored, with the time the database gave it. */
export interface StoredHistoryEvent {
  instance_id: string;
  type: string;
  element_id: string | null;
  actor_id: string | null;
  payload: Record<string, unknown>;
  at: Date;
}

/**
 * Called in the transaction that wrote the events, so what it writes commits or rolls back with them. `locked` is
 * what the listener's `withLock` read of the instance a command locked, when all the events are that instance's.
 */
export type HistoryListener = (
  trx: Transaction<DB>,
  events: StoredHistoryEvent[],
  locked?: { instanceId: string; value: unknown },
) => Promise<void>;

/**
 * A scalar SQL expression over the locked instance's id (e.g. the id of the case it serves), evaluated by the
 * statement that locks an instance for a command: the listener gets it without a statement of its own.
 */
export type LockedLookup = (instanceId: RawBuilder<string>) => RawBuilder<unknown>;

/** Subscribers to the instance history (e.g. the whole-process record of the case an instance serves). */
export class HistoryListeners {
  private readonly listeners: { listener: HistoryListener; withLock?: LockedLookup }[] = [];
  /** The lookups the lock statement evaluates, in the order `notify` expects their values. */
  readonly lockedLookups: LockedLookup[] = [];

  add(listener: HistoryListener, opts: { withLock?: LockedLookup } = {}): void {
    this.listeners.push({ listener, withLock: opts.withLock });
    if (opts.withLock) this.lockedLookups.push(opts.withLock);
  }

  async notify(
    trx: Transaction<DB>,
    events: StoredHistoryEvent[],
    locked?: { instanceId: string; values: readonly unknown[] },
  ): Promise<void> {
    if (events.length === 0) return;
    const ofLocked = locked && events.every((e) => e.instance_id === locked.instanceId) ? locked : undefined;
    let i = 0;
    for (const { listener, withLock } of this.listeners) {
      const value = withLock ? ofLocked?.values[i++] : undefined;
      await listener(trx, events, withLock && ofLocked ? { instanceId: ofLocked.instanceId, value } : undefined);
    }
  }
}
