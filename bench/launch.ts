import { readFileSync } from 'node:fs';

/**
 * How production starts a server or a worker (deploy/systemd/fashen-serve@.service, fashen-worker@.service): the
 * node flags of its ExecStart and its memory settings (MALLOC_*), so that the figure is the deployed one and cannot
 * drift from the unit.
 */
export function productionLaunch(role: 'serve' | 'worker' = 'serve'): {
  nodeArgs: string[];
  env: Record<string, string>;
} {
  const file = `deploy/systemd/fashen-${role}@.service`;
  const unit = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
  const exec = new RegExp(`^ExecStart=\\S*node((?:\\s+--\\S+)*)\\s+\\S*fashen\\.mjs ${role}$`, 'm').exec(unit);
  if (!exec) throw new Error(`${file}: no \`node [flags] …/fashen.mjs ${role}\` ExecStart`);
  const env = [...unit.matchAll(/^Environment=(.*)$/gm)]
    .flatMap((m) => m[1].split(/\s+/))
    .map((kv) => kv.split('='))
    .filter(([k]) => k.startsWith('MALLOC_'));
  return { nodeArgs: exec[1].trim().split(/\s+/).filter(Boolean), env: Object.fromEntries(env) };
}
