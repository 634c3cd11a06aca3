import type { FastifyPluginAsync } from 'fastify';
import { disclosureRoutes } from './disclosures/routes.js';
import { publicityWorkbenchPages } from './disclosures/workbench-pages.js';
import { certificatePages } from './portal/certificate-pages.js';
import { portalPages } from './portal/pages.js';
import { powersPage } from './portal/powers-page.js';
import { publicApiRoutes } from './portal/public-routes.js';
import { statisticsPages } from './statistics/pages.js';
import { statisticsRoutes } from './statistics/routes.js';

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
