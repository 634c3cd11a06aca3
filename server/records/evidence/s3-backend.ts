import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Config } from '../../config.js';
import type { BlobBackend } from './backend.js';

/**
 * Blobs in S3-compatible object storage (ATTACHMENT_STORAGE=s3). Uploads stream as multipart uploads of 8 MiB
 * parts, at most two in flight, so memory stays bounded; the blob is written under tmp/ and copied to its
 * content address once its SM3 is known.
 */
export function s3Backend(config: Config): BlobBackend {
  const bucket = config.S3_BUCKET;
  if (!bucket) throw new Error('ATTACHMENT_STORAGE=s3 需要配置 S3_BUCKET');
  const client = new S3Client({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    // Integrity is ours (SM3 of every blob); many S3-compatible servers do not speak the newer checksum trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials:
      config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
        : undefined,
  });
  const head = async (key: string) => {
    try {
      return await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
      throw err;
    }
  };
  return {
    kind: 's3',
    async writeTemp(source) {
      const key = `tmp/${randomUUID()}`;
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: key, Body: source },
        partSize: 8 * 1024 * 1024,
        queueSize: 2,
        leavePartsOnError: true,
      });
      try {
        await upload.done();
      } catch (err) {
        await upload.abort().catch(() => undefined);
        // A refused type or size surfaces as the stream's error: report that, not the SDK's wrapper.
        throw (source as Readable & { errored?: Error }).errored ?? err;
      }
      return key;
    },
    async commit(temp, key) {
      if (!(await head(key))) {
        await client.send(new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: `${bucket}/${temp}` }));
      }
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: temp }));
    },
    async discard(temp) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: temp }));
    },
    async size(key) {
      const h = await head(key);
      return h ? Number(h.ContentLength ?? 0) : null;
    },
    async read(key, range) {
      const res = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return res.Body as Readable;
    },
  };
}
