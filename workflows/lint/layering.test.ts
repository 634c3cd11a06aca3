import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REVIEW_DOCUMENT_KINDS } from '../../server/documents/kinds.js';
import { DOCUMENT_TEMPLATES } from './elements.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : sources(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The repository paths a source file imports (relative specifiers only; packages are not ours). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s+'(\.[^']+)'|import\s+'(\.[^']+)'/g)];
  return specifiers.map((m) => relative(root, resolve(dirname(join(root, file)), m[1] ?? m[2])));
}

function offending(dirs: string[], forbidden: string[]): string[] {
  return dirs
    .flatMap(sources)
    .flatMap((file) => importsOf(file).map((target) => `${file} → ${target}`))
    .filter((edge) => forbidden.some((f) => edge.split(' → ')[1].startsWith(f)));
}

describe('the shared BPMN rules', () => {
  it('import nothing from the server or the modeler', () => {
    expect(offending(['workflows'], ['server/', 'modeler/'])).toEqual([]);
  });

  it('are what the modeler uses: the browser bundle takes no server code', () => {
    expect(offending(['modeler'], ['server/'])).toEqual([]);
  });

  it('are what deploy uses: the definitions capability imports nothing from the modeler', () => {
    expect(offending(['server/definitions'], ['modeler/'])).toEqual([]);
  });

  it('leave definitions → catalogue one-way: deploy checks need no catalogue service', () => {
    expect(offending(['server/definitions'], ['server/catalogue/'])).toEqual([]);
  });

  it('name exactly the documents the server issues as document templates', () => {
    expect([...DOCUMENT_TEMPLATES].sort()).toEqual([...REVIEW_DOCUMENT_KINDS].sort());
  });
});
