import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { flowchartRoutes } from './flowchart-routes.js';
import { modelerPages } from './pages.js';
import { FlowchartRenderer } from './render.js';
import { modelerRoutes } from './routes.js';

/** Where `npm run build:modeler` puts the browser modeler (git-ignored). */
export const MODELER_DIST = fileURLToPath(new URL('../../dist/modeler/', import.meta.url));
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface ModelerOptions {
  distDir?: string;
  /** Chromium for drawing flowcharts; CHROMIUM_PATH or Debian's /usr/bin/chromium. */
  chromiumPath?: string;
}

/** The modeler capability: its page, its API and the flowcharts of deployed flows. */
const modeler: FastifyPluginAsync<ModelerOptions> = async (app, opts) => {
  const distDir = opts.distDir ?? MODELER_DIST;
  const renderer = new FlowchartRenderer({
    distDir,
    chromiumPath: opts.chromiumPath ?? process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM,
  });
  app.addHook('onClose', () => renderer.close());
  await app.register(modelerRoutes);
  await app.register(flowchartRoutes, { renderer });
  await app.register(modelerPages, { distDir });
};

export const modelerPlugin = fp(modeler, { name: 'modeler', dependencies: ['database', 'access', 'workbench'] });
