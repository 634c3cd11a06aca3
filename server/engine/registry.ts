import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';

export interface ServiceCall {
  trx: Transaction<DB>;
  instanceId: string;
  departmentId: string;
  elementId: string;
  variables: Readonly<Record<string, unknown>>;
  actorId: string | null;
  /** Appends an entry to the instance history in the same transaction. */
  record(type: string, payload: Record<string, unknown>): void;
}

/** A side effect a BPMN service task may call by name. What it returns is merged into the case variables. */
export type ServiceFn = (call: ServiceCall) => Promise<Record<string, unknown> | undefined>;

/**
 * The whitelist of service functions. Deploy refuses a serviceTask whose fashen:service is not listed here;
 * capabilities add their own functions when the app is built.
 */
export class ServiceRegistry {
  private readonly services = new Map<string, ServiceFn>();

  constructor() {
    this.add('record', async (call) => {
      call.record('service.record', { elementId: call.elementId });
      return undefined;
    });
  }

  add(name: string, fn: ServiceFn): void {
    if (this.services.has(name)) throw new Error(`service ${name} registered twice`);
    this.services.set(name, fn);
  }

  get(name: string): ServiceFn | undefined {
    return this.services.get(name);
  }

  get names(): readonly string[] {
    return [...this.services.keys()];
  }
}
