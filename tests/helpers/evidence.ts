import { randomBytes } from 'node:crypto';
import type { TestApp, TestUser } from './app.js';

/** Bytes that start like the named type, then filler: the allow-list looks at content only. */
export const sample = {
  pdf: (n = 10_000) => Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(n), Buffer.from('\n%%EOF\n')]),
  png: (n = 5_000) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(n)]),
  mp4: (n = 20_000) =>
    Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(12), randomBytes(n)]),
  text: (n = 10_000) => Buffer.from('这不是证据文件。'.repeat(Math.ceil(n / 24))),
};

export function multipart(files: { name: string; content: Buffer; type?: string }[]) {
  const boundary = `----fashen${randomBytes(6).toString('hex')}`;
  const parts = files.flatMap((f) => [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    f.content,
    Buffer.from('\r\n'),
  ]);
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

export function upload(
  t: TestApp,
  user: TestUser,
  caseId: string,
  files: { name: string; content: Buffer; type?: string }[],
) {
  const body = multipart(files);
  return t.app.inject({
    method: 'POST',
    url: `/api/cases/${caseId}/attachments`,
    headers: { ...t.as(user), 'content-type': body.contentType },
    payload: body.payload,
  });
}
