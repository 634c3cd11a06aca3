import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';
import type { CaseContext } from './context.js';

declare module 'fastify' {
  interface FastifyInstance {
    cases: CaseContext;
  }
}

/**
 * The review of cases: its context (built by the assembly, which also registers the service tasks its BPMN
 * calls) and multipart uploads for attachments.
 */
export const casesPlugin = fp<{ cases: CaseContext }>(
  async (app, { cases }) => {
    app.decorate('cases', cases);
    await app.register(multipart, { limits: { fileSize: app.config.ATTACHMENT_MAX_BYTES, files: 20 } });
  },
  { name: 'cases', dependencies: ['runtime', 'calendar'] },
);
