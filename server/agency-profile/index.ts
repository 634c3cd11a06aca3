import type { FastifyPluginAsync } from 'fastify';
import { agencyProfilePages } from './pages.js';
import { agencyProfileRoutes } from './routes.js';

/** Every route of the agency's 事前公开 disclosures: the JSON API (legal unit and public) and the workbench pages. */
export const agencyProfile: FastifyPluginAsync = async (app) => {
  await app.register(agencyProfileRoutes);
  await app.register(agencyProfilePages);
};
