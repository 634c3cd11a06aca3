import path from 'node:path';
import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';
import type { CaseContext } from './context.js';
import type { DocumentPort, DocumentReader } from './documents-port.js';
import { registerCaseServices } from './services.js';

declare module 'fastify' {
  interface FastifyInstance {
    cases: CaseContext;
  }
}

/**
 * The review of cases: its context, the service tasks its BPMN calls (registered into the runtime's
 * whitelist) and multipart uploads for attachments.
 */
export const casesPlugin = fp<{ documents: DocumentPort & DocumentReader }>(
  async (app, { documents }) => {
    registerCaseServices(app.runtime.services, { documents, calendar: app.calendar, clock: app.clock });
    app.decorate('cases', {
      db: app.db,
      runtime: app.runtime,
      calendar: app.calendar,
      clock: app.clock,
      documents,
      attachmentsDir: path.join(app.config.dataDir, 'attachments'),
      attachmentMaxBytes: app.config.ATTACHMENT_MAX_BYTES,
    });
    await app.register(multipart, { limits: { fileSize: app.config.ATTACHMENT_MAX_BYTES, files: 20 } });
  },
  { name: 'cases', dependencies: ['runtime', 'calendar'] },
);
