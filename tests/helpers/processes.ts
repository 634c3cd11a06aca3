import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface Child {
  proc: ChildProcess;
  output(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

function wrap(proc: ChildProcess): Child {
  let out = '';
  proc.stdout?.on('data', (d) => {
    out += d;
  });
  proc.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    proc,
    output: () => out,
    async kill9() {
      if (proc.exitCode === null) proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** Runs `fashen <args>` as a real child process with the given environment. */
export function fashen(args: string | string[], env: Record<string, string>): Child {
  return wrap(
    spawn(process.execPath, ['server/fashen.mjs', ...(Array.isArray(args) ? args : [args])], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** A private Redis server that a test may flush or restart without disturbing other test files. */
export async function privateRedis(port?: number): Promise<Child & { url: string; port: number }> {
  const p = port ?? (await freePort());
  const proc = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = wrap(proc);
  const deadline = Date.now() + 10_000;
  while (!child.output().includes('Ready to accept connections')) {
    if (proc.exitCode !== null || Date.now() > deadline)
      throw new Error(`redis-server did not start: ${child.output()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { ...child, url: `redis://127.0.0.1:${p}`, port: p };
}

/**
 * How long a started `fashen` process may take to become ready. Generous on purpose: a loaded 2-core CI machine
 * can take tens of seconds to start Node, and a test that waits on readiness (not on a fixed sleep) costs nothing
 * when the process is quick. A process that exits before it is ready fails at once, with its output.
 */
export const START_LIMIT_MS = 120_000;

/** Polls `check` until it holds; fails as soon as the child exits, or after `limitMs`. */
export async function untilReady(child: Child, check: () => Promise<boolean>, limitMs = START_LIMIT_MS): Promise<void> {
  const deadline = Date.now() + limitMs;
  let delay = 20;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (child.proc.exitCode !== null || child.proc.signalCode !== null)
      throw new Error(
        `fashen exited (${child.proc.exitCode ?? child.proc.signalCode}) before it was ready: ${child.output()}`,
      );
    if (Date.now() > deadline) throw new Error(`fashen was not ready within ${limitMs} ms: ${child.output()}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 250);
  }
}

/** Waits until a `fashen serve` child answers /health with 200. */
export function healthy(child: Child, base: string): Promise<void> {
  return untilReady(child, async () => (await fetch(`${base}/health`)).ok);
}
