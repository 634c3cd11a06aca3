/**
 * Memory while a large evidence file streams in: uploads N MiB (default 500) of generated MP4 through the real
 * HTTP port as multipart/form-data, sampling the process RSS every 50 ms, and reports the peak above the
 * resting level. The file is generated on the fly from one 1 MiB block, so the client holds no copy either.
 * Needs PostgreSQL and Redis like the tests; run with `npx tsx bench/upload.ts [MiB]`.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { createTestApp } from '../tests/helpers/app.js';
import { deploy, workflowFile } from '../tests/helpers/flows.js';
import { type Crew, submitCase, tempDataDir } from '../tests/helpers/records.js';

const MIB = Number(process.argv[2] ?? 500);
const t = await createTestApp({ DATA_DIR: tempDataDir() });
try {
  const d = await t.newDepartment();
  const crew: Crew = {
    officer: await t.newUser({ departmentId: d.id, roles: ['officer'] }),
    reviewers: [await t.newUser({ departmentId: d.id, roles: ['reviewer'] })],
    chief: await t.newUser({ departmentId: d.id, roles: ['chief'] }),
    legal: await t.newUser({ departmentId: d.id, roles: ['legal_admin'] }),
  };
  await deploy(t, crew.legal, await workflowFile('legal-review.bpmn'));
  const caseId = await submitCase(t, crew);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };

  const block = randomBytes(1024 * 1024);
  const head = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(12)]);
  const expected = createHash('sm3').update(head);
  for (let i = 0; i < MIB; i++) expected.update(block);
  const boundary = '----fashenbench';
  const open = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="执法记录仪.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
  const close = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* body() {
    yield open;
    yield head;
    for (let i = 0; i < MIB; i++) yield block;
    yield close;
  }

  global.gc?.();
  await new Promise((r) => setTimeout(r, 500));
  const rest = process.memoryUsage().rss;
  let peak = rest;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: `/api/cases/${caseId}/attachments`,
        headers: {
          authorization: `Bearer ${crew.officer.token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': open.length + head.length + MIB * block.length + close.length,
        },
      },
      (r) => {
        let text = '';
        r.on('data', (c) => {
          text += c;
        });
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    Readable.from(body()).pipe(req);
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const item = JSON.parse(res.body).items?.[0];
  const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
  console.log(
    `upload ${MIB} MiB: HTTP ${res.status} in ${seconds.toFixed(1)} s (${(MIB / seconds).toFixed(0)} MiB/s), sm3 ${item?.sm3 === expected.digest('hex') ? 'matches' : 'DIFFERS'}`,
  );
  console.log(
    `RSS at rest ${mb(rest)} MiB, peak during upload ${mb(peak)} MiB: +${mb(peak - rest)} MiB for a ${MIB} MiB file`,
  );
} finally {
  await t.close();
}
