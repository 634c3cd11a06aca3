import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplateEngine, TemplateBudgetError } from '../server/documents/engine.js';
import { createTestApp, type TestApp, type TestUser } from './helpers/app.js';

let t: TestApp;
let legal: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  const d = await t.newDepartment();
  legal = await t.newUser({ departmentId: d.id, roles: ['legal_admin'] });
});
afterAll(() => t.close());

const text = { 'content-type': 'text/plain; charset=utf-8' };

/** `depth` loops nested over the same root list: 9 points make 9^depth rows. */
function nestedLoops(depth: number): string {
  const open = Array.from({ length: depth }, () => '{{#each @root.points}}').join('\n');
  const close = Array.from({ length: depth }, () => '{{/each}}').join('\n');
  return `# {{department.name}}\n# 法制审核意见书\n[center]{{number}}\n\n${open}\n{{name}}\n${close}\n`;
}

describe('template budgets', () => {
  it.each([
    ['upload', 'PUT', '/api/templates/review_opinion'],
    ['preview', 'POST', '/api/templates/review_opinion/preview'],
  ])(
    'refuses seven nested loops on %s with 422 naming the line, without stalling the service',
    async (_n, method, url) => {
      const started = performance.now();
      const pending = t.app.inject({
        method: method as 'PUT',
        url,
        headers: { ...t.as(legal), ...text },
        payload: nestedLoops(7),
      });
      const health = await t.app.inject({ url: '/health' });
      const res = await pending;
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('TEMPLATE_OVER_BUDGET');
      expect(res.json().error.message).toContain('第 6 行');
      expect(health.statusCode).toBe(200);
      expect(performance.now() - started).toBeLessThan(2000);
    },
  );

  it('refuses a loop inside a loop over an outer list even two levels deep', async () => {
    const source = '# 标题\n{{#each points}}\n{{#each @root.points}}\n{{name}}\n{{/each}}\n{{/each}}\n';
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/templates/review_opinion',
      headers: { ...t.as(legal), ...text },
      payload: source,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('@root.points');
  });

  it('stops a render that spends its iteration budget, naming the loop', () => {
    const engine = createTemplateEngine({ budget: { iterations: 50, millis: 10_000 } });
    const view = { rows: Array.from({ length: 10 }, () => ({ cells: Array.from({ length: 10 }, (_, i) => i) })) };
    const render = () => engine.render('{{#each rows}}\n{{#each cells}}{{this}}{{/each}}\n{{/each}}', view);
    expect(render).toThrow(TemplateBudgetError);
    try {
      render();
    } catch (err) {
      expect((err as TemplateBudgetError).line).toBe(2);
    }
    // The budget is per render: a small render after a refused one goes through.
    expect(engine.render('{{#each rows}}x{{/each}}', view)).toBe('x'.repeat(10));
  });

  it('refuses a preview body that is not template text (a Handlebars AST as JSON)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/templates/review_opinion/preview',
      headers: t.as(legal),
      payload: { type: 'Program', body: [{ type: 'ContentStatement', value: 'x' }] },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
