import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { ARCHIVE_LIMITS, verifyArchive } from './archive-verify.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fashen-archive-limits-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Zeros, streamed: `mib` MiB of them deflate to about a thousandth. */
function zeros(mib: number): Readable {
  const chunk = Buffer.alloc(1024 * 1024);
  let left = mib;
  return new Readable({
    read() {
      this.push(left-- > 0 ? chunk : null);
    },
  });
}

async function zipOf(name: string, add: (zip: yazl.ZipFile) => void): Promise<string> {
  const zip = new yazl.ZipFile();
  add(zip);
  zip.end();
  const file = path.join(dir, name);
  await pipeline(zip.outputStream, createWriteStream(file));
  return file;
}

function archiveProblem(v: Awaited<ReturnType<typeof verifyArchive>>): string {
  expect(v.ok).toBe(false);
  return v.problems[0]?.message ?? '';
}

describe('archive import refuses what would inflate beyond its limits before inflating it', () => {
  it('refuses a zip bomb by its compression ratio, spending almost no CPU', async () => {
    const bomb = await zipOf('bomb.zip', (zip) => zip.addReadStream(zeros(64), 'index.json'));
    const before = process.cpuUsage();
    const v = await verifyArchive(bomb);
    const used = process.cpuUsage(before);
    expect(archiveProblem(v)).toContain('压缩炸弹');
    expect(archiveProblem(v)).toContain('index.json');
    // Inflating the 64 MiB would cost tens of milliseconds of CPU; reading the directory costs almost none.
    expect((used.user + used.system) / 1000).toBeLessThan(50);
  });

  it('refuses too many entries and too much declared content', async () => {
    const many = await zipOf('many.zip', (zip) => {
      for (let i = 0; i < 20; i++) zip.addBuffer(Buffer.from(`{"n":${i}}`), `f${i}.json`);
    });
    expect(archiveProblem(await verifyArchive(many, undefined, { ...ARCHIVE_LIMITS, maxEntries: 10 }))).toContain(
      '条目过多',
    );
    const big = await zipOf('big.zip', (zip) => zip.addBuffer(Buffer.alloc(4096, 7), 'a.bin', { compress: false }));
    expect(archiveProblem(await verifyArchive(big, undefined, { ...ARCHIVE_LIMITS, maxTotalBytes: 1024 }))).toContain(
      '总大小',
    );
  });

  it('passes well-compressing content under the ratio floor on to the real checks', async () => {
    const small = await zipOf('small.zip', (zip) => zip.addBuffer(Buffer.alloc(512 * 1024), 'notes.txt'));
    const message = archiveProblem(await verifyArchive(small));
    expect(message).not.toContain('压缩炸弹');
    expect(message).toContain('缺少');
  });
});
