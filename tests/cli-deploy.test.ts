import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { fashen, START_LIMIT_MS } from './helpers/processes.js';

// The command line runs on the same assembly as the service: what the service deploys, `fashen deploy` deploys.
// Child processes need a database URL of their own, so this file runs on PostgreSQL only.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(2);
});
afterAll(() => database.drop());

async function run(args: string[], env: Record<string, string> = {}) {
  const child = fashen(args, { DATABASE_URL: database.url, ...env });
  const code = await new Promise<number | null>((r) => child.proc.once('exit', (c) => r(c)));
  return { code, output: child.output().trim() };
}

const WORKFLOWS = readdirSync('workflows').filter((f) => f.endsWith('.bpmn'));

// Each `fashen` run starts Node and opens the database: seconds each, more on a loaded machine. The test waits for
// each to exit, allowing every run START_LIMIT_MS.
describe('fashen deploy on a fresh database', { timeout: (WORKFLOWS.length + 3) * START_LIMIT_MS }, () => {
  it('deploys every process in workflows/ after migrate and demo', async () => {
    expect(WORKFLOWS).toContain('legal-review.bpmn');
    expect((await run(['migrate'])).code).toBe(0);
    expect((await run(['demo'])).code).toBe(0);
    for (const file of WORKFLOWS) {
      const r = await run(['deploy', `workflows/${file}`, '--department', 'SCJG', '--note', '命令行部署']);
      expect({ file, ...r }).toMatchObject({ file, code: 0 });
      expect(r.output).toMatch(/^deployed \S+ version \d+/);
    }
  });

  it('applies BPMN_MAX_BYTES as the service does', async () => {
    const r = await run(['deploy', 'workflows/legal-review.bpmn', '--department', 'SCJG'], { BPMN_MAX_BYTES: '1024' });
    expect(r.code).toBe(1);
    expect(r.output).toContain('上限 1024 字节');
  });
});
