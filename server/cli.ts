import { readFile } from 'node:fs/promises';
import { assemble, type Core } from './assembly.js';
import { importScheduleFile } from './calendar/import-file.js';
import { loadConfig } from './config.js';
import { loadDemoCases } from './demo/cases.js';
import { DEMO_LOGINS, loadDemoData } from './demo/load.js';
import { createLogger } from './infra/logger.js';
import { JobQueues } from './jobs/queues.js';
import { importLibrary } from './laws/load.js';
import { openDatabase, type Role, StartupError, start } from './main.js';
import { RECORD_USAGE, recordCommand } from './records/cli.js';

const USAGE = `用法 / usage: fashen <command>
  start              HTTP service + worker in one process; demo data when the database is empty (npm start)
  serve              HTTP service only (needs DATABASE_URL; run several behind a proxy)
  worker             job worker only (timers, outbox relay, reconciler; run several)
  migrate            apply database migrations
  demo               load demo departments, users and workflows
  deploy <file.bpmn> --department <code> [--note <text>]   deploy a BPMN definition as a new version
  laws import        load the law library shipped in server/laws/ (idempotent; prints parse figures)
  calendar load <year> <file.json|file.csv> [--user <username>]   load a year's holiday notice (节假日安排)
${RECORD_USAGE}`;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Opens (and migrates) the database only: `fashen migrate` touches no keys, templates or Redis. */
async function migrate(): Promise<void> {
  const config = loadConfig();
  const handle = await openDatabase(config, createLogger(config));
  await handle.close();
}

/** Runs a command on the same assembly the service runs on (whitelist, size limits, calendar listeners). */
async function withCore<T>(fn: (core: Core) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const log = createLogger(config);
  const handle = await openDatabase(config, log);
  const queues = new JobQueues(config.REDIS_URL, config.QUEUE_PREFIX);
  try {
    return await fn(await assemble({ config, database: handle, queues, log }));
  } finally {
    await queues.close();
    await handle.close();
  }
}

async function runRole(role: Role, demo: boolean): Promise<void> {
  const running = await start(role, { demo });
  if (running.url) {
    console.log(`\n法审 Fashen 已启动: ${running.url}  (API 文档 ${running.url}/docs)`);
    if (demo) {
      console.log('演示账号 / demo logins (password: fashen-demo):');
      for (const l of DEMO_LOGINS) console.log(`  ${l.username.padEnd(12)} ${l.description}`);
    }
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight work and stopping`);
    await running.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

export async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'start':
      return runRole('all', true);
    case 'serve':
      return runRole('serve', false);
    case 'worker':
      return runRole('worker', false);
    case 'migrate':
      await migrate();
      console.log('migrations applied');
      return;
    case 'demo': {
      const result = await withCore(async (core) => {
        const loaded = await loadDemoData(core, { onlyIfEmpty: false });
        return { ...loaded, cases: loaded.loaded ? await loadDemoCases(core) : 0 };
      });
      console.log(
        result.loaded ? `demo data loaded (${result.cases} decided cases)` : `demo data not loaded: ${result.reason}`,
      );
      return;
    }
    case 'deploy': {
      const file = args[0];
      const department = flag(args, 'department');
      if (!file || !department) throw new StartupError(`deploy needs a file and --department\n${USAGE}`);
      await readFile(file); // a clear ENOENT before touching the database
      const d = await withCore((core) =>
        core.deployFile({ file, departmentCode: department, note: flag(args, 'note') }),
      );
      console.log(`deployed ${d.processKey} version ${d.version} (${d.id})`);
      return;
    }
    case 'laws': {
      if (args[0] !== 'import') throw new StartupError(`laws needs a subcommand\n${USAGE}`);
      const r = await withCore((core) => importLibrary(core.database.db));
      if (!r) return;
      for (const f of r.failures) console.log(`未导入 ${f.path}: ${f.reason}`);
      console.log(
        `laws ${r.laws} new, versions ${r.versions} new (${r.skipped} already loaded), articles ${r.articles}, files not parsed ${r.failures.length}, ${r.ms} ms`,
      );
      return;
    }
    case 'calendar': {
      const [sub, year, file] = args;
      if (sub !== 'load' || !/^\d{4}$/.test(year ?? '') || !file)
        throw new StartupError(`calendar load needs a year and a file\n${USAGE}`);
      const view = await withCore((core) =>
        importScheduleFile(core.database.db, core.calendar, Number(year), file, flag(args, 'user')),
      );
      console.log(
        `loaded ${year}: ${view.holidays.length} holidays, ${view.makeupWorkdays.length} make-up working days`,
      );
      return;
    }
    default:
      if (
        await recordCommand(command ?? '', args, {
          config: () => loadConfig(),
          withRecords: (fn) => withCore((core) => fn(core.database.db, core.records)),
          flag: (n) => flag(args, n),
        })
      )
        return;
      console.log(USAGE);
      if (command && command !== 'help' && command !== '--help') process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof StartupError || err?.name === 'AppError' || err?.name === 'ConfigError') {
    const problems = err.details?.problems;
    console.error(
      `错误: ${err.message}${Array.isArray(problems) ? `\n  ${problems.map((p: unknown) => (typeof p === 'string' ? p : JSON.stringify(p))).join('\n  ')}` : ''}`,
    );
  } else console.error(err);
  process.exit(1);
});
