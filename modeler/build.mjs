#!/usr/bin/env node
// Builds the browser modeler into dist/modeler when its output is missing or older than its sources
// (`--force` always builds). Run by `npm start` and `npm test` before they start, and by `npm run build:modeler`.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'modeler');
const stampFile = join(out, '.build-stamp');
// Everything the bundle is built from: the modeler, the BPMN rules it shares with the server, the extension
// schema, and the installed packages.
const SOURCES = [
  'modeler',
  'workflows/lint',
  'workflows/layout.ts',
  'workflows/fashen-moddle.json',
  'package-lock.json',
];

function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full, { withFileTypes: true })
    .filter((d) => !d.name.startsWith('.') && d.name !== 'node_modules' && !d.name.endsWith('.test.ts'))
    .flatMap((d) => files(join(path, d.name)));
}

function stamp() {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap(files).sort()) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file));
  }
  return hash.digest('hex');
}

const force = process.argv.includes('--force');
const wanted = stamp();
const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : null;
if (!force && current === wanted && existsSync(join(out, 'index.html'))) process.exit(0);

const started = Date.now();
const { build } = await import('vite');
await build({ configFile: join(root, 'modeler', 'vite.config.ts') });
writeFileSync(stampFile, `${wanted}\n`);
console.log(`modeler built into ${relative(root, out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
