import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../server/app.js';
import { assemble } from '../server/assembly.js';
import { loadConfig } from '../server/config.js';
import { connectDatabase } from '../server/database/connect.js';
import { migrateToLatest } from '../server/database/migrate.js';
import { loadDemoData } from '../server/demo/load.js';
import { connectRedis } from '../server/infra/redis.js';
import { JobQueues } from '../server/jobs/queues.js';

describe('the embedded database (PGlite)', () => {
  it('migrates, loads demo data, deploys and runs a review to its end', { timeout: 90_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fashen-pglite-'));
    const prefix = `test-${randomBytes(4).toString('hex')}`;
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', QUEUE_PREFIX: prefix });
    const database = await connectDatabase({ dataDir: config.dataDir });
    expect(database.kind).toBe('pglite');
    const redis = await connectRedis(config.REDIS_URL);
    const queues = new JobQueues(config.REDIS_URL, prefix);
    try {
      await migrateToLatest(database.db);
      const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
      const core = await assemble({ config, database, queues, log });
      expect(await loadDemoData(core, { onlyIfEmpty: true })).toEqual({ loaded: true });
      const app = await buildApp({ config, database, redis, queues, ownsConnections: false, core });
      const token = async (username: string) =>
        (
          await app.inject({ method: 'POST', url: '/api/session', payload: { username, password: 'fashen-demo' } })
        ).json().token as string;
      const as = async (u: string) => ({ authorization: `Bearer ${await token(u)}` });

      const xml = await (await import('node:fs/promises')).readFile('workflows/demo-review.bpmn', 'utf8');
      const deployed = await app.inject({
        method: 'POST',
        url: '/api/workflows?note=再次部署',
        headers: { ...(await as('legaladmin1')), 'content-type': 'application/xml' },
        payload: xml.replace('法制审核（演示）', '法制审核（演示 v2）'),
      });
      // Proposed by one legal admin, deployed when the other approves (four eyes).
      expect(deployed.statusCode).toBe(202);
      const approved = await app.inject({
        method: 'POST',
        url: `/api/deployment-requests/${deployed.json().id}/approve`,
        headers: await as('legaladmin3'),
      });
      expect(approved.statusCode).toBe(200);
      expect(approved.json().version).toBe(2);

      const started = await app.inject({
        method: 'POST',
        url: '/api/instances',
        headers: await as('officer1'),
        payload: { processKey: 'demo_review', variables: { amount: 60000 } },
      });
      expect(started.statusCode).toBe(201);
      // Two completions at once on one PGlite connection: serialized, exactly one wins.
      const reviewer = await as('reviewer1');
      const taskId = started.json().openTasks[0].id;
      const [a, b] = await Promise.all(
        [true, false].map((approved) =>
          app.inject({
            method: 'POST',
            url: `/api/tasks/${taskId}/complete`,
            headers: reviewer,
            payload: { approved, opinion: '意见' },
          }),
        ),
      );
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const health = await app.inject({ url: '/health' });
      expect(health.json()).toMatchObject({ status: 'ok', databaseKind: 'pglite' });
      await app.close();
    } finally {
      await queues.close();
      redis.disconnect();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
