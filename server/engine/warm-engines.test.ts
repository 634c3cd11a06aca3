import { describe, expect, it } from 'vitest';
import type { CompiledDefinition } from './definition.js';
import type { EngineRun } from './engine-run.js';
import { WarmEngines } from './warm-engines.js';

const compiled = {} as CompiledDefinition;
const engine = (reusable = true) => ({ reusable }) as unknown as EngineRun;
const entry = (run: EngineRun, version: number, bytes = 10) => ({ run, version, definitionId: 'd1', compiled, bytes });
const row = (id: string, version: number, definition_id = 'd1') => ({ id, version, definition_id });

describe('WarmEngines', () => {
  it('answers only for the exact version and definition, and hands an engine out once', () => {
    const warm = new WarmEngines(10, 1000);
    const run = engine();
    warm.put('i1', entry(run, 3));
    expect(warm.take(row('i1', 4), compiled)).toBeUndefined();
    // A mismatch drops the entry: the row moved on without this process.
    warm.put('i1', entry(run, 3));
    expect(warm.take(row('i1', 3, 'd2'), compiled)).toBeUndefined();
    warm.put('i1', entry(run, 3));
    expect(warm.take(row('i1', 3), {} as CompiledDefinition)).toBeUndefined();
    warm.put('i1', entry(run, 3));
    expect(warm.take(row('i1', 3), compiled)).toBe(run);
    expect(warm.take(row('i1', 3), compiled)).toBeUndefined();
    expect(warm.size).toBe(0);
  });

  it('keeps the newer version when a slower command puts its engine back late', () => {
    const warm = new WarmEngines(10, 1000);
    const newer = engine();
    warm.put('i1', entry(newer, 5));
    warm.put('i1', entry(engine(), 4));
    expect(warm.take(row('i1', 5), compiled)).toBe(newer);
  });

  it('never keeps an engine whose command failed or was refused', () => {
    const warm = new WarmEngines(10, 1000);
    warm.put('i1', entry(engine(false), 1));
    expect(warm.size).toBe(0);
  });

  it('evicts the least recently used beyond its count or its bytes, and is off at size 0', () => {
    const warm = new WarmEngines(2, 25);
    const [a, b, c] = [engine(), engine(), engine()];
    warm.put('a', entry(a, 1));
    warm.put('b', entry(b, 1));
    warm.put('c', entry(c, 1));
    expect(warm.peek('a')).toBeUndefined();
    expect([warm.peek('b'), warm.peek('c')]).toEqual([1, 1]);
    // Used again, b is the most recent: a large entry pushes out c, the least recent, to fit the bytes.
    warm.put('b', entry(warm.take(row('b', 1), compiled)!, 2));
    warm.put('d', entry(engine(), 1, 15));
    expect(warm.peek('c')).toBeUndefined();
    expect(warm.peek('b')).toBe(2);
    expect(warm.heldBytes).toBe(25);
    warm.put('e', entry(engine(), 1, 26)); // larger than the whole budget: not kept, nothing evicted for it
    expect(warm.size).toBe(2);

    const off = new WarmEngines(0, 1000);
    off.put('a', entry(a, 1));
    expect(off.size).toBe(0);
  });

  it('lets go of an engine not used again within its idle time', () => {
    let now = 0;
    const warm = new WarmEngines(10, 1000, 30_000, () => now);
    warm.put('a', entry(engine(), 1));
    now = 20_000;
    warm.put('b', entry(engine(), 1));
    now = 30_000;
    expect(warm.take(row('a', 1), compiled)).toBeDefined(); // idle exactly the limit: still kept
    warm.put('a', entry(engine(), 2));
    now = 50_001;
    // b was put at 20 s: idle 30,001 ms, so it is gone; a, put back at 30 s, stays.
    expect(warm.take(row('b', 1), compiled)).toBeUndefined();
    expect(warm.peek('a')).toBe(2);
    expect(warm.heldBytes).toBe(10);
    now = 60_001;
    warm.put('c', entry(engine(), 1));
    expect([warm.peek('a'), warm.size]).toEqual([undefined, 1]);
  });
});
