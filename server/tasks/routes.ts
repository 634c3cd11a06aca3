import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { deadlineRoutes } from './deadline-routes.js';
import { instanceRoutes } from './instance-routes.js';
import { taskRoutes } from './task-routes.js';

export const runtimeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(instanceRoutes);
  await app.register(taskRoutes);
  await app.register(deadlineRoutes);
};
