import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../http/errors.js';
import type { BlobBackend } from './backend.js';
import { ACCEPTED_TYPES, type EvidenceFamily, SNIFF_BYTES, type SniffedType, sniff } from './sniff.js';

export type EvidenceLimits = Record<EvidenceFamily, number>;

export interface StoredEvidence extends SniffedType {
  sm3: string;
  size: number;
  storageKey: string;
}

export interface EvidenceStore {
  readonly backend: BlobBackend;
  readonly limits: EvidenceLimits;
  /** Streams an upload to storage: type checked on its first bytes, size limited per type, SM3 computed on the way. */
  put(source: Readable & { truncated?: boolean }): Promise<StoredEvidence>;
  open(
    storageKey: string,
    range?: string,
  ): Promise<{ stream: Readable; size: number; partial: { start: number; end: number } | null }>;
  /** SM3 of a stored blob as it is now (null when it is gone). */
  hashKey(storageKey: string): Promise<string | null>;
}

const FAMILY_LABEL: Record<EvidenceFamily, string> = { document: '文书', image: '图片', audio: '音频', video: '视频' };

export const storageKeyOf = (sm3: string) => `${sm3.slice(0, 2)}/${sm3}`;

/**
 * Sits between the upload and storage: holds back the first bytes until it can name the type, refuses a type
 * outside the allow-list (415) or bytes past the type's limit (413), and hashes with SM3 as the bytes pass. It
 * never holds more than SNIFF_BYTES, so memory stays flat whatever the file size.
 */
class EvidenceGate extends Transform {
  readonly hash = createHash('sm3');
  /** Not `size`: the S3 SDK reads a Body's `size` as its length. */
  bytes = 0;
  type: SniffedType | null = null;
  private head: Buffer[] = [];
  private headBytes = 0;

  constructor(private readonly limits: EvidenceLimits) {
    super();
  }

  private decide(): Error | null {
    const head = Buffer.concat(this.head);
    this.type = sniff(head);
    if (!this.type) {
      return new AppError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `文件内容不属于允许的证据类型（按内容识别，允许：${ACCEPTED_TYPES}）`,
      );
    }
    this.head = [];
    this.push(head);
    return this.checkLimit();
  }

  private checkLimit(): Error | null {
    const limit = this.type ? this.limits[this.type.family] : Math.max(...Object.values(this.limits));
    if (this.bytes <= limit) return null;
    const label = this.type ? FAMILY_LABEL[this.type.family] : '附件';
    return new AppError(413, 'PAYLOAD_TOO_LARGE', `${label}超过 ${limit} 字节上限`, {
      limit,
      family: this.type?.family,
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void) {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    if (this.type) {
      const err = this.checkLimit();
      if (err) return done(err);
      this.push(chunk);
      return done();
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    done(this.headBytes >= SNIFF_BYTES ? this.decide() : null);
  }

  override _flush(done: (err?: Error | null) => void) {
    if (this.type) return done();
    if (this.headBytes === 0) return done(new AppError(400, 'VALIDATION_FAILED', '文件为空'));
    done(this.decide());
  }
}

function parseRange(range: string | undefined, size: number) {
  const m = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start = m[1] === '' ? size - Number(m[2]) : Number(m[1]);
  let end = m[1] === '' || m[2] === '' ? size - 1 : Number(m[2]);
  start = Math.max(0, start);
  end = Math.min(end, size - 1);
  if (start > end) throw new AppError(416, 'BAD_REQUEST', '请求的字节范围无效');
  return { start, end };
}

export function evidenceStore(backend: BlobBackend, limits: EvidenceLimits): EvidenceStore {
  return {
    backend,
    limits,
    async put(source) {
      const gate = new EvidenceGate(limits);
      // The gate's error (type or size refused) or the upload's (client gone) reaches writeTemp through the gate.
      const feeding = pipeline(source, gate).catch(() => undefined);
      const temp = await backend.writeTemp(gate);
      await feeding;
      if (source.truncated) {
        await backend.discard(temp);
        throw new AppError(413, 'PAYLOAD_TOO_LARGE', `附件超过 ${Math.max(...Object.values(limits))} 字节上限`);
      }
      const sm3 = gate.hash.digest('hex');
      const storageKey = storageKeyOf(sm3);
      await backend.commit(temp, storageKey);
      return { ...(gate.type as SniffedType), sm3, size: gate.bytes, storageKey };
    },
    async open(storageKey, range) {
      const size = await backend.size(storageKey);
      if (size === null) throw new AppError(404, 'ATTACHMENT_NOT_FOUND', '附件文件不存在');
      const partial = parseRange(range, size);
      return { stream: await backend.read(storageKey, partial ?? undefined), size, partial };
    },
    async hashKey(storageKey) {
      if ((await backend.size(storageKey)) === null) return null;
      const h = createHash('sm3');
      await pipeline(await backend.read(storageKey), async (chunks: AsyncIterable<Buffer>) => {
        for await (const c of chunks) h.update(c);
      });
      return h.digest('hex');
    },
  };
}
