import { afterAll, describe, expect, it } from 'vitest';
import { TemplateBudgetError } from './engine.js';
import { RenderThread } from './render-thread.js';

// A short limit for the test that must hit it; the service's own (1 s) for the renders that must not, so that a
// busy machine (the suite's other workers, PostgreSQL) does not turn a quick render into a time-out.
const thread = new RenderThread(100);
const service = new RenderThread();
afterAll(() => Promise.all([thread.close(), service.close()]));

// Under the engine's own iteration meter (140 × 140 < 20,000 loops in all), but slow: the thread's time limit has to
// stop it. The work is in each loop, not in more loops, so the meter cannot trip first on a fast machine.
const SLOW = `{{#each rows}}{{#each cells}}${'{{cnDate ../d}}{{cnNumber this}}'.repeat(20)}{{/each}}{{/each}}`;
const view = {
  rows: Array.from({ length: 140 }, () => ({ d: '2026-12-05', cells: Array.from({ length: 140 }, (_, i) => i % 99) })),
};

describe('rendering templates in a worker thread', () => {
  it('renders as the engine does', async () => {
    expect(await service.render('第{{cnNumber n}}次', { n: 2 })).toBe('第二次');
  });

  it('stops a render at its time limit while the event loop stays free, and renders the next one', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const started = performance.now();
    await expect(thread.render(SLOW, view)).rejects.toBeInstanceOf(TemplateBudgetError);
    clearInterval(ticker);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(ticks).toBeGreaterThan(5);
    expect(await thread.render('{{#each xs}}{{this}}{{/each}}', { xs: [1, 2, 3] })).toBe('123');
  });

  it('hands a template error back with its line', async () => {
    await expect(service.render('a\n{{#each x}}{{/each}}', { x: 1 })).resolves.toBe('a\n');
    await expect(service.render('第一行\n{{missing}}', {})).rejects.toMatchObject({ problem: { line: 2 } });
  });
});
