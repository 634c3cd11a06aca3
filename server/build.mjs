#!/usr/bin/env node
// Compiles the service (server/, workflows/, migrations/) to JavaScript under dist/app/<hash>/, one file per
// source file, so that `fashen` starts without compiling TypeScript. The directory is named by a hash of the
// sources: a changed source gives a new build, an unchanged one is reused. Processes that start at the same
// moment may build at once; each builds into its own temporary directory and the first rename wins.
// Run by `npm start` and `npm test` before they start, and by `fashen` itself when the build is missing.
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Where builds go; FASHEN_BUILD_DIR moves them (tests build into a directory of their own). */
const BUILDS = process.env.FASHEN_BUILD_DIR || join(root, 'dist', 'app');
/** Compiled: the service, the BPMN rules and layout it shares with the modeler, the migrations. */
const COMPILED = ['server', 'workflows', 'migrations'];
/** Read at run time relative to the compiled files (`new URL('../../templates/', import.meta.url)`). */
const LINKED = ['templates', 'deploy', 'node_modules', 'dist/modeler'];
/** Builds kept besides the current one, for processes still running an older release. */
const KEEP = 2;

function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => !d.name.startsWith('.') && d.name !== 'node_modules')
    .flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

function sources() {
  return COMPILED.flatMap((d) => walk(join(root, d)))
    .filter((f) => !/\.test\.ts$/.test(f))
    .sort();
}

async function esbuildVersion() {
  const { version } = await import('esbuild');
  return version;
}

/** The build's name: a hash of every source's path and content and of the compiler's version. */
export async function buildHash(files = sources()) {
  const hash = createHash('sha256').update(await esbuildVersion());
  for (const file of files) hash.update(relative(root, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

async function compile(files, out) {
  const { build, stop } = await import('esbuild');
  const entryPoints = files.filter((f) => f.endsWith('.ts'));
  try {
    await build({
      entryPoints,
      outdir: out,
      outbase: root,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Stack traces name the TypeScript file and line (fashen.mjs enables source maps); the maps leave out the
      // sources themselves, which every process would otherwise hold in its heap (4 MB of a server's 77 MB idle).
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
    });
  } finally {
    // The compiler's service process would otherwise live as long as the server (150 MB, bench/rss.ts).
    await stop();
  }
  for (const file of files.filter((f) => !f.endsWith('.ts'))) {
    const target = join(out, relative(root, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
  }
  for (const link of LINKED) {
    const target = join(out, link);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(relative(dirname(target), join(root, link)), target);
  }
}

function prune(current) {
  if (!existsSync(BUILDS)) return;
  const others = readdirSync(BUILDS)
    .filter((name) => name !== current && !name.startsWith('.'))
    .map((name) => ({ name, at: statSync(join(BUILDS, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { name } of others.slice(KEEP)) rmSync(join(BUILDS, name), { recursive: true, force: true });
  // Temporary directories of builds that died half-way (older than a minute).
  for (const name of readdirSync(BUILDS).filter((n) => n.startsWith('.tmp-'))) {
    const path = join(BUILDS, name);
    if (Date.now() - statSync(path).mtimeMs > 60_000) rmSync(path, { recursive: true, force: true });
  }
}

/** The directory of the current build, compiled first if the sources changed since the last one. */
export async function ensureBuild() {
  const files = sources();
  const name = await buildHash(files);
  const out = join(BUILDS, name);
  if (existsSync(join(out, 'server', 'cli.js'))) return { dir: out, built: false };
  const started = Date.now();
  const tmp = join(BUILDS, `.tmp-${randomBytes(4).toString('hex')}`);
  mkdirSync(tmp, { recursive: true });
  try {
    await compile(files, tmp);
    try {
      renameSync(tmp, out);
    } catch (err) {
      if (!existsSync(join(out, 'server', 'cli.js'))) throw err; // not a lost race: a real failure
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  prune(name);
  return { dir: out, built: true, ms: Date.now() - started };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await ensureBuild();
  if (result.built) console.log(`service compiled into ${relative(root, result.dir)} in ${result.ms} ms`);
}
