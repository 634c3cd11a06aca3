import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.js';

// The production files under deploy/ are checked by the tools that will read them.
const run = promisify(execFile);
const deploy = path.resolve('deploy');
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

const result = (p: Promise<{ stdout: string; stderr: string }>) =>
  p.then(
    (r) => ({ code: 0, out: `${r.stdout}${r.stderr}` }),
    (e) => ({ code: e.code as number, out: `${e.stdout}${e.stderr}` }),
  );

function unitsIn(dir: string, change: (name: string, text: string) => string = (_n, t) => t): string {
  const into = mkdtempSync(path.join(tmpdir(), 'fashen-units-'));
  for (const f of readdirSync(path.join(deploy, 'systemd')))
    writeFileSync(path.join(into, f), change(f, readFileSync(path.join(dir, f), 'utf8')));
  return into;
}

const verifyUnits = (dir: string) =>
  result(
    run(SYSTEMD_ANALYZE, [
      'verify',
      ...['fashen-serve@3001.service', 'fashen-worker@1.service', 'fashen.target', 'fashen-migrate.service'].map((u) =>
        path.join(dir, u),
      ),
    ]),
  );

describe.skipIf(!existsSync(SYSTEMD_ANALYZE))('the systemd units', () => {
  it('pass systemd-analyze verify as instances', async () => {
    const v = await verifyUnits(unitsIn(path.join(deploy, 'systemd')));
    expect(v.out).toBe('');
    expect(v.code).toBe(0);
  });

  it('are judged by a verifier that does fail: a unit naming a missing program is refused', async () => {
    const broken = unitsIn(path.join(deploy, 'systemd'), (_n, t) =>
      t.replace('/usr/bin/node ', '/usr/bin/no-such-node '),
    );
    const v = await verifyUnits(broken);
    expect(v.code).not.toBe(0);
    expect(v.out).toContain('no-such-node');
  });
});

describe('the units and the settings file agree', () => {
  const serve = readFileSync(path.join(deploy, 'systemd', 'fashen-serve@.service'), 'utf8');
  const worker = readFileSync(path.join(deploy, 'systemd', 'fashen-worker@.service'), 'utf8');
  const env = readFileSync(path.join(deploy, 'fashen.env.example'), 'utf8');

  it('takes the port from the instance name, never from the shared settings file', () => {
    expect(serve).toMatch(/^Environment=PORT=%i /m);
    expect(env).not.toMatch(/^PORT=/m);
  });

  it('restarts both roles for ever, so a worker that exits while Redis is down comes back', () => {
    for (const unit of [serve, worker]) {
      expect(unit).toMatch(/^Restart=always$/m);
      expect(unit).toMatch(/^StartLimitIntervalSec=0$/m);
      expect(unit).toMatch(/^EnvironmentFile=\/etc\/fashen\/fashen.env$/m);
    }
    expect(worker).toMatch(/fashen\.mjs worker$/m);
  });

  it('lists only settings the service reads, with valid values once the placeholders are filled', () => {
    const vars = Object.fromEntries(
      env
        .split('\n')
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const filled = { ...vars, KEYSTORE_SECRET: 'x'.repeat(32), RECORD_SIGNING_KEY: '1'.repeat(64) };
    const config = loadConfig(filled) as Record<string, unknown>;
    for (const k of Object.keys(vars)) expect(config, k).toHaveProperty(k);
    expect(config.COOKIE_SECURE).toBe(true);
  });
});

describe('the nginx site', () => {
  const site = readFileSync(path.join(deploy, 'nginx', 'fashen.conf'), 'utf8');

  it('lets one upload of the largest allowed evidence file through to the service', () => {
    const m = /client_max_body_size (\d+)m;/.exec(site);
    expect(m).not.toBeNull();
    expect(Number(m![1]) * 1024 * 1024).toBeGreaterThan(loadConfig({}).ATTACHMENT_MAX_BYTES);
  });

  it.skipIf(!NGINX)('passes nginx -t with a self-signed certificate', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fashen-nginx-'));
    const cert = path.join(dir, 'fullchain.pem');
    const key = path.join(dir, 'privkey.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=fashen.test',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    writeFileSync(
      path.join(dir, 'site.conf'),
      site.replace('/etc/ssl/fashen/fullchain.pem', cert).replace('/etc/ssl/fashen/privkey.pem', key),
    );
    copyFileSync('/etc/nginx/mime.types', path.join(dir, 'mime.types'));
    writeFileSync(
      path.join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  include mime.types;\n  include site.conf;\n}\n`,
    );
    const t = await result(
      run(NGINX!, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')]),
    );
    expect(t.out).toContain('test is successful');
    expect(t.code).toBe(0);
  });
});
