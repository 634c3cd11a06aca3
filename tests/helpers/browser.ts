import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestApp, TestUser } from './app.js';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

/** Debian's Chromium driven by playwright-core, with the flags this sandbox needs. */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Serves a test app on a real port (browser tests need one; app.inject is not enough). */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** A browser context logged in as `user` through the login page; console errors are collected. */
export async function loggedIn(
  browser: Browser,
  base: string,
  user: TestUser,
  viewport = { width: 1280, height: 900 },
) {
  const context: BrowserContext = await browser.newContext({ viewport, locale: 'zh-CN', acceptDownloads: true });
  const page: Page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return { context, page, consoleErrors };
}

/** Where tests save screenshots (git-ignored) for a person to look at. */
export const SCREENSHOTS = new URL('../../.artifacts/screenshots/', import.meta.url);

/**
 * Waits until the element's text contains `text` (playwright-core has no test assertions; vitest polls).
 * `innerText` reads only what is rendered visibly; `textContent` reads all text of the element.
 */
export async function sees(loc: Locator, text: string, read: 'textContent' | 'innerText' = 'textContent') {
  await expect
    .poll(
      () =>
        loc
          .first()
          [read]({ timeout: 1000 })
          .catch(() => ''),
      { timeout: 15_000 },
    )
    .toContain(text);
}
