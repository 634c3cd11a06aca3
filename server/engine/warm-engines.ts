import type { CompiledDefinition } from './definition.js';
import type { EngineRun } from './engine-run.js';

interface WarmEntry {
  run: EngineRun;
  /** The instance row's version the engine's state was saved as. */
  version: number;
  definitionId: string;
  compiled: CompiledDefinition;
  /** Estimated bytes the engine holds (see `estimateBytes`). */
  bytes: number;
}

interface Kept extends WarmEntry {
  /** When it was put back (`now()`, milliseconds): an engine idle longer than `maxIdleMs` is let go. */
  at: number;
}

/**
 * Rough heap held by a live engine whose saved state is `stateChars` long. An engine builds every element of its
 * definition with its own broker and queues, so it holds far more than its state: measured with `--expose-gc`
 * on 300 kept engines, ~700 KB for bench/loop.bpmn (10 KB of state), ~930 KB for a task with two boundary
 * timers (15 KB), ~1.6 MB for tests/fixtures/bpmn/warm-model.bpmn (19 KB): 63–85 bytes per character of state.
 */
export function estimateBytes(stateChars: number): number {
  return stateChars * 80;
}

/**
 * Engines kept in memory after a command, so that the next command on the same instance skips recovery: a least
 * recently used map per process, bounded by count and by estimated memory, keyed by instance id and holding the
 * row version (and definition) the engine's state was saved as. It is only an optimisation, so every doubt is a
 * miss and the command recovers from the row as it always did:
 *
 * - `take` removes the entry: a command owns its engine until it commits, and two commands on one instance
 *   (serialised by the row lock, `q.lockInstance`) never share one. It answers only for the exact version and
 *   definition of the locked row; any other version (a command in another process, a recount of working days,
 *   a supersede, a failed command's retry) or definition (a migration) drops the entry.
 * - `put` happens only after the command's transaction committed and only for an engine that ended cleanly; a
 *   refused or failed command's engine, which may have moved before the error, is never put back.
 * - A put never replaces a newer version than its own (a later command may have committed and put first).
 * - An engine not used again within `maxIdleMs` is let go at the next take or put: a warm engine pays off when
 *   commands on one instance follow each other (a user working through a case, a burst of timers), and an
 *   engine kept past that only holds memory. Without this, a busy server's map filled with instances that were
 *   done and kept them until evicted by count or bytes (bench/rss.ts: 64 MB of engines of finished loops).
 */
export class WarmEngines {
  private readonly entries = new Map<string, Kept>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly maxCount: number,
    readonly maxBytes: number,
    readonly maxIdleMs = Number.POSITIVE_INFINITY,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get enabled(): boolean {
    return this.maxCount > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get heldBytes(): number {
    return this.bytes;
  }

  /** The version a kept engine of this instance was saved as, if one is kept; the entry stays where it is. */
  versionOf(instanceId: string): number | null {
    return this.entries.get(instanceId)?.version ?? null;
  }

  /** The engine saved as exactly this version of this instance on this compiled definition, taken out of the map. */
  take(
    row: { id: string; version: number; definition_id: string },
    compiled: CompiledDefinition,
  ): EngineRun | undefined {
    const { id: instanceId, version, definition_id: definitionId } = row;
    this.letIdleGo();
    const entry = this.entries.get(instanceId);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.remove(instanceId, entry);
    if (entry.version !== version || entry.definitionId !== definitionId || entry.compiled !== compiled) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return entry.run;
  }

  put(instanceId: string, entry: WarmEntry): void {
    if (!this.enabled || entry.bytes > this.maxBytes || !entry.run.reusable) return;
    const existing = this.entries.get(instanceId);
    if (existing) {
      if (existing.version > entry.version) return;
      this.remove(instanceId, existing);
    }
    this.letIdleGo();
    this.entries.set(instanceId, { ...entry, at: this.now() });
    this.bytes += entry.bytes;
    // Map iteration is insertion order, and every use re-inserts: the first entries are the least recently used.
    for (const [id, oldest] of this.entries) {
      if (this.entries.size <= this.maxCount && this.bytes <= this.maxBytes) break;
      this.remove(id, oldest);
    }
  }

  /** The row version an instance's warm engine was saved as, without taking it. */
  peek(instanceId: string): number | undefined {
    return this.entries.get(instanceId)?.version;
  }

  /** Forgets an instance's engine (its command failed, or the instance was changed outside a command). */
  drop(instanceId: string): void {
    const entry = this.entries.get(instanceId);
    if (entry) this.remove(instanceId, entry);
  }

  /** Forgets every engine, as a crash would. */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  /** Lets go of the engines idle longer than maxIdleMs: the oldest come first, so it stops at the first recent one. */
  private letIdleGo(): void {
    const cutoff = this.now() - this.maxIdleMs;
    for (const [id, oldest] of this.entries) {
      if (oldest.at >= cutoff) break;
      this.remove(id, oldest);
    }
  }

  private remove(instanceId: string, entry: WarmEntry): void {
    this.entries.delete(instanceId);
    this.bytes -= entry.bytes;
  }
}

/**
 * The estimated memory all warm engines of a process may hold together (ENGINE_CACHE_SIZE bounds their count):
 * about 90 engines of the bench's loop, 40–60 of a review process. It binds before the count does, and keeps a
 * server's heap within its budget (issue 17: RSS under 300 MB) however many instances are busy.
 */
export const WARM_ENGINES_MAX_BYTES = 64 * 1024 * 1024;
