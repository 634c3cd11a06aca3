import { expect } from 'vitest';
import { AppError } from '../../http/errors.js';
import { type ValidateOptions, validateBpmn } from '../validate.js';

export const opts: ValidateOptions = { maxBytes: 64 * 1024, services: ['record', 'notify'] };

// biome-ignore lint/suspicious/noTemplateCurlyInString: the injection payload under test, kept literal
export const INJECTION = "${environment.constructor.constructor('return process')()}";

export const start = '<bpmn:startEvent id="Start" />';
export const end = '<bpmn:endEvent id="End" />';

/**
 * Validates a document that must be refused; returns the error and the CPU time the refusal took in this
 * process. Validation is pure computation, so CPU time is the work a hostile document can demand; wall time
 * would also count the waits for a core while other test files run beside this one on a 2-core machine.
 */
export async function refusal(xml: string, options = opts): Promise<{ error: AppError; ms: number }> {
  const t0 = process.cpuUsage();
  try {
    await validateBpmn(xml, options);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const used = process.cpuUsage(t0);
    return { error: err, ms: (used.user + used.system) / 1000 };
  }
  throw new Error('expected the document to be refused');
}

/**
 * The refusal with the least CPU time over a few runs. One run on a loaded CI machine can take several times
 * its real cost (frequency scaling, a shared core's caches, concurrent GC threads); the cheapest of three is
 * what the document itself demands. An unbounded validation still fails: every run would be slow.
 */
export async function cheapestRefusal(xml: string, options = opts, runs = 3): Promise<{ error: AppError; ms: number }> {
  let best = await refusal(xml, options);
  for (let i = 1; i < runs; i++) {
    const next = await refusal(xml, options);
    if (next.ms < best.ms) best = next;
  }
  return best;
}

export interface HostileCase {
  name: string;
  xml: string;
  code: 'BPMN_UNSAFE' | 'BPMN_INVALID' | 'BPMN_UNSUPPORTED';
  /** Fragments the message must contain: typically the element type and id. */
  says: string[];
  options?: typeof opts;
}

/** The check every table-driven refusal makes: status, code, message naming the element, time. */
export async function expectRefused(c: HostileCase): Promise<void> {
  const { error, ms } = await refusal(c.xml, c.options);
  expect(error.statusCode).toBe(400);
  expect(error.code).toBe(c.code);
  for (const fragment of c.says) expect(error.message).toContain(fragment);
  expect(error.details).toMatchObject({ problems: expect.any(Array) });
  expect(ms).toBeLessThan(1000);
}
