import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendCaseRecords } from '../server/records/append.js';
import { addressPolicy } from '../server/webhooks/address.js';
import { type Dispatcher, startDispatcher } from '../server/webhooks/dispatcher.js';
import { send } from '../server/webhooks/send.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { deploy, waitFor, workflowFile } from './helpers/flows.js';
import { type Crew, submitCase, tempDataDir } from './helpers/records.js';
import { type Receipt, testSubscriber } from './helpers/subscriber.js';

let t: TestApp;
let crew: Crew;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({
    DATA_DIR: tempDataDir(),
    WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
    WEBHOOK_BACKOFF_MS: 50,
    WEBHOOK_MAX_ATTEMPTS: 12,
    WEBHOOK_TIMEOUT_MS: 1000,
    WEBHOOK_POLL_MS: 100,
  });
  const d = await t.newDepartment();
  crew = {
    officer: await t.newUser({ departmentId: d.id, roles: ['officer'] }),
    reviewers: [await t.newUser({ departmentId: d.id, roles: ['reviewer'] })],
    chief: await t.newUser({ departmentId: d.id, roles: ['chief'] }),
    legal: await t.newUser({ departmentId: d.id, roles: ['legal_admin'] }),
  };
  admin = await t.newUser({ departmentId: d.id, roles: ['admin'] });
  await deploy(t, crew.legal, await workflowFile('legal-review.bpmn'));
});
afterAll(() => t.close());

const SECRET = 'test-secret-0123456789';
const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: t.as(admin), payload });

async function register(url: string, events = ['*'], concurrency = 4) {
  const res = await api('POST', '/api/webhooks', { name: '测试订阅方', url, events, secret: SECRET, concurrency });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

/** A case submitted through the API (its records come from the real flow) and a few more records of it. */
async function caseWithEvents(extra: number) {
  const caseId = await submitCase(t, crew);
  await t.db.transaction().execute((trx) =>
    appendCaseRecords(
      trx,
      caseId,
      Array.from({ length: extra }, (_, i) => ({
        at: new Date().toISOString(),
        actorId: null,
        type: 'test.note',
        payload: { n: i },
      })),
    ),
  );
  const rows = await t.db
    .selectFrom('case_records')
    .select('seq')
    .where('case_id', '=', caseId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => `${caseId}:${r.seq}`);
}

const verifies = (r: Receipt) =>
  r.signature === `sm3=${createHmac('sm3', SECRET).update(`${r.timestamp}.${r.body}`).digest('hex')}`;

async function deliveries(subscriberId: string, query = '') {
  const res = await api('GET', `/api/webhooks/${subscriberId}/deliveries?limit=500${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().deliveries as { id: number; eventId: string; status: string; waiting: boolean }[];
}

/** Whether the dispatcher has recorded a refused connection to the subscriber. */
async function refusedAttempts(subscriberId: string) {
  const row = await t.db
    .selectFrom('webhook_attempts as a')
    .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
    .select('a.id')
    .where('d.subscriber_id', '=', subscriberId)
    .where('a.error', 'like', '连接失败%')
    .executeTakeFirst();
  return row !== undefined;
}

describe('webhooks', () => {
  it('deliver every event once by id, in order per case, signed, past failures and an outage', async () => {
    // The subscriber fails its first three requests, then is down (connections refused) from the moment its third
    // answer is written: for at least two seconds and until the dispatcher has met the outage at least once (a
    // loaded machine may not attempt within a fixed window), then back. Going down from the answer itself, not when
    // the test next polls, leaves the dispatcher no time to deliver everything before the outage.
    let wentDown: () => void = () => {};
    const thirdAnswered = new Promise<void>((r) => {
      wentDown = r;
    });
    const flaky = await testSubscriber((n) =>
      n <= 3
        ? { status: 500, body: `临时故障 ${'x'.repeat(3000)}`, afterAnswer: n === 3 ? wentDown : undefined }
        : { status: 200 },
    );
    const slow = await testSubscriber(() => ({ status: 200, delayMs: 3000 }));
    const flakyId = await register(flaky.url);
    const slowId = await register(slow.url, ['*'], 1);
    const expected = [...(await caseWithEvents(3)), ...(await caseWithEvents(2)), ...(await caseWithEvents(4))];

    const downFor = thirdAnswered
      .then(() => flaky.down())
      .then(() => Promise.all([new Promise<void>((r) => setTimeout(r, 2000)), waitFor(() => refusedAttempts(flakyId))]))
      .then(() => flaky.up());
    const dispatcher = startDispatcher(t.core.webhooks);
    try {
      await downFor;
      const accepted = await waitFor(async () => {
        const ok = flaky.receipts.filter((r) => r.answered === 200);
        return ok.length >= expected.length && ok;
      }, 25_000);
      expect(accepted.map((r) => r.id).sort()).toEqual([...expected].sort());
      expect(new Set(accepted.map((r) => r.id)).size).toBe(accepted.length);
      for (const r of flaky.receipts) expect(verifies(r)).toBe(true);
      const byCase = new Map<string, number[]>();
      for (const r of accepted) {
        const [caseId, seq] = r.id.split(':');
        byCase.set(caseId, [...(byCase.get(caseId) ?? []), Number(seq)]);
      }
      for (const seqs of byCase.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(JSON.parse(accepted[0].body)).toMatchObject({ id: accepted[0].id, case: { id: expect.any(String) } });

      // The slow subscriber (one case at a time, each attempt timing out) is still far behind: it held up nobody.
      const slowOpen = (await deliveries(slowId)).filter((d) => d.status !== 'delivered');
      expect(slowOpen.length).toBeGreaterThan(0);

      // Failures are visible with their status code and a truncated answer. The subscriber's 200 is in its receipts
      // before the dispatcher has written the delivery down, so wait for that, then check every one is delivered.
      const allDelivered = (l: Awaited<ReturnType<typeof deliveries>>) => l.every((d) => d.status === 'delivered') && l;
      const list = await waitFor(async () => allDelivered(await deliveries(flakyId))).catch(() => deliveries(flakyId));
      expect(list.filter((d) => d.status !== 'delivered')).toEqual([]);
      expect(list).toHaveLength(expected.length);
      const failedOnce = list.find((d) => (d as unknown as { attempts: number }).attempts > 1)!;
      const attempts = (await api('GET', `/api/webhooks/${flakyId}/deliveries/${failedOnce.id}/attempts`)).json()
        .attempts as { statusCode: number | null; response: string | null; error: string | null }[];
      expect(attempts.at(-1)?.statusCode).toBe(200);
      const allAttempts = (
        await Promise.all(
          list.map(
            async (d) => (await api('GET', `/api/webhooks/${flakyId}/deliveries/${d.id}/attempts`)).json().attempts,
          ),
        )
      ).flat();
      const all500 = allAttempts.filter((a: { statusCode: number | null }) => a.statusCode === 500);
      expect(all500).toHaveLength(3);
      // And the outage: attempts refused while the subscriber was down were retried too.
      expect(allAttempts.some((a: { error: string | null }) => /连接失败/.test(a.error ?? ''))).toBe(true);
      expect(all500[0].response).toMatch(/^临时故障 x+$/);
      expect(all500[0].response.length).toBe(1000);
    } finally {
      // A failed outage must not skip the clean-up: a dispatcher left running would take the next test's deliveries.
      if (flaky.requests >= 3) await downFor.catch(() => undefined);
      await dispatcher.stop();
      for (const id of [flakyId, slowId])
        expect((await api('PATCH', `/api/webhooks/${id}`, { active: false })).statusCode).toBe(200);
      await flaky.close();
      await slow.close();
    }
  });

  it('refuse private, loopback and link-local addresses unless listed, checking what the name resolves to', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/hook',
      'http://[::1]:8080/',
      'http://[fe80::1]/',
    ]) {
      const res = await api('POST', '/api/webhooks', { name: '内网', url, events: ['*'] });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.code).toBe('ADDRESS_REFUSED');
    }
    const bad = await api('POST', '/api/webhooks', { name: '坏地址', url: 'ftp://example.com/', events: ['*'] });
    expect(bad.statusCode).toBe(400);
    // Without the operator's listing, a name that resolves to loopback is refused before any connection.
    const target = await testSubscriber();
    const strict = addressPolicy(undefined);
    await expect(strict.resolve('localhost')).rejects.toThrow(/回环|内网/);
    const r = await send(strict, {
      url: target.url.replace('127.0.0.1', 'localhost'),
      secret: SECRET,
      eventId: 'x:1',
      eventType: 'test',
      body: '{}',
      timeoutMs: 1000,
      now: new Date(),
    });
    expect(r.ok).toBe(false);
    expect(target.requests).toBe(0);
    await target.close();
  });

  it('follow no redirect, keep a dead letter that holds back the case, and replay it by hand', async () => {
    const elsewhere = await testSubscriber();
    let redirecting = true;
    const hook = await testSubscriber(() =>
      redirecting ? { status: 302, headers: { location: elsewhere.url } } : { status: 200 },
    );
    const id = await register(hook.url);
    const expected = await caseWithEvents(1);
    const ctx = t.core.webhooks;
    const dispatcher: Dispatcher = startDispatcher({ ...ctx, settings: { ...ctx.settings, maxAttempts: 3 } });
    try {
      const dead = await waitFor(async () => {
        const d = await deliveries(id, '&status=dead');
        return d.length > 0 && d;
      });
      expect(dead.map((d) => d.eventId)).toEqual([expected[0]]);
      expect(dead[0]).toMatchObject({ lastStatus: 302, lastError: expect.stringContaining('重定向未跟随') });
      expect(elsewhere.requests).toBe(0);
      expect(hook.requests).toBe(3);
      // The case's later events wait behind the dead letter: order per case is kept.
      const rest = (await deliveries(id)).filter((d) => d.status === 'pending');
      expect(rest.length).toBe(expected.length - 1);
      expect(rest.every((d) => d.waiting)).toBe(true);

      // A stopped subscriber's events are kept and wait; started again, it gets them in order.
      expect((await api('PATCH', `/api/webhooks/${id}`, { active: false })).statusCode).toBe(200);
      const later = await caseWithEvents(0);
      await dispatcher.tick();
      expect((await deliveries(id)).filter((d) => later.includes(d.eventId)).map((d) => d.status)).toEqual(
        later.map(() => 'pending'),
      );
      expect((await api('PATCH', `/api/webhooks/${id}`, { active: true })).statusCode).toBe(200);
      redirecting = false;
      const replayed = await api('POST', `/api/webhooks/${id}/deliveries/${dead[0].id}/replay`);
      expect(replayed.statusCode).toBe(202);
      await waitFor(async () => (await deliveries(id)).every((d) => d.status === 'delivered'));
      const ok = hook.receipts.filter((r) => r.answered === 200).map((r) => r.id);
      expect(ok.filter((id) => expected.includes(id))).toEqual(expected);
      expect(ok.filter((id) => later.includes(id))).toEqual(later);
      expect(elsewhere.requests).toBe(0);
    } finally {
      await dispatcher.stop();
      await hook.close();
      await elsewhere.close();
    }
  });

  it('are registered by the admin only, and show on the admin page', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks',
      headers: t.as(crew.officer),
      payload: { name: 'x', url: 'http://127.0.0.1:1/', events: ['*'] },
    });
    expect(res.statusCode).toBe(403);
    const generated = await api('POST', '/api/webhooks', {
      name: '生成密钥',
      url: 'http://127.0.0.1:9/',
      events: ['case.*'],
    });
    expect(generated.statusCode).toBe(201);
    expect(generated.json().secret).toMatch(/^[0-9a-f]{64}$/);
    const page = await t.app.inject({ url: '/admin/webhooks', headers: { cookie: `fashen_session=${admin.token}` } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('生成密钥');
    const detail = await t.app.inject({
      url: `/admin/webhooks/${generated.json().id}`,
      headers: { cookie: `fashen_session=${admin.token}` },
    });
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('投递记录');
  });
});
