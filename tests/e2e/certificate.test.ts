import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import jsqr from 'jsqr';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../helpers/app.js';
import { hasChromium, launchBrowser, listen, loggedIn, SCREENSHOTS, sees } from '../helpers/browser.js';

let t: TestApp;
let base: string;
let browser: Browser;
let officer: TestUser;

beforeAll(async () => {
  if (!hasChromium) return;
  t = await createTestApp();
  const d = await t.newDepartment({ name: '交通运输综合行政执法支队' });
  officer = await t.newUser({ departmentId: d.id, roles: ['officer'] });
  base = await listen(t);
  browser = await launchBrowser();
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

// jsqr is CommonJS whose types declare an ES default export; under NodeNext the default import is the module.
const jsQR = (jsqr as unknown as { default: typeof jsqr.default }).default;

/** Rasterises the QR code's SVG as the browser draws it and returns what a scanner reads from the pixels. */
async function decodeQr(qr: Locator): Promise<string | null> {
  const size = 400;
  const rgba = await qr.evaluate(async (el, px) => {
    const svg = el.querySelector('svg');
    if (!svg) return null;
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.outerHTML)}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = px;
    canvas.height = px;
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.drawImage(img, 0, 0, px, px);
    return Array.from(ctx.getImageData(0, 0, px, px).data);
  }, size);
  return rgba ? (jsQR(Uint8ClampedArray.from(rgba), size, size)?.data ?? null) : null;
}

describe.skipIf(!hasChromium)('亮证执法 in a browser', () => {
  it('shows the officer a QR code on a phone, and its link opens the public check saying 有效', async () => {
    const { page, consoleErrors } = await loggedIn(browser, base, officer, { width: 390, height: 844 });
    await page.goto(`${base}/me/certificate`);
    const qr = page.getByRole('img', { name: '执法证件核验二维码' });
    const box = await qr.boundingBox();
    expect(box?.width).toBeGreaterThan(150);
    const link = page.getByRole('link', { name: /\/public\/certificates\// });
    expect(await decodeQr(qr)).toBe(await link.getAttribute('href'));
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${base}/public/certificates/TEST\\d+$`));
    await page.screenshot({ path: fileURLToPath(new URL('me-certificate.png', SCREENSHOTS)), fullPage: true });
    await link.click();
    await sees(page.locator('main'), '有效');
    await sees(page.locator('main'), '交通运输综合行政执法支队');
    await page.screenshot({ path: fileURLToPath(new URL('public-certificate.png', SCREENSHOTS)), fullPage: true });
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
  });
});
