import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { COMMIT_AFTER, commitAfter, escapeLiteral, inlineParameters, wrap } from './deferred-begin.js';

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

  it('quotes a string exactly as pg.escapeLiteral does', () => {
    const alphabet = ["'", '\\', '"', 'a', '改', ' ', '$', '\n', 'E'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 500; n++) {
      const s = Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]).join('');
      expect(escapeLiteral(s)).toBe(pg.escapeLiteral(s));
    }
  });

  it('leaves $n inside strings, quoted names and comments alone', () => {
    expect(inlineParameters(`select '$1', "$1", E'\\'$1' -- $1\n, /* $1 */ $1`, ['v'])).toBe(
      `select '$1', "$1", E'\\'$1' -- $1\n, /* $1 */ 'v'`,
    );
    expect(inlineParameters("select 'it''s $1', $1", ['v'])).toBe("select 'it''s $1', 'v'");
  });

  it('writes dates, objects and arrays as the text pg sends for them', () => {
    const at = new Date('2026-12-07T10:00:00.123Z');
    const [sent] = inlineParameters('select $1', [at])!.match(/'.*'/)!;
    expect(new Date(sent.slice(1, -1)).getTime()).toBe(at.getTime());
    expect(inlineParameters('select $1', [{ a: "it's" }])).toBe(`select '{"a":"it''s"}'`);
    expect(inlineParameters('select $1', [['a', null]])).toBe(`select '{"a",NULL}'`);
  });

  it('refuses what it cannot rewrite safely', () => {
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
        if (text.includes('fails')) return Promise.reject(new Error('division by zero'));
        const results = text.split('; ').map((part) => {
          const command = /^\w+/.exec(part.replace(COMMIT_AFTER, ''))![0].toUpperCase();
          return command === 'BEGIN' || command === 'COMMIT' ? { command } : { command, rows: [{ ok: 1 }] };
        });
        return Promise.resolve(results.length > 1 ? results : results[0]);
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
    await client.query('select $1', [Buffer.from('x')]);
    await client.query('begin');
    const cursor = { read: () => undefined };
    expect(client.query(cursor as never)).toBe(cursor);
    expect(sent.map((s) => (Array.isArray(s) ? s[0] : s))).toEqual(['begin', 'select $1', 'begin', cursor]);
  });

  it('sends a statement marked as the last with COMMIT, and answers the COMMIT that follows itself', async () => {
    const { client, sent } = fakeClient();
    await client.query('begin');
    await client.query('select $1 as ok', ['x']);
    expect(await client.query(commitAfter('update t set a = $1'), [new Date(0)])).toMatchObject({ command: 'UPDATE' });
    expect(await client.query('commit')).toMatchObject({ command: 'COMMIT' });
    // The first statement may be the last too: BEGIN, it and COMMIT in one.
    await client.query('begin');
    expect(await client.query(commitAfter('update t set a = $1'), ['y'])).toMatchObject({ command: 'UPDATE' });
    await client.query('commit');
    expect(sent).toEqual([
      "begin; select 'x' as ok",
      `${COMMIT_AFTER}update t set a = '1970-01-01T00:00:00.000+00:00'; COMMIT`,
      `begin; ${COMMIT_AFTER}update t set a = 'y'; COMMIT`,
    ]);
  });

  it('passes the ROLLBACK on when the last statement failed, and refuses a statement after the commit', async () => {
    const { client, sent } = fakeClient();
    await client.query('begin');
    await client.query('select 1');
    await expect(client.query(commitAfter('select fails'))).rejects.toThrow(/division/);
    await client.query('rollback');
    await client.query('begin');
    await client.query(commitAfter('update t set a = 1'));
    await expect(client.query('select 2')).rejects.toThrow(/after its transaction committed/);
    expect(sent).toEqual([
      'begin; select 1',
      `${COMMIT_AFTER}select fails; COMMIT`,
      'rollback',
      `begin; ${COMMIT_AFTER}update t set a = 1; COMMIT`,
    ]);
  });

  it('sends a last statement it cannot write in as it is, and its COMMIT after it', async () => {
    const { client, sent } = fakeClient();
    await client.query('begin');
    await client.query('select 1');
    await client.query(commitAfter('update t set b = $1'), [Buffer.from('x')]);
    await client.query('commit');
    expect(sent.map((s) => (Array.isArray(s) ? s[0] : s))).toEqual([
      'begin; select 1',
      `${COMMIT_AFTER}update t set b = $1`,
      'commit',
    ]);
  });
});
