// Refusing a zip bomb on archive import: a 1 GiB entry of zeros (about 1 MiB zipped). Baseline, in the same
// run: inflating that entry to the end, which is what import did before it read the directory first.
// Run: npx tsx bench/archive-bomb.ts [--mib 1024]
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { verifyArchive } from '../server/records/archive-verify.js';

const { values } = parseArgs({ options: { mib: { type: 'string', default: '1024' } } });
const mib = Number(values.mib);
const dir = await mkdtemp(path.join(tmpdir(), 'fashen-bomb-'));
const file = path.join(dir, 'bomb.zip');
const chunk = Buffer.alloc(1024 * 1024);
let left = mib;
const zip = new yazl.ZipFile();
zip.addReadStream(
  new Readable({
    read() {
      this.push(left-- > 0 ? chunk : null);
    },
  }),
  'index.json',
);
zip.end();
await pipeline(zip.outputStream, createWriteStream(file));

async function inflateAll(): Promise<number> {
  const z = await yauzl.openPromise(file, { lazyEntries: true });
  let bytes = 0;
  for await (const entry of z.eachEntry()) {
    for await (const c of (await z.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) bytes += c.length;
  }
  z.close();
  return bytes;
}

const rss0 = process.memoryUsage().rss;
let t0 = performance.now();
const v = await verifyArchive(file);
const refuse = performance.now() - t0;
const rss = process.memoryUsage().rss - rss0;
t0 = performance.now();
const inflated = await inflateAll();
const baseline = performance.now() - t0;
console.log(`bomb: ${(await stat(file)).size} bytes zipped, ${inflated} bytes inflated`);
console.log(`refusal: ${refuse.toFixed(1)} ms (RSS +${(rss / 1e6).toFixed(1)} MB): ${v.problems[0]?.message}`);
console.log(
  `baseline (inflate to the end): ${baseline.toFixed(0)} ms; ratio refusal/baseline ${(refuse / baseline).toFixed(4)}`,
);
await rm(dir, { recursive: true, force: true });
