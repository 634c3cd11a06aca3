import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from '../../tests/helpers/multipart.js';
import { type FormUpload, readUploadForm } from './form-upload.js';

const app = Fastify();
const seen = (body: unknown) => body as FormUpload & { contentText?: string };

beforeAll(async () => {
  await app.register(multipart);
  await app.register(formbody);
  const preHandler = readUploadForm({
    maxFileBytes: 16,
    fields: ['mode'],
    tooLarge: '文件不能超过 16 字节',
    shape: (u) => ({ ...u, file: u.file && { name: u.file.name, text: u.file.content.toString('utf8') } }),
  });
  app.post('/upload', { preHandler }, async (request) => request.body);
  await app.ready();
});
afterAll(() => app.close());

const post = (form: ReturnType<typeof multipartBody>) =>
  app.inject({ method: 'POST', url: '/upload', headers: { 'content-type': form.contentType }, payload: form.body });
const file = (content: string) => ({
  field: 'file',
  fileName: '清单.csv',
  type: 'text/csv',
  content: Buffer.from(content),
});

describe('readUploadForm', () => {
  it('reads the named fields and the file, and ignores other fields', async () => {
    const res = await post(
      multipartBody(
        [
          ['_csrf', 'token'],
          ['mode', 'replace'],
          ['other', 'x'],
        ],
        [file('a,b')],
      ),
    );
    expect(res.json()).toEqual({
      fields: { _csrf: 'token', mode: 'replace' },
      file: { name: '清单.csv', text: 'a,b' },
    });
  });

  it('treats an empty file input as no file', async () => {
    expect(seen((await post(multipartBody([['mode', 'merge']], [file('')]))).json())).toEqual({
      fields: { mode: 'merge' },
    });
  });

  it('says the file is too large instead of failing the request', async () => {
    const res = await post(multipartBody([['_csrf', 'token']], [file('x'.repeat(17))]));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ fields: { _csrf: 'token' }, uploadError: '文件不能超过 16 字节' });
    expect(res.json().file).toBeUndefined();
  });

  it('leaves a urlencoded form as Fastify parsed it', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'mode=merge&content=abc',
    });
    expect(res.json()).toEqual({ mode: 'merge', content: 'abc' });
  });
});
