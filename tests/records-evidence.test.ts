import { createHash } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, manualClock, type TestApp } from './helpers/app.js';
import { sample, upload } from './helpers/evidence.js';
import { deploy, workflowFile } from './helpers/flows.js';
import { freePort } from './helpers/processes.js';
import { type Crew, submitCase, tempDataDir } from './helpers/records.js';

const sm3 = (b: Buffer) => createHash('sm3').update(b).digest('hex');

async function crewOf(t: TestApp): Promise<Crew> {
  const d = await t.newDepartment();
  const crew = {
    officer: await t.newUser({ departmentId: d.id, roles: ['officer'] }),
    reviewers: [await t.newUser({ departmentId: d.id, roles: ['reviewer'] })],
    chief: await t.newUser({ departmentId: d.id, roles: ['chief'] }),
    legal: await t.newUser({ departmentId: d.id, roles: ['legal_admin'] }),
  };
  await deploy(t, crew.legal, await workflowFile('legal-review.bpmn'));
  return crew;
}

describe('evidence files on the filesystem', () => {
  const clock = manualClock(new Date());
  const dataDir = tempDataDir();
  let t: TestApp;
  let crew: Crew;
  beforeAll(async () => {
    t = await createTestApp({ DATA_DIR: dataDir, ATTACHMENT_IMAGE_MAX_BYTES: 4096 }, { clock });
    crew = await crewOf(t);
  });
  afterAll(() => t.close());

  it('names the type from the content, not the file name, and records the file’s SM3', async () => {
    const caseId = await submitCase(t, crew);
    const pdf = sample.pdf();
    const res = await upload(t, crew.officer, caseId, [{ name: '现场照片.jpg', content: pdf, type: 'image/jpeg' }]);
    expect(res.statusCode).toBe(201);
    expect(res.json().items[0]).toMatchObject({ mediaType: 'application/pdf', sm3: sm3(pdf), size: pdf.length });
    const record = (await t.app.inject({ url: `/api/cases/${caseId}/record`, headers: t.as(crew.officer) })).json();
    const uploaded = record.items.find((r: { type: string }) => r.type === 'attachment.uploaded');
    expect(uploaded.files).toEqual([{ kind: 'attachment', id: res.json().items[0].id, sm3: sm3(pdf) }]);
  });

  it('refuses content outside the allow-list whatever its name (415)', async () => {
    const caseId = await submitCase(t, crew);
    const res = await upload(t, crew.officer, caseId, [
      { name: '笔录.pdf', content: sample.text(), type: 'application/pdf' },
    ]);
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('limits size per type: an image over the image limit is refused, a larger PDF is not (413)', async () => {
    const caseId = await submitCase(t, crew);
    const big = await upload(t, crew.officer, caseId, [{ name: 'a.png', content: sample.png(8000) }]);
    expect(big.statusCode).toBe(413);
    expect(big.json().error.details).toMatchObject({ family: 'image', limit: 4096 });
    expect((await upload(t, crew.officer, caseId, [{ name: 'a.pdf', content: sample.pdf(8000) }])).statusCode).toBe(
      201,
    );
    const tmp = await readdir(path.join(dataDir, 'attachments', 'tmp'));
    expect(tmp).toEqual([]);
  });

  it('serves byte ranges for playback', async () => {
    const caseId = await submitCase(t, crew);
    const video = sample.mp4();
    const id = (await upload(t, crew.officer, caseId, [{ name: 'v.mp4', content: video }])).json().items[0].id;
    const res = await t.app.inject({
      url: `/api/cases/${caseId}/attachments/${id}`,
      headers: { ...t.as(crew.officer), range: 'bytes=100-199' },
    });
    expect(res.statusCode).toBe(206);
    expect(res.headers['content-type']).toBe('video/mp4');
    expect(res.rawPayload.equals(video.subarray(100, 200))).toBe(true);
  });

  it('finds a stored file changed on disk when files are re-hashed', async () => {
    const caseId = await submitCase(t, crew);
    const pdf = sample.pdf();
    await upload(t, crew.officer, caseId, [{ name: 'a.pdf', content: pdf }]);
    const verify = (files: boolean) =>
      t.app.inject({ url: `/api/cases/${caseId}/record/verify?files=${files}`, headers: t.as(crew.officer) });
    expect((await verify(true)).json().ok).toBe(true);
    const h = sm3(pdf);
    await writeFile(path.join(dataDir, 'attachments', h.slice(0, 2), h), sample.pdf());
    const v = (await verify(true)).json();
    expect(v.firstProblem).toMatchObject({ check: 'file', expected: h });
  });

  it('takes a large file in chunks and resumes from the offset it reports', async () => {
    const caseId = await submitCase(t, crew);
    const video = sample.mp4(300_000);
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/uploads`,
      headers: t.as(crew.officer),
      payload: { fileName: '执法记录仪.mp4', size: video.length },
    });
    expect(created.statusCode).toBe(201);
    const url = `/api/cases/${caseId}/uploads/${created.json().uploadId}`;
    const patch = (offset: number, chunk: Buffer) =>
      t.app.inject({
        method: 'PATCH',
        url,
        headers: {
          ...t.as(crew.officer),
          'content-type': 'application/offset+octet-stream',
          'upload-offset': String(offset),
        },
        payload: chunk,
      });
    expect((await patch(0, video.subarray(0, 100_000))).json().offset).toBe(100_000);
    // The line drops; the client asks where to go on from.
    const state = (await t.app.inject({ url, headers: t.as(crew.officer) })).json();
    expect(state.offset).toBe(100_000);
    expect((await patch(50_000, video.subarray(50_000, 60_000))).statusCode).toBe(409);
    await patch(100_000, video.subarray(100_000, 200_000));
    const done = (await patch(200_000, video.subarray(200_000))).json();
    expect(done.attachment).toMatchObject({ mediaType: 'video/mp4', size: video.length, sm3: sm3(video) });
  });

  it('cleans file names alike on both upload paths and gives them the extension of their content', async () => {
    const caseId = await submitCase(t, crew);
    const pdf = sample.pdf(2000);
    const multi = await upload(t, crew.officer, caseId, [{ name: '..\\..\\x.exe', content: pdf }]);
    expect(multi.json().items[0].fileName).toBe('x.exe.pdf');
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/uploads`,
      headers: t.as(crew.officer),
      payload: { fileName: '../../../../tmp/询问\r\n笔录.pdf', size: pdf.length },
    });
    expect(created.json().fileName).toBe('询问笔录.pdf');
    const done = await t.app.inject({
      method: 'PATCH',
      url: `/api/cases/${caseId}/uploads/${created.json().uploadId}`,
      headers: { ...t.as(crew.officer), 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      payload: pdf,
    });
    expect(done.json().attachment.fileName).toBe('询问笔录.pdf');
    const record = (await t.app.inject({ url: `/api/cases/${caseId}/record`, headers: t.as(crew.officer) })).json();
    const names = record.items
      .filter((r: { type: string }) => r.type === 'attachment.uploaded')
      .map((r: { payload: { fileName: string } }) => r.payload.fileName);
    expect(names).toEqual(['x.exe.pdf', '询问笔录.pdf']);
  });

  it('lists every case of the same enforcement target together (同一执法对象)', async () => {
    const idCode = `91320900MA${Date.now()}`;
    const party = { type: 'organization', name: '某某食品有限公司', idCode, address: '盐城市' };
    const a = await submitCase(t, crew, { party });
    const b = await submitCase(t, crew, { party });
    await submitCase(t, crew);
    await upload(t, crew.officer, a, [{ name: 'a.pdf', content: sample.pdf() }]);
    const res = await t.app.inject({ url: `/api/records/targets/${idCode}`, headers: t.as(crew.officer) });
    const cases = res.json().cases;
    expect(cases.map((c: { caseId: string }) => c.caseId).sort()).toEqual([a, b].sort());
    expect(cases.find((c: { caseId: string }) => c.caseId === a).attachments).toHaveLength(1);
    expect(cases.every((c: { records: number }) => c.records > 0)).toBe(true);
  });
});

describe('evidence files in S3-compatible storage (s3rver)', () => {
  let t: TestApp;
  let crew: Crew;
  let s3: S3rver;
  beforeAll(async () => {
    const port = await freePort();
    s3 = new S3rver({
      port,
      address: '127.0.0.1',
      directory: tempDataDir(),
      silent: true,
      configureBuckets: [{ name: 'evidence' }],
    });
    await s3.run();
    t = await createTestApp({
      DATA_DIR: tempDataDir(),
      ATTACHMENT_STORAGE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: 'evidence',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
    crew = await crewOf(t);
  });
  afterAll(async () => {
    await t.close();
    await s3.close();
  });

  it('stores, serves ranges of and re-hashes files in the bucket', async () => {
    const caseId = await submitCase(t, crew);
    const video = sample.mp4(12 * 1024 * 1024); // larger than one 8 MiB part: a multipart upload
    const res = await upload(t, crew.officer, caseId, [{ name: 'v.mp4', content: video }]);
    expect(res.statusCode).toBe(201);
    const item = res.json().items[0];
    expect(item.sm3).toBe(sm3(video));
    const part = await t.app.inject({
      url: `/api/cases/${caseId}/attachments/${item.id}`,
      headers: { ...t.as(crew.officer), range: 'bytes=9000000-9000099' },
    });
    expect(part.statusCode).toBe(206);
    expect(part.rawPayload.equals(video.subarray(9_000_000, 9_000_100))).toBe(true);
    const v = await t.app.inject({ url: `/api/cases/${caseId}/record/verify?files=true`, headers: t.as(crew.officer) });
    expect(v.json().ok).toBe(true);
    expect((await upload(t, crew.officer, caseId, [{ name: 'x.pdf', content: sample.text() }])).statusCode).toBe(415);
  });
});
