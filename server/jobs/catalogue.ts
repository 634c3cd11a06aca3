import { type Static, type TSchema, Type } from 'typebox';

/**
 * Every background job Fashen runs: its queue, payload schema and options. Producers and workers both read
 * this table, and a worker refuses to start if a job here has no handler.
 */
export const jobCatalogue = {
  'timer.fire': {
    queue: 'timers',
    payload: Type.Object({ timerId: Type.String({ format: 'uuid' }) }),
    options: {
      attempts: 10,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: true,
    },
  },
} as const satisfies Record<string, { queue: string; payload: TSchema; options: object }>;

export type JobName = keyof typeof jobCatalogue;
export type JobPayload<N extends JobName> = Static<(typeof jobCatalogue)[N]['payload']>;
export type QueueName = (typeof jobCatalogue)[JobName]['queue'];

export const queueNames = [...new Set(Object.values(jobCatalogue).map((j) => j.queue))] as QueueName[];

/** Predictable job ids make enqueueing idempotent: the same timer is never queued twice. */
export function timerJobId(timerId: string): string {
  return `timer-${timerId}`;
}
