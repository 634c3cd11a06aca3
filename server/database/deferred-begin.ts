import pg from 'pg';

/**
 * Saves a round trip per transaction on PostgreSQL: kysely sends BEGIN and waits for its answer before the
 * transaction's first statement. Here BEGIN is held back and sent with that statement, as one simple-protocol
 * query `BEGIN; <statement>` whose parameters are written in as literals.
 *
 * A parameter written as a quoted literal is what the extended protocol sends anyway: its text, of a type the
 * server infers from where it stands. Only statements that are safe to rewrite so are joined: parameters that are
 * strings, numbers, booleans, bigints or null, and SQL without dollar quoting. Any other first statement (and a
 * cursor) has BEGIN sent on its own first, as before. A transaction with no statement sends nothing at all.
 */
export function deferBegin(pool: pg.Pool): { connect(): Promise<pg.PoolClient>; end(): Promise<void> } {
  return {
    async connect() {
      return wrap(await pool.connect());
    },
    end: () => pool.end(),
  };
}

const BEGIN = /^(begin|start transaction( isolation level [a-z ]+)?( read (only|write))?)$/i;
const wrapped = new WeakSet<pg.PoolClient>();

/** The client with its BEGIN held back (see deferBegin); a client is wrapped once. */
export function wrap(client: pg.PoolClient): pg.PoolClient {
  if (wrapped.has(client)) return client;
  wrapped.add(client);
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
  const release = client.release.bind(client);
  let pending: string | undefined;
  const sendPending = async () => {
    const begin = pending;
    pending = undefined;
    if (begin) await query(begin);
  };
  const deferred = async (text: string, values: unknown[] | undefined) => {
    if (/^(commit|rollback)$/i.test(text)) {
      // Nothing was sent: there is no transaction to end.
      pending = undefined;
      return { command: text.toUpperCase(), rowCount: null, rows: [], fields: [] };
    }
    const inlined = inlineParameters(text, values ?? []);
    if (inlined === undefined) {
      await sendPending();
      return query(text, values);
    }
    const begin = pending;
    pending = undefined;
    const results = (await query(`${begin}; ${inlined}`)) as unknown as pg.QueryResult[];
    return results[1];
  };
  // Not async: for a cursor (or a callback) pg's query returns what the caller uses at once.
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; kysely uses (text, values) and (cursor).
  (client as any).query = (text: unknown, ...rest: unknown[]) => {
    const values = rest[0] as unknown[] | undefined;
    if (typeof text === 'string' && rest.length <= 1) {
      if (pending) return deferred(text, values);
      if (BEGIN.test(text) && !values?.length) {
        pending = text;
        return Promise.resolve({ command: 'BEGIN', rowCount: null, rows: [], fields: [] });
      }
      return query(text, ...rest);
    }
    // pg runs a client's queries in the order given: a held BEGIN queued here goes first.
    if (pending) {
      const begin = pending;
      pending = undefined;
      query(begin).catch(() => undefined);
    }
    return query(text, ...rest);
  };
  client.release = (err?: Error | boolean) => {
    pending = undefined;
    return release(err);
  };
  return client;
}

/** The statement with $1… written as literals, or undefined when it is not safe to rewrite. */
export function inlineParameters(text: string, values: readonly unknown[]): string | undefined {
  const literals: string[] = [];
  for (const v of values) {
    if (v === null || v === undefined) literals.push('NULL');
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') {
      // pg sends these as their String(); escapeLiteral quotes it (E'' when it holds a backslash).
      literals.push(pg.escapeLiteral(String(v)));
    } else return undefined;
  }
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    let end = i + 1;
    if (c === "'" || c === '"') {
      // A quoted string or identifier; a doubled quote stays inside, and E'' strings escape with backslashes.
      const escapes = c === "'" && /[eE]/.test(text[i - 1] ?? '') && !/\w/.test(text[i - 2] ?? '');
      end = i + 1;
      while (end < text.length) {
        if (escapes && text[end] === '\\') end += 2;
        else if (text[end] === c && text[end + 1] === c) end += 2;
        else if (text[end] === c) break;
        else end++;
      }
      if (end >= text.length) return undefined;
      end++;
    } else if (c === '-' && next === '-') {
      end = text.indexOf('\n', i);
      if (end < 0) end = text.length;
    } else if (c === '/' && next === '*') {
      end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      end += 2;
    } else if (c === '$') {
      const m = /^\$(\d+)/.exec(text.slice(i, i + 12));
      if (!m || /\w/.test(text[i - 1] ?? '')) return undefined; // dollar quoting, or $ inside a name
      const n = Number(m[1]);
      if (n < 1 || n > literals.length) return undefined;
      out += literals[n - 1];
      i += m[0].length;
      continue;
    }
    out += text.slice(i, end);
    i = end;
  }
  return out;
}
