import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/**
 * The modeler page at /modeler (the built Vite app) and its assets. The page needs a session: without one the
 * workbench sends the browser to /login?next=/modeler. The page gets the CSRF token its API calls must send.
 */
export const modelerPages: FastifyPluginAsync<{ distDir: string }> = async (app, opts) => {
  const indexFile = join(opts.distDir, 'index.html');
  let cached: { mtimeMs: number; html: string } | null = null;

  function indexHtml(): string | null {
    if (!existsSync(indexFile)) return null;
    const { mtimeMs } = statSync(indexFile);
    if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, html: readFileSync(indexFile, 'utf8') };
    return cached.html;
  }

  app.get('/modeler', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply);
    if (!actor) return reply;
    const html = indexHtml();
    if (!html) {
      return reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('流程建模器尚未构建：请运行 npm run build:modeler');
    }
    const token = reply.generateCsrf();
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'DENY')
      .send(html.replace('<meta name="fashen-csrf" content="" />', `<meta name="fashen-csrf" content="${token}" />`));
  });
  app.get('/modeler/', { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) =>
    reply.redirect('/modeler'),
  );

  if (existsSync(join(opts.distDir, 'assets'))) {
    await app.register(fastifyStatic, {
      root: join(opts.distDir, 'assets'),
      prefix: '/modeler/assets/',
      decorateReply: false,
      immutable: true,
      maxAge: '365d',
    });
  }
};
