import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering of server/, checked: capabilities depend one way, reach each other through public modules, and
// the engine and the foundation folders import no capability.
const root = fileURLToPath(new URL('../', import.meta.url));
const server = join(root, 'server');

/** Folders every capability may use and that themselves use no capability. */
const FOUNDATION = ['database', 'infra', 'jobs', 'workdays', 'http'];

/** What the engine runs on: the foundation without the HTTP edge, whose errors and schemas it must not know. */
const ENGINE_BASE = ['database', 'infra', 'jobs', 'workdays'];

interface Edge {
  file: string;
  target: string;
  typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sources(path);
    return /\.ts$/.test(d.name) && !/\.(test|d)\.ts$/.test(d.name) ? [path] : [];
  });
}

/** Every relative import and re-export of server/'s source files, resolved to a path under the repository. */
const EDGES: Edge[] = sources(server).flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gm)].map((m) => ({
    file: relative(root, file),
    target: relative(root, resolve(dirname(file), m[2])),
    typeOnly: Boolean(m[1]),
  }));
});

/** The server/ folder a path is in, or null for files at server/'s top level and paths outside it. */
function folderOf(path: string): string | null {
  const parts = path.split(sep);
  return parts[0] === 'server' && parts.length > 2 ? parts[1] : null;
}

const crossFolder = EDGES.filter((e) => {
  const from = folderOf(e.file);
  const to = folderOf(e.target);
  return from && to && from !== to;
});

describe('the folders of server/', () => {
  it('never import each other both ways', () => {
    const edges = new Set(
      crossFolder.filter((e) => !e.typeOnly).map((e) => `${folderOf(e.file)}>${folderOf(e.target)}`),
    );
    const pairs = [...edges].filter((e) => {
      const [a, b] = e.split('>');
      return a < b && edges.has(`${b}>${a}`);
    });
    expect(pairs).toEqual([]);
  });

  it("never import another capability's queries or tables", () => {
    const data = crossFolder.filter((e) => !e.typeOnly && /(^|[/-])(queries|tables)(\.js)?$/.test(e.target));
    expect(data.map((e) => `${e.file} → ${e.target}`)).toEqual([]);
  });

  it('keep the engine generic: it imports only the foundation below HTTP, not even a capability type', () => {
    const engine = crossFolder.filter(
      (e) => folderOf(e.file) === 'engine' && !ENGINE_BASE.includes(folderOf(e.target)!),
    );
    expect(engine.map((e) => `${e.file} → ${e.target}`)).toEqual([]);
  });

  it('keep the foundation below every capability', () => {
    const up = crossFolder.filter(
      (e) => FOUNDATION.includes(folderOf(e.file)!) && !e.typeOnly && !FOUNDATION.includes(folderOf(e.target)!),
    );
    expect(up.map((e) => `${e.file} → ${e.target}`)).toEqual([]);
  });

  it('take no source from the browser modeler', () => {
    const modeler = EDGES.filter((e) => e.target.startsWith(`modeler${sep}`) && !e.typeOnly);
    expect(modeler.map((e) => `${e.file} → ${e.target}`)).toEqual([]);
  });
});

describe('the dependency check itself', () => {
  it('sees the imports it checks', () => {
    expect(EDGES.length).toBeGreaterThan(500);
    expect(crossFolder.some((e) => folderOf(e.file) === 'workbench' && folderOf(e.target) === 'tasks')).toBe(true);
    expect(folderOf(join('server', 'engine', 'commands.ts'))).toBe('engine');
  });
});
