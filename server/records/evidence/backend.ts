import type { Readable } from 'node:stream';

/** Where evidence bytes live: the filesystem under DATA_DIR, or S3-compatible object storage. */
export interface BlobBackend {
  readonly kind: 'fs' | 's3';
  /** Streams a new blob aside (not yet under its content address). */
  writeTemp(source: Readable): Promise<string>;
  /** Moves an aside blob to its content address; a blob already there (same content) wins. */
  commit(temp: string, key: string): Promise<void>;
  discard(temp: string): Promise<void>;
  size(key: string): Promise<number | null>;
  read(key: string, range?: { start: number; end: number }): Promise<Readable>;
}
