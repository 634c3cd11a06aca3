import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentData } from '../server/documents/kinds.js';
import { sampleDataOf } from '../server/documents/samples.js';
import { getDocument, issueDocument } from '../server/documents/service.js';
import { IEND, ihdr, pngChunk, redSealPng, rgbPng, SIGNATURE } from '../server/documents/testing/seal-png.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';
import { docxEntries } from './helpers/docx-zip.js';
import { multipartFile } from './helpers/multipart.js';

let t: TestApp;
let deptA: { id: string };
let deptB: { id: string };
let admin: TestUser;
let legalA: TestUser;
let legalB: TestUser;
let officerA: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  deptA = await t.newDepartment({ name: '盐城市市场监督管理局' });
  deptB = await t.newDepartment();
  admin = await t.newUser({ departmentId: deptB.id, roles: ['admin'] });
  legalA = await t.newUser({ departmentId: deptA.id, roles: ['legal_admin'] });
  legalB = await t.newUser({ departmentId: deptB.id, roles: ['legal_admin'] });
  officerA = await t.newUser({ departmentId: deptA.id, roles: ['officer'] });
});
afterAll(() => t.close());

const SEAL = redSealPng(300);
const sealUrl = (id: string) => `/api/departments/${id}/seal`;

function putPng(user: TestUser, departmentId: string, payload: Buffer, type = 'image/png') {
  return t.app.inject({
    method: 'PUT',
    url: sealUrl(departmentId),
    headers: { ...t.as(user), 'content-type': type },
    payload,
  });
}

function issue(departmentId: string, doc: DocumentData) {
  return t.db.transaction().execute((trx) =>
    issueDocument(trx, t.app.documentTemplates, {
      ...doc,
      departmentId,
      caseId: null,
      createdBy: null,
      at: new Date('2026-11-25T02:00:00Z'),
    }),
  );
}
const opinion: DocumentData = { kind: 'review_opinion', data: sampleDataOf('review_opinion') };

describe('uploading a department seal', () => {
  it('stores a PNG from a system admin, reads its size from the IHDR and serves it back for preview', async () => {
    const res = await putPng(admin, deptB.id, SEAL);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      departmentId: deptB.id,
      width: 300,
      height: 300,
      size: SEAL.length,
      sm3: createHash('sm3').update(SEAL).digest('hex'),
      uploadedBy: admin.id,
      warnings: [],
    });
    const got = await t.app.inject({ url: sealUrl(deptB.id), headers: t.as(admin) });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.rawPayload.equals(SEAL)).toBe(true);
  });

  it("lets a department's own legal admin replace its seal, as a multipart form too", async () => {
    const first = await putPng(legalA, deptA.id, redSealPng(200));
    expect(first.statusCode, first.body).toBe(200);
    const form = multipartFile('file', 'seal.png', 'image/png', SEAL);
    const res = await t.app.inject({
      method: 'PUT',
      url: sealUrl(deptA.id),
      headers: { ...t.as(legalA), 'content-type': form.contentType },
      payload: form.body,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ width: 300, height: 300, size: SEAL.length });
  });

  it("refuses other departments' legal admins and officers, in the one error shape", async () => {
    for (const [user, method] of [
      [legalB, 'PUT'],
      [legalB, 'GET'],
      [legalB, 'DELETE'],
      [officerA, 'PUT'],
    ] as const) {
      const res = await t.app.inject({
        method,
        url: sealUrl(deptA.id),
        headers: { ...t.as(user), 'content-type': 'image/png' },
        payload: method === 'PUT' ? SEAL : undefined,
      });
      expect(res.statusCode, `${method} ${res.body}`).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    const anonymous = await t.app.inject({ url: sealUrl(deptA.id) });
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses what is not a PNG by its bytes, whatever the declared type (415)', async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
    for (const res of [
      await putPng(legalA, deptA.id, jpeg),
      await putPng(legalA, deptA.id, Buffer.from('<svg/>')),
      await putPng(legalA, deptA.id, SEAL, 'image/jpeg'),
    ]) {
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('refuses an upload over 512 KiB (413), raw or in a form', async () => {
    const big = Buffer.concat([SEAL, Buffer.alloc(600 * 1024)]);
    const raw = await putPng(legalA, deptA.id, big);
    expect(raw.statusCode).toBe(413);
    expect(raw.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    const form = multipartFile('file', 'seal.png', 'image/png', big);
    const multipart = await t.app.inject({
      method: 'PUT',
      url: sealUrl(deptA.id),
      headers: { ...t.as(legalA), 'content-type': form.contentType },
      payload: form.body,
    });
    expect(multipart.statusCode).toBe(413);
    expect(multipart.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a truncated PNG, a damaged IHDR and sizes out of the limits (400)', async () => {
    const damagedIhdr = Buffer.from(SEAL);
    damagedIhdr[SIGNATURE.length + 8 + 3] ^= 0xff; // width's low byte, so the IHDR's CRC no longer matches
    const idat = SEAL.subarray(SIGNATURE.length + 25, SEAL.length - IEND.length);
    const withHeader = (header: Buffer) => Buffer.concat([SIGNATURE, header, idat, IEND]);
    const cases: [string, Buffer, RegExp][] = [
      ['truncated', SEAL.subarray(0, Math.floor(SEAL.length / 2)), /不完整|截断/],
      ['signature only', SIGNATURE, /不完整/],
      ['damaged IHDR', damagedIhdr, /IHDR.*CRC|CRC/],
      ['IHDR not first', Buffer.concat([SIGNATURE, pngChunk('tEXt', Buffer.from('a\0b')), IEND]), /IHDR/],
      ['zero width', withHeader(ihdr(0, 300)), /尺寸/],
      ['bad colour type', withHeader(ihdr(300, 300, 5)), /颜色类型/],
      ['data shorter than the header says', withHeader(ihdr(300, 301)), /图像数据/],
      ['too small', rgbPng(60, 60), /每边应在/],
      ['too large', withHeader(ihdr(5000, 5000)), /每边应在/],
      ['too elongated', rgbPng(300, 120), /长边不应超过短边/],
    ];
    for (const [name, bytes, message] of cases) {
      const res = await putPng(legalA, deptA.id, bytes);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(message) });
    }
  });

  it('accepts a seal without a transparent background, with a warning', async () => {
    const dept = await t.newDepartment();
    const res = await putPng(admin, dept.id, rgbPng(200, 200));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().warnings[0]).toMatch(/透明背景/);
  });

  it('removes a seal; a department without one answers 404', async () => {
    const dept = await t.newDepartment();
    expect((await putPng(admin, dept.id, SEAL)).statusCode).toBe(200);
    const removed = await t.app.inject({ method: 'DELETE', url: sealUrl(dept.id), headers: t.as(admin) });
    expect(removed.statusCode).toBe(204);
    const again = await t.app.inject({ method: 'DELETE', url: sealUrl(dept.id), headers: t.as(admin) });
    expect(again.statusCode).toBe(404);
    expect((await t.app.inject({ url: sealUrl(dept.id), headers: t.as(admin) })).json().error.code).toBe('NOT_FOUND');
    const unknown = await putPng(admin, '00000000-0000-4000-8000-000000000000', SEAL);
    expect(unknown.statusCode).toBe(404);
  });
});

describe('documents of a department with a seal', () => {
  it('carry the uploaded PNG as a drawing anchored behind the organ name, covered by the SM3 digest', async () => {
    const dept = await t.newDepartment({ name: '某某市司法局' });
    expect((await putPng(admin, dept.id, SEAL)).statusCode).toBe(200);
    const issued = await issue(dept.id, opinion);
    const doc = await getDocument(t.db, issued.id);
    expect(doc?.sm3).toBe(createHash('sm3').update(doc!.content).digest('hex'));
    const entries = await docxEntries(doc!.content);
    const media = [...entries.keys()].filter((name) => name.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    expect(entries.get(media[0])?.equals(SEAL)).toBe(true);
    const xml = entries.get('word/document.xml')!.toString('utf8');
    const anchors = xml.match(/<wp:anchor[^>]*>/g) ?? [];
    expect(anchors).toHaveLength(1);
    expect(anchors[0]).toContain('behindDoc="1"');
    // The drawing sits in the paragraph of the organ name, the line above the date.
    const paragraph = xml.split('<w:p>').find((p) => p.includes('<wp:anchor'));
    expect(paragraph).toContain('某某市司法局');
    // 42 mm across: 1,512,000 EMU.
    expect(xml).toMatch(/<wp:extent cx="151\d{4}" cy="151\d{4}"\/>/);
  });

  it('have no image when the department has no seal, or when the template has no [seal] line', async () => {
    const plain = await t.newDepartment();
    const withoutSeal = await docxEntries((await getDocument(t.db, (await issue(plain.id, opinion)).id))!.content);
    expect([...withoutSeal.keys()].some((name) => name.startsWith('word/media/'))).toBe(false);
    expect(withoutSeal.get('word/document.xml')!.toString('utf8')).not.toContain('<w:drawing>');

    const decision: DocumentData = { kind: 'chief_decision', data: sampleDataOf('chief_decision') };
    const unsealedKind = await docxEntries((await getDocument(t.db, (await issue(deptB.id, decision)).id))!.content);
    expect([...unsealedKind.keys()].some((name) => name.startsWith('word/media/'))).toBe(false);
  });

  it("shows the seal in a legal admin's template preview", async () => {
    const dept = await t.newDepartment();
    const legal = await t.newUser({ departmentId: dept.id, roles: ['legal_admin'] });
    expect((await putPng(legal, dept.id, SEAL)).statusCode).toBe(200);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/templates/correction_notice/preview',
      headers: { ...t.as(legal), 'content-type': 'text/plain' },
      payload: '',
    });
    expect(res.statusCode, res.body).toBe(200);
    const entries = await docxEntries(res.rawPayload);
    const media = [...entries.keys()].filter((name) => name.startsWith('word/media/'));
    expect(media.map((name) => entries.get(name)?.equals(SEAL))).toEqual([true]);
  });
});
