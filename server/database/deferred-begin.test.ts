import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { inlineParameters, wrap } from './deferred-begin.js';

describe('writing parameters in as literals', () => {
  it('writes each parameter as the quoted text pg would send, and NULL', () => {
    expect(inlineParameters('select * from t where a = $1 and b = $2::integer and c is $3', ['x', 5, null])).toBe(
      "select * from t where a = 'x' and b = '5'::integer and c is NULL",
    );
    expect(inlineParameters('select $1, $2, $10', [true, 7n, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'ten'])).toBe(
      "select 'true', '7', 'ten'",
    );
  });

  it('escapes quotes and backslashes', () => {
    expect(inlineParameters('select $1', ["it's"])).toBe("select 'it''s'");
    expect(inlineParameters('select $1', ['a\\b'])).toBe("select  E'a\\\\b'");
  });

  it('leaves $n inside strings, quoted names and comments alone', () => {
    expect(inlineParameters(`select '$1', "$1", E'\\'$1' -- $1\n, /* $1 */ $1`, ['v'])).toBe(
      `select '$1', "$1", E'\\'$1' -- $1\n, /* $1 */ 'v'`,
    );
    expect(inlineParameters("select 'it''s $1', $1", ['v'])).toBe("select 'it''s $1', 'v'");
  });

  it('refuses what it cannot rewrite safely', () => {
    expect(inlineParameters('select $1', [new Date()])).toBeUndefined();
    expect(inlineParameters('select $1', [{ a: 1 }])).toBeUndefined();
    expect(inlineParameters('select $1', [Buffer.from('x')])).toBeUndefined();
    expect(inlineParameters('select $$ body $$', [])).toBeUndefined();
    expect(inlineParameters('select $2', ['only one'])).toBeUndefined();
    expect(inlineParameters("select 'unterminated", [])).toBeUndefined();
  });
});

describe('a client with BEGIN held back', () => {
  function fakeClient() {
    const sent: unknown[] = [];
    const client = {
      query: (text: unknown, values?: unknown[]) => {
        sent.push(values?.length ? [text, values] : text);
        if (typeof text !== 'string') return text; // a cursor: pg hands it back at once
        return Promise.resolve(
          text.startsWith('begin;') ? [{ command: 'BEGIN' }, { command: 'SELECT', rows: [{ ok: 1 }] }] : { rows: [] },
        );
      },
      release: () => undefined,
    };
    return { client: wrap(client as unknown as pg.PoolClient), sent };
  }

  it('sends BEGIN with the first statement, and nothing for an empty transaction', async () => {
    const { client, sent } = fakeClient();
    await client.query('begin');
    expect(sent).toEqual([]);
    expect(await client.query('select $1 as ok', ['x'])).toEqual({ command: 'SELECT', rows: [{ ok: 1 }] });
    await client.query('commit');
    await client.query('begin');
    await client.query('rollback');
    expect(sent).toEqual(["begin; select 'x' as ok", 'commit']);
  });

  it('sends BEGIN first, on its own, before a statement it cannot write in or a cursor, which it returns at once', async () => {
    const { client, sent } = fakeClient();
    await client.query('begin');
    await client.query('select $1', [new Date(0)]);
    await client.query('begin');
    const cursor = { read: () => undefined };
    expect(client.query(cursor as never)).toBe(cursor);
    expect(sent.map((s) => (Array.isArray(s) ? s[0] : s))).toEqual(['begin', 'select $1', 'begin', cursor]);
  });
});
