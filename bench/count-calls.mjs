// Preloaded into a bench's server child (`node --import ./bench/count-calls.mjs`): counts the SQL statements the
// process sends (pg clients and PGlite) and the Redis commands (ioredis), by kind. On SIGUSR2 it writes the
// counts so far to BENCH_COUNT_FILE; the bench reads them before and after its measured window.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const counts = { begin: 0, commit: 0, rollback: 0, sql: 0, trips: 0, redis: 0, byStatement: {}, byRedis: {}, seq: 0 };

// Each call is one round trip to the database; a BEGIN sent with the transaction's first statement
// (server/database/deferred-begin.ts, `begin; <statement>`) counts as a BEGIN and as that statement, and a COMMIT
// sent with its last (`<statement>; COMMIT`) as that statement and a COMMIT.
function countSql(text) {
  let s = typeof text === 'string' ? text : text?.text;
  if (typeof s !== 'string') return;
  const commitJoined = /;\s*commit\s*$/i.exec(s);
  if (commitJoined && !/^\s*commit\s*$/i.test(s)) {
    counts.commit++;
    s = s.slice(0, commitJoined.index);
  }
  counts.trips++;
  const head = s.trim().slice(0, 12).toLowerCase();
  const joined = /^\s*(begin|start transaction[^;]*);\s*/i.exec(s);
  if (joined) {
    counts.begin++;
    s = s.slice(joined[0].length);
    counts.trips--;
    return countSql(s);
  }
  if (head.startsWith('begin') || head.startsWith('start trans')) counts.begin++;
  else if (head.startsWith('commit')) counts.commit++;
  else if (head.startsWith('rollback')) counts.rollback++;
  else {
    counts.sql++;
    // Literals (parameters written in, see above) do not make statements of their own kind.
    const key = s
      .replace(/'(?:[^']|'')*'/g, '?')
      .replace(/\s+/g, ' ')
      .slice(0, 90);
    counts.byStatement[key] = (counts.byStatement[key] ?? 0) + 1;
  }
}

const pg = require('pg');
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  countSql(config);
  return pgQuery.call(this, config, ...rest);
};

try {
  const { PGlite } = await import('@electric-sql/pglite');
  for (const name of ['query', 'exec']) {
    const original = PGlite.prototype[name];
    PGlite.prototype[name] = function (text, ...rest) {
      countSql(text);
      return original.call(this, text, ...rest);
    };
  }
} catch {
  // no PGlite in this install
}

const Redis = require('ioredis');
const send = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (command, ...rest) {
  counts.redis++;
  const name = String(command?.name ?? '?');
  counts.byRedis[name] = (counts.byRedis[name] ?? 0) + 1;
  return send.call(this, command, ...rest);
};

// Where the process's clock starts, for placing its `--trace-gc` lines (milliseconds since start) in time.
if (process.env.BENCH_COUNT_FILE)
  writeFileSync(`${process.env.BENCH_COUNT_FILE}.origin`, String(performance.timeOrigin));

process.on('SIGUSR2', () => {
  counts.seq++;
  if (process.env.BENCH_COUNT_FILE) writeFileSync(process.env.BENCH_COUNT_FILE, JSON.stringify(counts));
});
