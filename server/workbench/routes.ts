import type { FastifyPluginAsync } from 'fastify';
import { authPages } from './auth-pages.js';
import { taskPages } from './task-pages.js';

/** Every page of the workbench, each group in its own file. */
export const workbenchPages: FastifyPluginAsync = async (app) => {
  await app.register(authPages);
  await app.register(taskPages);
};
