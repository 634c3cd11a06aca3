import type { FastifyPluginAsync } from 'fastify';
import { discretionPages } from './pages.js';
import { discretionRoutes } from './routes.js';

/** 裁量基准: the JSON API and the legal unit's workbench pages. */
export const discretion: FastifyPluginAsync = async (app) => {
  await app.register(discretionRoutes);
  await app.register(discretionPages);
};
