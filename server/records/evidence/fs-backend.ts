import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobBackend } from './backend.js';

/** Blobs as files: DATA_DIR/attachments/ab/abcdef… (the SM3 in hex), written aside in tmp/ and renamed. */
export function fsBackend(dir: string): BlobBackend {
  return {
    kind: 'fs',
    async writeTemp(source) {
      await mkdir(path.join(dir, 'tmp'), { recursive: true });
      const tmp = path.join('tmp', randomUUID());
      try {
        await pipeline(source, createWriteStream(path.join(dir, tmp)));
      } catch (err) {
        await rm(path.join(dir, tmp), { force: true });
        throw err;
      }
      return tmp;
    },
    async commit(temp, key) {
      await mkdir(path.dirname(path.join(dir, key)), { recursive: true });
      await rename(path.join(dir, temp), path.join(dir, key));
    },
    async discard(temp) {
      await rm(path.join(dir, temp), { force: true });
    },
    async size(key) {
      try {
        return (await stat(path.join(dir, key))).size;
      } catch {
        return null;
      }
    },
    async read(key, range) {
      return createReadStream(path.join(dir, key), range) as Readable;
    },
  };
}
