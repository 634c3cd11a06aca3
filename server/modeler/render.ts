import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { AppError } from '../http/errors.js';

const ORIGIN = 'http://fashen.render';
const RENDER_PAGE = `${ORIGIN}/modeler/render.html`;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
};
const RENDER_TIMEOUT_MS = 30_000;

export interface RendererOptions {
  /** The built modeler (Vite output), whose render.html draws a diagram with the bpmn-js viewer. */
  distDir: string;
  chromiumPath: string;
}

/**
 * Draws BPMN diagrams as SVG with the same bpmn-js viewer the modeler uses, in headless Chromium. The page is
 * served to the browser from the built files by request interception: nothing listens, nothing is fetched from
 * the network. One browser is started on first use and kept; renders run one at a time.
 */
export class FlowchartRenderer {
  private browser: Promise<Browser> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: RendererOptions) {}

  get available(): boolean {
    return existsSync(this.opts.chromiumPath) && existsSync(join(this.opts.distDir, 'render.html'));
  }

  render(xml: string): Promise<string> {
    const run = this.queue.then(() => this.renderNow(xml));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close();
  }

  private launch(): Promise<Browser> {
    if (!this.available) {
      throw new AppError(503, 'INTERNAL', '流程图渲染不可用：服务器未安装 Chromium 或未构建流程建模器');
    }
    // playwright-core is imported on first use: it costs a third of a second at every start otherwise.
    this.browser ??= import('playwright-core').then(({ chromium }) =>
      chromium.launch({
        executablePath: this.opts.chromiumPath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      }),
    );
    return this.browser;
  }

  private async renderNow(xml: string): Promise<string> {
    const browser = await this.launch();
    const context = await browser.newContext({ javaScriptEnabled: true, offline: false });
    try {
      await context.route('**/*', async (route) => {
        const url = new URL(route.request().url());
        const file = this.fileFor(url);
        if (!file) return route.abort();
        const body = await readFile(file).catch(() => null);
        if (!body) return route.fulfill({ status: 404, body: '' });
        return route.fulfill({ status: 200, body, contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
      });
      const page = await context.newPage();
      page.setDefaultTimeout(RENDER_TIMEOUT_MS);
      await page.goto(RENDER_PAGE);
      await page.waitForFunction(() => 'fashenRender' in window);
      return await page.evaluate(
        (source) => (window as unknown as { fashenRender(x: string): Promise<string> }).fashenRender(source),
        xml,
      );
    } finally {
      await context.close();
    }
  }

  /** Only files of the built modeler, by a path that cannot climb out of it. */
  private fileFor(url: URL): string | null {
    if (url.origin !== ORIGIN || !url.pathname.startsWith('/modeler/')) return null;
    const relative = normalize(decodeURIComponent(url.pathname.slice('/modeler/'.length)));
    if (relative.startsWith('..') || relative.includes('\0')) return null;
    return join(this.opts.distDir, relative);
  }
}
