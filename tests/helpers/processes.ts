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
