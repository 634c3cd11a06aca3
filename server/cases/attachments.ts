import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../http/errors.js';

/**
 * Attachments are stored once per content, under their SM3 hash (DATA_DIR/attachments/ab/abcdef…): the hash
 * recorded with the case is also the file's name, so any change to a stored file is visible.
 */
export async function storeUpload(
  dir: string,
  source: NodeJS.ReadableStream & { truncated?: boolean },
  maxBytes: number,
): Promise<{ sm3: string; size: number; storageKey: string }> {
  await mkdir(path.join(dir, 'tmp'), { recursive: true });
  const tmp = path.join(dir, 'tmp', randomUUID());
  const hash = createHash('sm3');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new AppError(413, 'PAYLOAD_TOO_LARGE', `附件超过 ${maxBytes} 字节上限`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(tmp));
    if (source.truncated) throw new AppError(413, 'PAYLOAD_TOO_LARGE', `附件超过 ${maxBytes} 字节上限`);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const sm3 = hash.digest('hex');
  const storageKey = `${sm3.slice(0, 2)}/${sm3}`;
  await mkdir(path.join(dir, sm3.slice(0, 2)), { recursive: true });
  await rename(tmp, path.join(dir, storageKey));
  return { sm3, size, storageKey };
}

/** Opens a stored attachment, whole or a byte range (so audio and video can be played and seeked in the page). */
export async function openStored(dir: string, storageKey: string, range?: string) {
  const file = path.join(dir, storageKey);
  const { size } = await stat(file);
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
  if (!m || (m[1] === '' && m[2] === '')) return { stream: createReadStream(file), size, partial: null };
  let start = m[1] === '' ? size - Number(m[2]) : Number(m[1]);
  let end = m[1] === '' || m[2] === '' ? size - 1 : Number(m[2]);
  start = Math.max(0, start);
  end = Math.min(end, size - 1);
  if (start > end) throw new AppError(416, 'BAD_REQUEST', '请求的字节范围无效');
  return { stream: createReadStream(file, { start, end }), size, partial: { start, end } };
}
