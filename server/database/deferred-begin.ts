import type pg from 'pg';
import pgUtils from 'pg/lib/utils.js';

/**
 * Saves two round trips per transaction on PostgreSQL: kysely sends BEGIN and waits for its answer before the
 * transaction's first statement, and sends COMMIT on its own after the last. Here BEGIN is held back and sent with
 * that first statement, as one simple-protocol query `BEGIN; <statement>` whose parameters are written in as
 * literals; and a statement marked as the transaction's last (`commitAfter`) is sent as `<statement>; COMMIT`,
 * after which kysely's own COMMIT is answered here. If that query fails, nothing was committed and kysely's
 * ROLLBACK goes to the server as usual; a statement after the commit is refused (it would run outside the
 * transaction).
 *
 * A parameter written as a quoted literal is what the extended protocol sends anyway: its text (pg's own
 * conversion: a Date with its offset, an object as JSON, an array as an array literal), of a type the server
 * infers from where it stands. Only statements that are safe to rewrite so are joined: SQL without dollar quoting,
 * and no binary parameter (a Buffer). Any other first statement (and a cursor) has BEGIN sent on its own first,
 * and any other last statement its COMMIT after it, as before. A transaction with no statement sends nothing.
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

/** Marks a statement as its transaction's last: it is sent with COMMIT (see deferBegin); elsewhere, a comment. */
export const COMMIT_AFTER = '/* commit after */ ';

/**
 * A transaction's last statement, to be sent with its COMMIT. The caller must let the transaction end right after:
 * kysely's COMMIT then finds it committed (on PGlite, which has no such wrapper, it commits as usual).
 */
export function commitAfter(text: string): string {
  return COMMIT_AFTER + text;
}
const wrapped = new WeakSet<pg.PoolClient>();

/** The client with its BEGIN held back (see deferBegin); a client is wrapped once. */
export function wrap(client: pg.PoolClient): pg.PoolClient {
  if (wrapped.has(client)) return client;
  wrapped.add(client);
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
  const release = client.release.bind(client);
  let pending: string | undefined;
  // Sent with a COMMIT_AFTER statement: the transaction ended there.
  let committed = false;
  const sendPending = async () => {
    const begin = pending;
    pending = undefined;
    if (begin) await query(begin);
  };
  /** The statement with the held BEGIN before it and, for a transaction's last, COMMIT after it, in one query. */
  const joined = async (text: string, values: unknown[] | undefined, commit: boolean) => {
    const inlined = inlineParameters(text, values ?? []);
    if (inlined === undefined) {
      await sendPending();
      return query(text, values);
    }
    const begin = pending;
    pending = undefined;
    const parts = [...(begin ? [begin] : []), inlined, ...(commit ? ['COMMIT'] : [])];
    const results = (await query(parts.join('; '))) as unknown as pg.QueryResult | pg.QueryResult[];
    if (commit) committed = true;
    return Array.isArray(results) ? results[begin ? 1 : 0] : results;
  };
  const deferred = async (text: string, values: unknown[] | undefined) => {
    if (/^(commit|rollback)$/i.test(text)) {
      // Nothing was sent: there is no transaction to end.
      pending = undefined;
      return { command: text.toUpperCase(), rowCount: null, rows: [], fields: [] };
    }
    return joined(text, values, false);
  };
  // Not async: for a cursor (or a callback) pg's query returns what the caller uses at once.
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; kysely uses (text, values) and (cursor).
  (client as any).query = (text: unknown, ...rest: unknown[]) => {
    const values = rest[0] as unknown[] | undefined;
    if (committed) {
      committed = false;
      if (text === 'commit' || text === 'COMMIT') {
        return Promise.resolve({ command: 'COMMIT', rowCount: null, rows: [], fields: [] });
      }
      return Promise.reject(new Error(`statement after its transaction committed: ${String(text).slice(0, 60)}`));
    }
    if (typeof text === 'string' && rest.length <= 1) {
      if (text.startsWith(COMMIT_AFTER)) return joined(text, values, true);
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
    committed = false;
    return release(err);
  };
  return client;
}

/** The statement with $1… written as literals, or undefined when it is not safe to rewrite. */
export function inlineParameters(text: string, values: readonly unknown[]): string | undefined {
  const literals: string[] = [];
  for (const v of values) {
    // What pg would send for it (null, a string or a Buffer); escapeLiteral quotes it (E'' when it holds a backslash).
    const sent = pgUtils.prepareValue(v) as unknown;
    if (sent === null || sent === undefined) literals.push('NULL');
    else if (typeof sent === 'string') literals.push(escapeLiteral(sent));
    else return undefined;
  }
  let out = '';
  let i = 0;
  while (i < text.length) {
    // Plain SQL up to the next quote, comment or $ is copied as it is.
    SPECIAL.lastIndex = i;
    const special = SPECIAL.exec(text);
    const at = special ? special.index : text.length;
    if (at > i) {
      out += text.slice(i, at);
      i = at;
      continue;
    }
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

const SPECIAL = /['"$]|--|\/\*/g;

/**
 * pg.escapeLiteral's result (quotes doubled; with a backslash, backslashes doubled and an E'' string), made by
 * native replaces: pg's own builds it a character at a time, which for a saved state of some kilobytes costs more
 * than the round trip the literal saves.
 */
export function escapeLiteral(value: string): string {
  if (!value.includes('\\')) return `'${value.replaceAll("'", "''")}'`;
  return ` E'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}
