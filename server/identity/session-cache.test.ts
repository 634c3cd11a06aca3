import { describe, expect, it } from 'vitest';
import { SessionCache } from './session-cache.js';

function cache(max = 3) {
  let now = 0;
  const c = new SessionCache<string>({ max, ttlMs: 1000, writeQuietMs: 100, now: () => now });
  let reads = 0;
  const read = (row: string | undefined) => async () => {
    reads++;
    return row;
  };
  return {
    c,
    read,
    reads: () => reads,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('the session cache', () => {
  it('holds nothing until notices are heard, then serves what it read', async () => {
    const { c, read, reads } = cache();
    expect(await c.get('a', read('A'))).toBe('A');
    expect(await c.get('a', read('A'))).toBe('A');
    expect(reads()).toBe(2);
    c.listening(true);
    await c.get('a', read('A'));
    expect(await c.get('a', read('changed'))).toBe('A');
    expect(reads()).toBe(3);
  });

  it('forgets everything on a notice, and on losing the notices', async () => {
    const { c, read } = cache();
    c.listening(true);
    await c.get('a', read('A'));
    c.changed();
    expect(await c.get('a', read('A2'))).toBe('A2');
    c.listening(false);
    expect(await c.get('a', read('A3'))).toBe('A3');
    c.listening(true);
    expect(await c.get('a', read('A4'))).toBe('A4');
    expect(await c.get('a', read('x'))).toBe('A4');
  });

  it('does not keep a read that a notice overtook', async () => {
    const { c, read } = cache();
    c.listening(true);
    let release!: () => void;
    const slow = c.get('a', async () => {
      await new Promise<void>((r) => {
        release = r;
      });
      return 'old';
    });
    c.changed();
    release();
    expect(await slow).toBe('old');
    expect(await c.get('a', read('new'))).toBe('new');
  });

  it('holds and serves nothing for a while after a write of this process', async () => {
    const { c, read, advance } = cache();
    c.listening(true);
    await c.get('a', read('A'));
    c.writing();
    expect(await c.get('a', read('B'))).toBe('B');
    expect(await c.get('a', read('C'))).toBe('C');
    advance(100);
    expect(await c.get('a', read('D'))).toBe('D');
    expect(await c.get('a', read('E'))).toBe('D');
  });

  it('reads again after the ttl, keeps no miss, and lets the least recently used go', async () => {
    const { c, read, advance } = cache(2);
    c.listening(true);
    expect(await c.get('none', read(undefined))).toBeUndefined();
    expect(c.state.held).toBe(0);
    await c.get('a', read('A'));
    await c.get('b', read('B'));
    await c.get('a', read('x'));
    await c.get('c', read('C'));
    expect(c.state.held).toBe(2);
    expect(await c.get('b', read('B2'))).toBe('B2');
    expect(await c.get('a', read('A2'))).toBe('A2');
    advance(1000);
    expect(await c.get('a', read('A3'))).toBe('A3');
  });
});
