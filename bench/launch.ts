import { readFileSync } from 'node:fs';

/**
 * How production starts a server (deploy/systemd/fashen-serve@.service): the node flags of its ExecStart and its
 * memory settings (MALLOC_*), so that the figure is the deployed one and cannot drift from the unit.
 */
export function productionLaunch(): { nodeArgs: string[]; env: Record<string, string> } {
  const unit = readFileSync(new URL('../deploy/systemd/fashen-serve@.service', import.meta.url), 'utf8');
  const exec = /^ExecStart=\S*node((?:\s+--\S+)*)\s+\S*fashen\.mjs serve$/m.exec(unit);
  if (!exec) throw new Error('deploy/systemd/fashen-serve@.service: no `node [flags] …/fashen.mjs serve` ExecStart');
  const env = [...unit.matchAll(/^Environment=(.*)$/gm)]
    .flatMap((m) => m[1].split(/\s+/))
    .map((kv) => kv.split('='))
    .filter(([k]) => k.startsWith('MALLOC_'));
  return { nodeArgs: exec[1].trim().split(/\s+/).filter(Boolean), env: Object.fromEntries(env) };
}
