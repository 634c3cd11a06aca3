import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import { deferBegin } from './deferred-begin.js';
import { listenOnPGlite, listenOnPostgres, type NoticeHandlers, type NoticeListener, WriteWatch } from './notices.js';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
  /** Embedded only: a snapshot of the data directory, to start other databases from (see inMemory). */
  snapshot?(): Promise<Blob>;
  /** Hears the notices of a channel (NOTIFY, e.g. from a trigger), from this process and any other. */
  listen(channel: string, handlers: NoticeHandlers): Promise<NoticeListener>;
  /** Calls `onWrite` before any statement of this process updates, deletes from or truncates one of `tables`. */
  watchWrites(tables: readonly string[], onWrite: () => void): () => void;
}

// Return timestamps as Date and bigint ids as numbers (our bigserials stay well below 2^53).
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export async function connectDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /** Errors of idle pooled connections (e.g. the server restarted); without a listener they crash the process. */
  onIdleError?: (err: Error) => void;
  /** Embedded only: run in memory, from a snapshot (PGlite's dumpDataDir) if given, instead of DATA_DIR/pglite. */
  inMemory?: { snapshot?: Blob };
}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    pool.on('error', (err) =>
      (opts.onIdleError ?? ((e) => console.warn(`database connection lost: ${e.message}`)))(err),
    );
    const writes = new WriteWatch();
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: deferBegin(pool) }), plugins: [writes] });
    const url = opts.databaseUrl;
    return {
      db,
      kind: 'postgres',
      close: () => db.destroy(),
      listen: async (channel, h) => listenOnPostgres(url, channel, h),
      watchWrites: (tables, onWrite) => writes.watch(tables, onWrite),
    };
  }
  // Loaded only for the embedded database: kysely-pglite takes half a second to import, which a server on
  // PostgreSQL should not pay at every start.
  const [{ PGlite }, { KyselyPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite')]);
  let client: PGlite;
  if (opts.inMemory) {
    // Tests start each file's database from a snapshot of a migrated template.
    client = await PGlite.create({ loadDataDir: opts.inMemory.snapshot });
  } else {
    const dir = path.join(opts.dataDir, 'pglite');
    fs.mkdirSync(dir, { recursive: true });
    client = await PGlite.create({ dataDir: dir });
  }
  const { dialect } = new KyselyPGlite(client);
  const writes = new WriteWatch();
  const db = new Kysely<DB>({
    plugins: [writes],
    dialect: {
      createAdapter: () => dialect.createAdapter(),
      createIntrospector: (k) => dialect.createIntrospector(k),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createDriver: () => new SerializedDriver(dialect.createDriver()),
    },
  });
  return {
    db,
    kind: 'pglite',
    close: () => db.destroy(),
    snapshot: () => client.dumpDataDir('none'),
    // The driver lends the one connection to one caller at a time: LISTEN waits for its turn like a query.
    listen: (channel, h) => listenOnPGlite(client, (fn) => db.connection().execute(fn), channel, h),
    watchWrites: (tables, onWrite) => writes.watch(tables, onWrite),
  };
}

/**
 * PGlite is one connection. kysely-pglite hands the same connection to every caller, so two concurrent
 * transactions would interleave their statements. This driver lends the connection to one caller at a time.
 */
class SerializedDriver implements Driver {
  private queue: Promise<void> = Promise.resolve();
  private releases = new WeakMap<DatabaseConnection, () => void>();

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.queue;
    this.queue = previous.then(() => turn);
    await previous;
    const connection = new PgCompatibleConnection(await this.inner.acquireConnection());
    this.releases.set(connection, release);
    return connection;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await this.inner.releaseConnection((connection as PgCompatibleConnection).inner);
    this.releases.get(connection)?.();
    this.releases.delete(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

const BYTEA = 17;

/** Commands whose row count `pg` (and so kysely's PostgresDialect) reports as numAffectedRows. */
const COUNTED = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

interface PGliteResult {
  rows: Record<string, unknown>[];
  command?: string;
  rowCount?: number;
  affectedRows?: number;
  fields?: { name: string; dataTypeID: number }[];
}

/**
 * Makes PGlite answer as `pg` does, so code written against one holds on the other: the count of rows an
 * INSERT/UPDATE/DELETE/MERGE touched is kysely's `numAffectedRows`, undefined for other commands as on `pg`
 * (PGlite calls it `rowCount`, and without this every count reads 0), and bytea comes back as a Buffer (PGlite
 * gives a bare Uint8Array, which e.g. zip writers refuse).
 */
class PgCompatibleConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = (await this.inner.executeQuery(compiledQuery)) as unknown as PGliteResult;
    const bytea = (result.fields ?? []).filter((f) => f.dataTypeID === BYTEA).map((f) => f.name);
    for (const row of bytea.length ? result.rows : []) {
      for (const name of bytea) {
        const v = row[name];
        if (v instanceof Uint8Array && !Buffer.isBuffer(v))
          row[name] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      }
    }
    const counted = result.command !== undefined && COUNTED.has(result.command);
    return {
      rows: result.rows as R[],
      numAffectedRows: counted ? BigInt(result.rowCount ?? result.affectedRows ?? 0) : undefined,
    };
  }

  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery(compiledQuery, chunkSize);
  }
}
