import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { BACKEND } from './helpers/database.js';
import { waitFor } from './helpers/flows.js';

let t: TestApp;
let departmentId: string;

beforeAll(async () => {
  t = await createTestApp();
  departmentId = (await t.newDepartment()).id;
  await waitFor(async () => t.app.sessions.state.hearing);
});
afterAll(() => t.close());

const me = (user: TestUser) => t.app.inject({ url: '/api/me', headers: t.as(user) });
const officer = () => t.newUser({ departmentId, roles: ['officer'] });

/** A connection of its own: another server, or an operator's tool, changing the database. */
async function elsewhere(statement: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: t.database.url });
  await c.connect();
  try {
    return await c.query(statement, params);
  } finally {
    await c.end();
  }
}

describe('sessions a server has checked', () => {
  it('are served from memory on the next request', async () => {
    const u = await officer();
    expect((await me(u)).statusCode).toBe(200);
    expect((await me(u)).statusCode).toBe(200);
    expect(t.app.sessions.state.held).toBeGreaterThanOrEqual(1);
  });

  it('are refused at once after a logout', async () => {
    const u = await officer();
    expect((await me(u)).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'DELETE', url: '/api/session', headers: t.as(u) });
    expect(out.statusCode).toBeLessThan(300);
    expect((await me(u)).statusCode).toBe(401);
  });

  it('are refused at once after this server deactivates the user, and follow a change of roles', async () => {
    const u = await officer();
    const v = await officer();
    expect((await me(u)).json().roles).toEqual(['officer']);
    expect((await me(v)).statusCode).toBe(200);
    await t.db
      .updateTable('users')
      .set({ roles: ['officer', 'reviewer'] })
      .where('id', '=', u.id)
      .execute();
    expect((await me(u)).json().roles).toEqual(['officer', 'reviewer']);
    // For a few seconds after its own write this server holds nothing, whenever the notice comes.
    expect((await me(v)).statusCode).toBe(200);
    expect(t.app.sessions.state.held).toBe(0);
    await t.db.updateTable('users').set({ active: false }).where('id', '=', v.id).execute();
    expect((await me(v)).statusCode).toBe(401);
  });
});

describe.runIf(BACKEND === 'postgres')('sessions changed by another process', () => {
  it('are refused once the database’s notice arrives, long before an entry would lapse', async () => {
    const u = await officer();
    expect((await me(u)).statusCode).toBe(200);
    expect((await me(u)).statusCode).toBe(200);
    const started = Date.now();
    await elsewhere('UPDATE sessions SET revoked_at = now() WHERE user_id = $1', [u.id]);
    await waitFor(async () => (await me(u)).statusCode === 401, 5000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('are not held while the notices are not heard, and are held again once they are', async () => {
    const u = await officer();
    expect((await me(u)).statusCode).toBe(200);
    const killed = await elsewhere(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND query = 'LISTEN fashen_identity'`,
    );
    expect(killed.rowCount).toBeGreaterThanOrEqual(1);
    await waitFor(async () => !t.app.sessions.state.hearing, 5000);
    expect((await me(u)).statusCode).toBe(200);
    expect(t.app.sessions.state.held).toBe(0);
    // Revoked while this server heard nothing: the next request reads the row.
    await elsewhere('UPDATE sessions SET revoked_at = now() WHERE user_id = $1', [u.id]);
    expect((await me(u)).statusCode).toBe(401);
    await waitFor(async () => t.app.sessions.state.hearing, 10_000);
    const v = await officer();
    // (An earlier test's write through this server holds nothing for a few seconds.)
    await waitFor(async () => (await me(v)).statusCode === 200 && t.app.sessions.state.held >= 1, 10_000);
  });
});

describe('with SESSION_CACHE_SIZE=0', () => {
  it('reads every request’s session and listens to nothing', async () => {
    const plain = await createTestApp({ SESSION_CACHE_SIZE: 0 });
    try {
      const d = await plain.newDepartment();
      const u = await plain.newUser({ departmentId: d.id, roles: ['officer'] });
      for (let i = 0; i < 2; i++) {
        expect((await plain.app.inject({ url: '/api/me', headers: plain.as(u) })).statusCode).toBe(200);
      }
      expect(plain.app.sessions.state).toEqual({ held: 0, hearing: false });
      if (BACKEND === 'postgres') {
        const c = new pg.Client({ connectionString: plain.database.url });
        await c.connect();
        const listening = await c.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        );
        await c.end();
        expect(listening.rows[0].n).toBe(0);
      }
    } finally {
      await plain.close();
    }
  });
});
