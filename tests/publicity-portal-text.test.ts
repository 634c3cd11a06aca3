import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequenceAndCheckpoint } from '../server/records/tree.js';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.newDepartment({ name: '市场监督管理局门户测试' });
});
afterAll(() => t.close());

/** What a visitor reads: the page's text without markup, scripts and the closed 技术信息 disclosures. */
function visibleText(html: string): string {
  return html
    .replace(/<details[\s\S]*?<\/details>/g, '')
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ');
}

describe('the portal home page speaks to the public', () => {
  it('shows the checkpoint time in Beijing time, Chinese form, and keeps hashes and API paths under 技术信息', async () => {
    const { checkpoint } = await sequenceAndCheckpoint(
      t.db,
      t.core.records.systemKey,
      new Date('2026-12-04T17:30:00Z'),
    );
    const res = await t.app.inject({ url: '/public' });
    expect(res.statusCode).toBe(200);
    const text = visibleText(res.body);
    expect(text).toContain('截至 2026年12月5日 01:30');
    expect(text).not.toMatch(/GMT|Coordinated Universal Time|\d{4}-\d{2}-\d{2}T/);
    expect(text).not.toMatch(/[0-9a-f]{32,}/i);
    expect(text).not.toContain('/api/');
    expect(res.body).toMatch(/<details class="tech">\s*<summary>技术信息<\/summary>/);
    expect(res.body).toContain(checkpoint.root);
    expect(text).toContain('市场监督管理局门户测试');
  });
});
