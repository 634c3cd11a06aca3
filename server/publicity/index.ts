import type { FastifyPluginAsync } from 'fastify';
import { certificatePages } from './certificate-pages.js';
import { portalPages } from './pages.js';
import { powersPage } from './powers-page.js';
import { publicApiRoutes } from './public-routes.js';
import { disclosureRoutes } from './routes.js';
import { statisticsPages } from './statistics-pages.js';
import { statisticsRoutes } from './statistics-routes.js';
import { publicityWorkbenchPages } from './workbench-pages.js';

/** Every route of enforcement publicity: the legal unit's API and pages, the public portal and its API. */
export const publicityRoutes: FastifyPluginAsync = async (app) => {
  await app.register(disclosureRoutes);
  await app.register(statisticsRoutes);
  await app.register(publicApiRoutes);
  await app.register(portalPages);
  await app.register(certificatePages);
  await app.register(powersPage);
  await app.register(publicityWorkbenchPages);
  await app.register(statisticsPages);
};
