// The longer run of the schema-driven API fuzzing (tests/api-fuzz.test.ts runs 5 requests per route and role):
// several seeds, FUZZ_RUNS requests per route and role each, on PostgreSQL. Prints what each seed tried.
// Run: npx tsx bench/api-fuzz.ts [--runs 50] [--seeds 4]
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '50' }, seeds: { type: 'string', default: '4' } },
});
let failed = 0;
for (let i = 0; i < Number(values.seeds); i++) {
  const seed = String(Date.now() % 1_000_000_007);
  const r = spawnSync('npx', ['vitest', 'run', '--project', 'pg', 'tests/api-fuzz.test.ts'], {
    env: { ...process.env, FUZZ_RUNS: values.runs, FUZZ_SEED: seed },
    encoding: 'utf8',
  });
  const out = `${r.stdout}${r.stderr}`;
  const summary = /api fuzz: .*/.exec(out)?.[0] ?? '(no summary)';
  const counterexample = /Counterexample: .*/.exec(out)?.[0];
  console.log(`seed ${seed}: ${r.status === 0 ? 'ok' : 'FAILED'} — ${summary}`);
  if (counterexample) console.log(`  ${counterexample}\n  ${/Caused by: .*/.exec(out)?.[0] ?? ''}`);
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
