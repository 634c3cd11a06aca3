import type { TestApp, TestUser } from './app.js';

export const html = { accept: 'text/html' };

/** Opens a page as a signed-in browser would, keeping the CSRF cookie and token its forms carry. */
export async function openPage(t: TestApp, user: Pick<TestUser, 'token'>, url: string) {
  const page = await t.app.inject({ url, headers: html, cookies: { fashen_session: user.token } });
  const csrf = page.cookies.find((c) => c.name === 'fashen_csrf')?.value ?? '';
  const token = /name="csrf-token" content="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return { page, cookies: { fashen_session: user.token, fashen_csrf: csrf }, token };
}
