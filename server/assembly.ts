import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { type CalendarService, createCalendarService } from './calendar/service.js';
import type { CaseContext } from './cases/context.js';
import { registerCoordinationRules } from './cases/coordination-date.js';
import { caseSubmissions } from './cases/correction-items.js';
import { caseDocuments } from './cases/documents-adapter.js';
import type { DecisionPrecondition } from './cases/gate.js';
import { attachmentStorageKey, attachmentsOfCases, casesOfInstances, casesOfParty } from './cases/reads.js';
import { casePoints, registerReviewGate, registerReviewRules } from './cases/review-rules.js';
import { registerCaseServices } from './cases/review-steps.js';
import { visibleCase } from './cases/service.js';
import { registerCollectiveServices } from './collective/services.js';
import { registerCollectiveRules } from './collective/step-rules.js';
import { recountProvisionalComplaints } from './complaints/recount.js';
import { COMPLAINT_TIMER_KIND, type ComplaintsContext, fireComplaintTimer } from './complaints/service.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './database/connect.js';
import { DefinitionCache } from './definitions/compile.js';
import { findLatestDefinition } from './definitions/latest.js';
import {
  type DeployFileInput,
  type DeployInput,
  type deployDefinition,
  deployFromFile,
} from './definitions/service.js';
import { deployChecks } from './definitions/validate.js';
import { assertDiscretion } from './discretion/assess.js';
import { documentFilesByIds, documentFilesOfCase, documentSummariesOfCases } from './documents/reads.js';
import { createTemplateSource, type TemplateSource } from './documents/template-source.js';
import type { RuntimeContext } from './engine/context.js';
import { FormValidators } from './engine/forms.js';
import { registerEngineTimerKinds } from './engine/instances.js';
import { HistoryListeners, ServiceRegistry, TimerKindRegistry } from './engine/registry.js';
import { WARM_ENGINES_MAX_BYTES, WarmEngines } from './engine/warm-engines.js';
import { recountProvisionalRuntime } from './engine/working-day-timers.js';
import { deployDirectly, type GovernanceContext } from './governance/service.js';
import { type Clock, systemClock } from './infra/clock.js';
import type { JobQueues } from './jobs/queues.js';
import { lifecyclePrecondition } from './lifecycle/gate.js';
import type { LifecycleContext } from './lifecycle/service.js';
import { fireLifecycleTimer, LIFECYCLE_TIMER_KINDS } from './lifecycle/timers.js';
import { recountProvisionalDisclosures } from './publicity/disclosures/recount.js';
import { DISCLOSURE_TIMER_KINDS, fireDisclosureTimer, type PublicityContext } from './publicity/disclosures/timers.js';
import { caseOfLockedInstance, recordInstanceEvents } from './records/append.js';
import type { CaseFiles } from './records/case-files.js';
import { createRecordsContext, type RecordsContext } from './records/context.js';
import { recountProvisionalSupervision } from './supervision/recount.js';
import { fireSupervisionTimer, SUPERVISION_TIMER_KIND, type SupervisionContext } from './supervision/service.js';
import type { TasksContext } from './tasks/actions.js';
import { StepRules } from './tasks/step-rules.js';
import type { TransfersContext } from './transfers/context.js';
import { TIMER_KINDS as TRANSFER_TIMER_KINDS } from './transfers/steps.js';
import { fireTransferTimer } from './transfers/timers.js';
import { type WebhookContext, webhookContext } from './webhooks/context.js';
import { enqueueLaneEvent } from './webhooks/fanout.js';

export interface CoreDeps {
  config: Config;
  database: DatabaseHandle;
  queues: JobQueues;
  log: FastifyBaseLogger;
  clock?: Clock;
}

/**
 * Everything a Fashen process runs on, built once: the HTTP app, the worker, the CLI, the demo loader, benches
 * and tests all take it from here, so what one of them accepts (e.g. the service tasks a BPMN may call) the
 * others accept too.
 */
export interface Core {
  config: Config;
  database: DatabaseHandle;
  queues: JobQueues;
  clock: Clock;
  log: FastifyBaseLogger;
  calendar: CalendarService;
  /** Compiled definitions by id; the engine's loader (runtime.cache). */
  definitionCache: DefinitionCache;
  /** The engine's context with its registries filled by every capability. */
  runtime: RuntimeContext;
  records: RecordsContext;
  templates: TemplateSource;
  cases: CaseContext;
  /** The case lifecycle around the review (立案 to 结案归档), its timers and the decision's procedural order. */
  lifecycle: LifecycleContext;
  publicity: PublicityContext;
  /** Subscribers and delivery of the case record's events (the dispatcher runs in the worker). */
  webhooks: WebhookContext;
  complaints: ComplaintsContext;
  /** 执法监督: opinions and correction notices with their documents, answers and deadline timers. */
  supervision: SupervisionContext;
  /** 移送涉嫌犯罪案件: the transfer of a case to the public security organ, its documents and statutory timers. */
  transfers: TransfersContext;
  /** The tasks service's context: the engine and each step's rules (the review registers its own). */
  tasks: TasksContext;
  /** Proposed and approved changes of the departments' flows and catalogues; tells webhook subscribers. */
  governance: GovernanceContext;
  /**
   * Deploys BPMN with the whitelist and size limit the service uses, without a second person: the command line
   * and the demo loader only (recorded as a direct deploy; the HTTP API proposes and a second legal admin approves).
   */
  deploy(input: Omit<DeployInput, 'checks'>): ReturnType<typeof deployDefinition>;
  /** Deploys a BPMN file from disk with the whitelist and size limit the service uses. */
  deployFile(input: Omit<DeployFileInput, 'checks'>): ReturnType<typeof deployFromFile>;
  /** Counts again every deadline counted Monday–Friday for lack of a holiday notice; idempotent. */
  recountProvisional(): Promise<{
    tasks: number;
    timers: number;
    disclosures: number;
    supervision: number;
    complaints: number;
  }>;
}

export async function assemble(deps: CoreDeps): Promise<Core> {
  const { config, database, queues, log } = deps;
  const clock = deps.clock ?? systemClock;
  const db = database.db;
  const calendar = createCalendarService({
    onListenerError: (err, year) => log.error({ err, year }, 'calendar onYearLoaded listener failed'),
  });
  await calendar.loadCalendar(db);
  const definitionCache = new DefinitionCache();
  const runtime: RuntimeContext = {
    db,
    calendar,
    queues,
    clock,
    log,
    stepBudget: config.STEP_BUDGET,
    cache: definitionCache,
    definitions: { latest: findLatestDefinition },
    services: new ServiceRegistry(),
    timerKinds: new TimerKindRegistry(),
    history: new HistoryListeners(),
    formValidators: new FormValidators(),
    warm: new WarmEngines(config.ENGINE_CACHE_SIZE, WARM_ENGINES_MAX_BYTES, config.ENGINE_CACHE_IDLE_SECONDS * 1000),
  };
  registerEngineTimerKinds(runtime);
  // The record reads the cases and documents it records through this port (it sits below both).
  let cases: CaseContext | undefined;
  const files: CaseFiles = {
    casesOfInstances,
    casesOfParty,
    attachmentsOfCases,
    attachmentStorageKey,
    documentSummariesOfCases,
    documentFilesOfCase,
    documentFilesByIds,
    visibleCase: (actor, caseId) => {
      if (!cases) throw new Error('the case context is not assembled yet');
      return visibleCase(cases, actor, caseId);
    },
  };
  const records = await createRecordsContext({ config, db, clock, files });
  const templates = await createTemplateSource({ thread: true });
  const documents = caseDocuments(templates, records.signer);
  // The lifecycle's order (告知, 陈述申辩, 听证) stands before the recorded decision with the review gate.
  const decisionPreconditions: DecisionPrecondition[] = [lifecyclePrecondition];
  registerCaseServices(runtime.services, { documents, calendar, clock, decisionPreconditions });
  registerCollectiveServices(runtime.services, { documents, calendar, clock });
  const tasks: TasksContext = { runtime, stepRules: new StepRules() };
  registerReviewRules(tasks.stepRules, casePoints(db), caseSubmissions(db));
  registerCollectiveRules(tasks.stepRules, db);
  registerCoordinationRules(tasks.stepRules, { db, now: () => clock.now() });
  registerReviewGate(tasks.stepRules, { db, history: runtime.history, now: () => clock.now(), decisionPreconditions });
  cases = {
    db,
    runtime,
    calendar,
    clock,
    documents,
    attachmentsDir: path.join(config.dataDir, 'attachments'),
    attachmentMaxBytes: config.ATTACHMENT_MAX_BYTES,
    decisionPreconditions,
    discretionCheck: assertDiscretion,
  };
  const lifecycle: LifecycleContext = {
    db,
    calendar,
    clock,
    queues,
    log,
    history: runtime.history,
    cases,
    documents: { templates, signer: records.signer },
  };
  for (const kind of LIFECYCLE_TIMER_KINDS) runtime.timerKinds.add(kind, (id) => fireLifecycleTimer(lifecycle, id));
  const publicity: PublicityContext = { db, calendar, clock, queues, log };
  for (const kind of DISCLOSURE_TIMER_KINDS) runtime.timerKinds.add(kind, (id) => fireDisclosureTimer(publicity, id));
  const complaints: ComplaintsContext = { db, calendar, clock, queues, log };
  runtime.timerKinds.add(COMPLAINT_TIMER_KIND, (id) => fireComplaintTimer(complaints, id));
  const supervision: SupervisionContext = {
    db,
    calendar,
    clock,
    queues,
    log,
    templates,
    signer: records.signer,
    history: runtime.history,
  };
  runtime.timerKinds.add(SUPERVISION_TIMER_KIND, (id) => fireSupervisionTimer(supervision, id));
  const transfers: TransfersContext = { ...supervision, cases };
  for (const kind of TRANSFER_TIMER_KINDS) runtime.timerKinds.add(kind, (id) => fireTransferTimer(transfers, id));
  // The whole-process record: each event of an instance that serves a case is also a record of that case.
  runtime.history.add((trx, events, locked) => recordInstanceEvents(files, trx, events, locked), {
    withLock: caseOfLockedInstance,
  });

  const recountProvisional = async () => {
    const { tasks, timers } = await recountProvisionalRuntime(runtime);
    const disclosures = await recountProvisionalDisclosures(publicity);
    const supervisionItems = await recountProvisionalSupervision(supervision);
    const complaintsRecounted = await recountProvisionalComplaints(complaints);
    const counts = { tasks, timers, disclosures, supervision: supervisionItems, complaints: complaintsRecounted };
    if (Object.values(counts).some((n) => n > 0)) log.info(counts, 'provisional deadlines recounted');
    return counts;
  };
  // The one listener for a newly loaded holiday notice, whoever loaded it (page, API, CLI or a worker's watch).
  calendar.onYearLoaded(async () => {
    await recountProvisional();
  });

  const webhooks = webhookContext({ config, db, keystore: records.keystore, clock, log });
  const governance: GovernanceContext = {
    db,
    clock,
    notify: async (trx, e) => {
      await enqueueLaneEvent(trx, {
        laneId: e.requestId,
        seq: e.seq,
        type: e.type,
        occurredAt: e.at,
        actorId: e.actorId,
        subject: { deploymentRequest: { id: e.requestId, agencyId: e.departmentId } },
        data: e.data,
      });
    },
  };
  const directDeploy = (input: DeployInput) =>
    deployDirectly(
      db,
      { ...input, checks: deployChecks(config, runtime.services.names, clock.now()) },
      governance.notify,
    );

  return {
    config,
    database,
    webhooks,
    queues,
    clock,
    log,
    calendar,
    definitionCache,
    runtime,
    records,
    templates,
    cases,
    lifecycle,
    publicity,
    complaints,
    supervision,
    transfers,
    tasks,
    governance,
    deploy: (input) => directDeploy({ ...input, checks: deployChecks(config, runtime.services.names, clock.now()) }),
    deployFile: (input) =>
      deployFromFile(db, { ...input, checks: deployChecks(config, runtime.services.names, clock.now()) }, (_db, i) =>
        directDeploy(i),
      ),
    recountProvisional,
  };
}
