import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { agencyProfile } from './agency-profile/index.js';
import { agencyProfilePlugin } from './agency-profile/plugin.js';
import { assemble, type Core } from './assembly.js';
import { calendarPlugin, calendarRoutes } from './calendar/routes.js';
import { casesPlugin } from './cases/plugin.js';
import { caseRoutes } from './cases/routes.js';
import { catalogueRoutes } from './catalogue/routes.js';
import { challengeRoutes } from './challenges/routes.js';
import { leadersPage } from './collective/leaders-page.js';
import { collectiveRoutes } from './collective/routes.js';
import { complaintPages } from './complaints/pages.js';
import { complaintsPlugin } from './complaints/plugin.js';
import { complaintRoutes } from './complaints/routes.js';
import { type Config, trustProxyOption } from './config.js';
import type { DatabaseHandle } from './database/connect.js';
import { definitionRoutes } from './definitions/routes.js';
import { discretion } from './discretion/index.js';
import { discussionPages } from './discussions/pages.js';
import { discussionRoutes } from './discussions/routes.js';
import { documentRoutes, documentsPlugin } from './documents/routes.js';
import { evaluationPages } from './evaluation/pages.js';
import { evaluationRoutes } from './evaluation/routes.js';
import { exportPages } from './export/pages.js';
import { exportRoutes } from './export/routes.js';
import { governancePages } from './governance/pages.js';
import { governancePublicPages } from './governance/public-pages.js';
import { governanceRoutes } from './governance/routes.js';
import { workflowUploadRoute } from './governance/xml-route.js';
import { healthRoutes } from './health/routes.js';
import { hintRoutes } from './hints/routes.js';
import { registerErrorHandler } from './http/errors.js';
import { type SchemaCompilers, schemaCompilers } from './http/schema-compilers.js';
import { registerOpenApi } from './http/swagger.js';
import { registerTextHygiene } from './http/text-hygiene.js';
import { idempotencyPlugin } from './idempotency/plugin.js';
import { accessPlugin } from './identity/access.js';
import { identityRoutes } from './identity/routes.js';
import { unitRoutes } from './identity/unit-routes.js';
import { indicatorPages } from './indicators/pages.js';
import { indicatorRoutes } from './indicators/routes.js';
import type { Clock } from './infra/clock.js';
import { createLogger } from './infra/logger.js';
import { configPlugin, databasePlugin, redisPlugin } from './infra/plugins.js';
import { intakePages } from './intake/pages.js';
import { intakeRoutes } from './intake/routes.js';
import type { JobQueues } from './jobs/queues.js';
import { lawPages } from './laws/pages.js';
import { lawRoutes } from './laws/routes.js';
import { segmenterPlugin } from './laws/segment.js';
import { lawSuggestPlugin, lawSuggestRoutes } from './laws/suggest-routes.js';
import { lifecyclePages } from './lifecycle/pages.js';
import { lifecyclePlugin } from './lifecycle/plugin.js';
import { lifecycleRoutes } from './lifecycle/routes.js';
import { modelerPlugin } from './modeler/plugin.js';
import { progressRoutes } from './progress/routes.js';
import { publicityRoutes } from './publicity/index.js';
import { publicityPlugin } from './publicity/plugin.js';
import { evidencePlugin } from './records/evidence/plugin.js';
import { recordsPlugin } from './records/plugin.js';
import { recordRoutes } from './records/routes.js';
import { similarPlugin, similarRoutes } from './similar/routes.js';
import { supervisionPages } from './supervision/pages.js';
import { supervisionPlugin } from './supervision/plugin.js';
import { supervisionRoutes } from './supervision/routes.js';
import { runtimePlugin } from './tasks/plugin.js';
import { runtimeRoutes } from './tasks/routes.js';
import { transfersPlugin } from './transfers/plugin.js';
import { transferRoutes } from './transfers/routes.js';
import { webhookPages } from './webhooks/pages.js';
import { webhookRoutes, webhooksPlugin } from './webhooks/routes.js';
import { workbenchPlugin } from './workbench/plugin.js';
import { workbenchPages } from './workbench/routes.js';

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  redis: Redis;
  queues: JobQueues;
  clock?: Clock;
  /** Whether closing the app closes the connections (true for processes; tests share them). */
  ownsConnections?: boolean;
  /** The process's assembly when it runs a worker too (`fashen start`); built here otherwise. */
  core?: Core;
  /** The process's logger (main.ts); one in LOG_FORMAT is made otherwise. */
  log?: FastifyBaseLogger;
  /** Schema compilers shared by the apps a process builds (tests build one per file); fresh ones otherwise. */
  schemaCompilers?: SchemaCompilers;
}

/** Builds the HTTP service from already-open infrastructure. Tests build it the same way. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log ?? createLogger(deps.config),
    bodyLimit: 1024 * 1024,
    // Behind a reverse proxy the client's address (login throttling, logs) and scheme come from its headers.
    trustProxy: trustProxyOption(deps.config.TRUST_PROXY),
    // verbose: validation errors carry their schema, so the messages can name the field and its values in Chinese.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, verbose: true } },
    schemaController: { compilersFactory: deps.schemaCompilers ?? schemaCompilers() },
    // A URL that cannot be decoded (e.g. %ED%A0%80) never reaches a route: answer it in the one error shape too.
    frameworkErrors: (error, _request, res) => {
      const reply = res as unknown as FastifyReply;
      reply.code(400).send({
        error: {
          code: 'BAD_REQUEST',
          message: '请求地址不合法（含有无法解码的字符）',
          details: { reason: error.code },
        },
      });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const owns = deps.ownsConnections ?? true;
  const core =
    deps.core ??
    (await assemble({
      config: deps.config,
      database: deps.database,
      queues: deps.queues,
      clock: deps.clock,
      log: app.log,
    }));
  await app.register(configPlugin, { config: deps.config, clock: core.clock });
  await app.register(databasePlugin, { handle: deps.database, closeOnExit: owns });
  await app.register(redisPlugin, { redis: deps.redis, queues: deps.queues, closeOnExit: owns });
  await app.register(cookie);
  registerErrorHandler(app);
  registerTextHygiene(app);
  await registerOpenApi(app);
  await app.register(accessPlugin, { database: deps.database, sessionCacheSize: deps.config.SESSION_CACHE_SIZE });
  await app.register(idempotencyPlugin);
  await app.register(calendarPlugin, { calendar: core.calendar });
  await app.register(runtimePlugin, { runtime: core.runtime, tasks: core.tasks });
  await app.register(documentsPlugin, { templates: core.templates });
  await app.register(workbenchPlugin);
  await app.register(recordsPlugin, { records: core.records });
  await app.register(evidencePlugin);
  await app.register(casesPlugin, { cases: core.cases });
  await app.register(transfersPlugin, { transfers: core.transfers });
  await app.register(lifecyclePlugin, { lifecycle: core.lifecycle });

  await app.register(healthRoutes);
  await app.register(identityRoutes);
  await app.register(unitRoutes);
  await app.register(definitionRoutes);
  await app.register(workflowUploadRoute, { governance: core.governance });
  await app.register(runtimeRoutes);
  await app.register(calendarRoutes);
  await app.register(catalogueRoutes);
  await app.register(segmenterPlugin);
  await app.register(lawRoutes);
  await app.register(lawSuggestPlugin);
  await app.register(lawSuggestRoutes);
  await app.register(similarPlugin);
  await app.register(similarRoutes);
  await app.register(documentRoutes);
  await app.register(caseRoutes);
  await app.register(collectiveRoutes);
  await app.register(leadersPage);
  await app.register(hintRoutes);
  await app.register(recordRoutes);
  await app.register(supervisionPlugin, { supervision: core.supervision });
  await app.register(workbenchPages);
  await app.register(publicityPlugin, { publicity: core.publicity });
  await app.register(publicityRoutes);
  await app.register(agencyProfilePlugin);
  await app.register(agencyProfile);
  await app.register(discretion);
  await app.register(modelerPlugin);
  await app.register(governanceRoutes, { governance: core.governance });
  await app.register(governancePages, { governance: core.governance });
  await app.register(governancePublicPages);
  await app.register(evaluationRoutes);
  await app.register(evaluationPages);
  await app.register(challengeRoutes);
  await app.register(indicatorRoutes);
  await app.register(indicatorPages);
  await app.register(webhooksPlugin, { webhooks: core.webhooks });
  await app.register(webhookRoutes);
  await app.register(webhookPages);
  await app.register(exportRoutes);
  await app.register(exportPages);
  await app.register(complaintsPlugin, { complaints: core.complaints });
  await app.register(complaintRoutes);
  await app.register(complaintPages);
  await app.register(supervisionRoutes);
  await app.register(supervisionPages);
  await app.register(progressRoutes);
  await app.register(transferRoutes);
  await app.register(lifecycleRoutes);
  await app.register(lifecyclePages);
  await app.register(intakeRoutes);
  await app.register(intakePages);
  await app.register(discussionRoutes);
  await app.register(discussionPages);
  await app.register(lawPages);
  return app;
}
