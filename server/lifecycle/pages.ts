import type { FastifyPluginAsync } from 'fastify';

/** The stage panel of a case (办案环节): filled in below. */
export const lifecyclePages: FastifyPluginAsync = async () => {};
