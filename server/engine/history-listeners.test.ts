import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '../database/schema.js';
import { HistoryListeners, type StoredHistoryEvent } from './registry.js';

const trx = {} as Transaction<DB>;
const event = (instanceId: string): StoredHistoryEvent => ({
  instance_id: instanceId,
  type: 'task.completed',
  element_id: null,
  actor_id: null,
  payload: {},
  at: new Date(0),
});

describe('history listeners with a lookup read under the instance lock', () => {
  function listeners() {
    const heard: { name: string; locked: unknown }[] = [];
    const h = new HistoryListeners();
    h.add(async (_t, _e, locked) => void heard.push({ name: 'plain', locked }));
    h.add(async (_t, _e, locked) => void heard.push({ name: 'first', locked }), { withLock: (id) => sql`${id}` });
    h.add(async (_t, _e, locked) => void heard.push({ name: 'second', locked }), { withLock: (id) => sql`${id}` });
    return { h, heard };
  }

  it('gives each listener the value of its own lookup, and none to a listener without one', async () => {
    const { h, heard } = listeners();
    expect(h.lockedLookups).toHaveLength(2);
    await h.notify(trx, [event('i1'), event('i1')], { instanceId: 'i1', values: ['a', null] });
    expect(heard).toEqual([
      { name: 'plain', locked: undefined },
      { name: 'first', locked: { instanceId: 'i1', value: 'a' } },
      { name: 'second', locked: { instanceId: 'i1', value: null } },
    ]);
  });

  it('gives no value when an event is of another instance than the locked one, or nothing was locked', async () => {
    const { h, heard } = listeners();
    await h.notify(trx, [event('i1'), event('i2')], { instanceId: 'i1', values: ['a', 'b'] });
    await h.notify(trx, [event('i1')]);
    expect(heard.map((x) => x.locked)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
