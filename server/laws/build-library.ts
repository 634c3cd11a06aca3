/**
 * Builds server/laws/library.jsonl.br from a checkout of the law collection (see server/laws/README.md):
 *   npx tsx server/laws/build-library.ts /work/shared/laws
 * One JSON line per Markdown file: { path, sha256, text }. The import parses the text (server/laws/parse.ts),
 * so the parser that reads the shipped library is the one that reads an admin's uploaded version.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await files(p)));
    else if (entry.name.endsWith('.md') && entry.name !== '_index.md' && entry.name !== 'README.md') out.push(p);
  }
  return out;
}

const source = process.argv[2] ?? '/work/shared/laws';
const target = new URL('./library.jsonl.br', import.meta.url);
const lines: string[] = [];
for (const file of (await files(source)).sort()) {
  const path = relative(source, file);
  if (!path.includes('/')) continue; // the template and notes at the top level are not laws
  const text = await readFile(file, 'utf8');
  lines.push(JSON.stringify({ path, sha256: createHash('sha256').update(text).digest('hex'), text }));
}
const packed = brotliCompressSync(Buffer.from(`${lines.join('\n')}\n`), {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
});
await writeFile(target, packed);
console.log(`${lines.length} files, ${(packed.length / 1024 / 1024).toFixed(1)} MiB -> ${target.pathname}`);
