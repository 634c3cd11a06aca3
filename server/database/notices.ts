import type { PGlite } from '@electric-sql/pglite';
import type { KyselyPlugin, OperationNode, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import pg from 'pg';

/** What a listener of a notice channel hears: each notice, and whether notices are heard at all. */
export interface NoticeHandlers {
  notice(payload: string): void;
  /** true once LISTEN holds; false whenever notices may be missed (connection lost, stopped). */
  listening(on: boolean): void;
}

export interface NoticeListener {
  stop(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]*$/;
const RETRY_MAX_MS = 30_000;

/**
 * LISTEN on a connection of its own (a pooled one is handed to other queries between statements). A lost
 * connection says `listening(false)` at once and is opened again, with backoff, until stopped.
 */
export function listenOnPostgres(connectionString: string, channel: string, h: NoticeHandlers): NoticeListener {
  if (!CHANNEL.test(channel)) throw new Error(`bad notice channel ${channel}`);
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let failures = 0;
  const lost = (c: pg.Client) => {
    if (client !== c) return;
    client = undefined;
    h.listening(false);
    c.end().catch(() => undefined);
    if (stopped) return;
    retry = setTimeout(connect, Math.min(RETRY_MAX_MS, 250 * 2 ** failures++));
    retry.unref();
  };
  const connect = async () => {
    const c = new pg.Client({ connectionString });
    client = c;
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    c.on('notification', (m) => {
      if (m.channel === channel) h.notice(m.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      if (client !== c) return;
      failures = 0;
      h.listening(true);
    } catch {
      lost(c);
    }
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      h.listening(false);
      await c?.end().catch(() => undefined);
    },
  };
}

/**
 * The embedded database is one session in this process: LISTEN on it hears every commit of the process, and no
 * other process can write to it. `inTurn` runs the LISTEN when no transaction holds the connection.
 */
export async function listenOnPGlite(
  client: PGlite,
  inTurn: <T>(fn: () => Promise<T>) => Promise<T>,
  channel: string,
  h: NoticeHandlers,
): Promise<NoticeListener> {
  if (!CHANNEL.test(channel)) throw new Error(`bad notice channel ${channel}`);
  const unlisten = await inTurn(() => client.listen(channel, (payload) => h.notice(payload)));
  h.listening(true);
  return {
    async stop() {
      h.listening(false);
      await inTurn(() => unlisten()).catch(() => undefined);
    },
  };
}

type WriteWatcher = { tables: ReadonlySet<string>; onWrite: () => void };

/** The table a kysely UPDATE or DELETE writes, or undefined. */
function writtenTable(node: OperationNode): string | undefined {
  const named = (n: OperationNode | undefined): string | undefined => {
    if (!n) return undefined;
    if (n.kind === 'AliasNode') return named((n as unknown as { node: OperationNode }).node);
    if (n.kind === 'TableNode')
      return (n as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
    return undefined;
  };
  if (node.kind === 'UpdateQueryNode') return named((node as unknown as { table?: OperationNode }).table);
  if (node.kind === 'DeleteQueryNode')
    return named((node as unknown as { from: { froms: OperationNode[] } }).from.froms[0]);
  // INSERT … ON CONFLICT DO UPDATE may change a row that is there.
  const insert = node as unknown as { into?: OperationNode; onConflict?: { updates?: unknown[] } };
  if (node.kind === 'InsertQueryNode' && insert.onConflict?.updates?.length) return named(insert.into);
  return undefined;
}

const RAW_WRITE = /\b(?:update|delete\s+from|truncate(?:\s+table)?)\s+(?:only\s+)?"?([a-z_]+)"?/gi;

/**
 * Tells watchers that a statement of this process is about to change one of their tables (UPDATE, DELETE or
 * TRUNCATE, built with kysely or written as raw SQL), before it runs and so before its transaction commits.
 */
export class WriteWatch implements KyselyPlugin {
  private readonly watchers = new Set<WriteWatcher>();

  watch(tables: readonly string[], onWrite: () => void): () => void {
    const w = { tables: new Set(tables), onWrite };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  transformQuery(args: PluginTransformQueryArgs) {
    if (this.watchers.size === 0) return args.node;
    const node = args.node as OperationNode;
    const tables: string[] = [];
    if (node.kind === 'RawNode') {
      for (const fragment of (node as unknown as { sqlFragments: readonly string[] }).sqlFragments) {
        for (const m of fragment.matchAll(RAW_WRITE)) tables.push(m[1].toLowerCase());
      }
    } else {
      const table = writtenTable(node);
      if (table) tables.push(table);
    }
    for (const w of tables.length ? this.watchers : []) {
      if (tables.some((t) => w.tables.has(t))) w.onWrite();
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}
