/**
 * What a warm engine saves per step (issue 17 item 2), measured in one process without HTTP so that the figure is
 * CPU, not the machine's load: the bench's loop process on real PostgreSQL, `clients` instances stepped
 * concurrently through the runtime's own completeTask, in alternating phases with warm engines off (every step
 * recovers, the baseline) and on. Prints steps/s and this process's CPU milliseconds per step for each phase, and
 * the ratios on/off.
 *
 *   npx tsx bench/warm-engines.ts [--seconds 5] [--clients 20] [--rounds 2]
 */
import { readFile } from 'node:fs/promises';
import pino from 'pino';
import { assemble } from '../server/assembly.js';
import { loadConfig } from '../server/config.js';
import { loadDemoData } from '../server/demo/load.js';
import { completeTask, startInstance } from '../server/engine/instances.js';
import { WARM_ENGINES_MAX_BYTES, WarmEngines } from '../server/engine/warm-engines.js';
import { findDepartmentByCode, findUserForLogin } from '../server/identity/queries.js';
import { JobQueues } from '../server/jobs/queues.js';
import { createTestDatabase, ensureTemplate } from '../tests/helpers/database.js';
import { numberArg } from './args.js';

const SECONDS = numberArg('seconds', 5);
const CLIENTS = numberArg('clients', 20);
const ROUNDS = numberArg('rounds', 2);
const xml = await readFile(new URL('./loop.bpmn', import.meta.url), 'utf8');

await ensureTemplate();
const database = await createTestDatabase(2);
const config = loadConfig({
  DATABASE_URL: database.url,
  LOG_LEVEL: 'silent',
  QUEUE_PREFIX: `bench-warm-${process.pid}`,
});
const queues = new JobQueues(config.REDIS_URL, config.QUEUE_PREFIX);
const core = await assemble({ config, database: database.handle, queues, log: pino({ level: 'silent' }) as never });
const db = database.handle.db;
await loadDemoData(core, { onlyIfEmpty: false });
const dept = (await findDepartmentByCode(db, 'SCJG'))!;
const deployer = (await findUserForLogin(db, 'legaladmin1'))!;
const officer = (await findUserForLogin(db, 'officer1'))!;
await core.deploy({ departmentId: dept.id, xml, deployedBy: deployer.id, changeNote: 'bench' });
const runtime = core.runtime;
const actor = { id: officer.id, departmentId: dept.id, roles: ['officer'] };

const next = await Promise.all(
  Array.from({ length: CLIENTS }, async () => {
    const r = await startInstance(
      runtime,
      { id: actor.id },
      { departmentId: dept.id, processKey: 'bench_loop', variables: {} },
    );
    return r.openTasks[0].id;
  }),
);

async function phase(warm: boolean) {
  runtime.warm = warm ? new WarmEngines(1000, WARM_ENGINES_MAX_BYTES) : undefined;
  let steps = 0;
  const end = performance.now() + SECONDS * 1000;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    next.map(async (_, n) => {
      while (performance.now() < end) {
        const r = await completeTask(runtime, actor, next[n], { again: true });
        next[n] = r.openTasks[0].id;
        steps++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - t0) / 1000;
  const hits = runtime.warm?.hits ?? 0;
  return { steps, perSecond: steps / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / steps, hits };
}

await phase(true); // warm-up: JIT, pool, definition cache
const rows: { off: Awaited<ReturnType<typeof phase>>; on: Awaited<ReturnType<typeof phase>> }[] = [];
for (let i = 0; i < ROUNDS; i++) rows.push({ off: await phase(false), on: await phase(true) });
const load = (await readFile('/proc/loadavg', 'utf8').catch(() => '?')).split(' ').slice(0, 3).join(' ');
console.log(`warm engines, ${CLIENTS} instances stepped concurrently in-process on PostgreSQL (load ${load})`);
for (const [i, { off, on }] of rows.entries()) {
  console.log(
    `round ${i + 1}: off ${off.perSecond.toFixed(1)} steps/s, ${off.cpuMs.toFixed(2)} ms CPU/step | ` +
      `on ${on.perSecond.toFixed(1)} steps/s, ${on.cpuMs.toFixed(2)} ms CPU/step, ${on.hits}/${on.steps} warm | ` +
      `ratio steps/s ${(on.perSecond / off.perSecond).toFixed(2)}, CPU/step ${(on.cpuMs / off.cpuMs).toFixed(2)}`,
  );
}
await queues.close();
await database.drop();
process.exit(0);
