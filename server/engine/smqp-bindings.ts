import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { routeWithoutDeliveryQueue, type SmqpModule } from './smqp-delivery.js';

/**
 * smqp (the in-memory broker under bpmn-engine and bpmn-elements) makes every queue binding subscribe to its
 * queue's `delete` event (`queue.on('delete', …)` in Binding's constructor) and never cancels that subscription
 * when the binding is closed. Each subscription is a queue, a binding and a consumer on the queue's event
 * exchange, so every activity run (which binds its `execute-q` to the `execution` exchange and unbinds it when
 * done) left them behind, and each later event of that queue was matched against all of them. A long-lived engine
 * of bench/loop.bpmn gained 3 per step, about 5.5 KB of heap per step without bound; with this patch its heap
 * did not grow from its 1,000th step to its 2,000th.
 *
 * This closes the subscription together with its binding. It changes no message, no order and no saved state
 * (the event exchanges' queues are not durable and are never in getState): tests/engine-warm-model.test.ts
 * compares warm engines with recovered ones step by step, and server/engine/smqp-bindings.test.ts checks that a
 * bind/unbind cycle leaves the event exchange as it found it, so an smqp release that changes this code fails
 * there instead of leaking again.
 */
const SUBSCRIPTION = Symbol('fashen.bindingDeleteSubscription');
const PATCHED = Symbol.for('fashen.smqpBindingsPatched');

interface Cancellable {
  cancel(): void;
}
type BindingLike = { [SUBSCRIPTION]?: Cancellable };
interface ExchangeProto {
  [PATCHED]?: boolean;
  bindQueue(this: unknown, queue: unknown, pattern: string, options?: unknown): BindingLike;
  closeBinding(this: unknown, binding: BindingLike): void;
}
interface QueueProto {
  on(this: unknown, ...args: unknown[]): unknown;
}
/** One copy of smqp, as its module exports it. */
export interface Smqp {
  Exchange: (name: string) => object;
  Queue: { prototype: QueueProto };
}

/** Patches one copy of smqp; idempotent. */
export function closeSubscriptionsWithBindings(smqp: Smqp): void {
  const proto = Object.getPrototypeOf(smqp.Exchange('fashen-probe')) as ExchangeProto;
  if (proto[PATCHED]) return;
  const { bindQueue, closeBinding } = proto;
  const on = smqp.Queue.prototype.on;
  if (typeof bindQueue !== 'function' || typeof closeBinding !== 'function' || typeof on !== 'function') {
    throw new Error('smqp: Exchange.bindQueue/closeBinding or Queue.on missing; check server/engine/smqp-bindings.ts');
  }
  // Subscriptions made while a bindQueue call is on the stack (Binding's constructor makes exactly one). Kept here
  // rather than on the queue, so that no queue object gains or loses a property (a delete would leave it in V8's
  // slow dictionary mode); a nested bindQueue (an event exchange binding its own queue) has its own list.
  let capturing: Cancellable[] | undefined;
  smqp.Queue.prototype.on = function onCaptured(this: unknown, ...args: unknown[]) {
    const made = on.apply(this, args) as Cancellable | undefined;
    if (capturing && made) capturing.push(made);
    return made;
  };
  proto.bindQueue = function bindQueueClosingSubscription(queue, pattern, options) {
    const outer = capturing;
    const made: Cancellable[] = [];
    capturing = made;
    let binding: BindingLike;
    try {
      binding = bindQueue.call(this, queue, pattern, options);
    } finally {
      capturing = outer;
    }
    if (made.length > 0 && !binding[SUBSCRIPTION]) binding[SUBSCRIPTION] = made[0];
    return binding;
  };
  proto.closeBinding = function closeBindingAndSubscription(binding) {
    closeBinding.call(this, binding);
    const subscription = binding[SUBSCRIPTION];
    binding[SUBSCRIPTION] = undefined;
    subscription?.cancel();
  };
  proto[PATCHED] = true;
}

/** The ES module entry of the copy of `smqp` that `fromPackage` (itself resolved from here) imports. */
function smqpEntryFor(fromPackage: string): string {
  const require = createRequire(import.meta.url);
  const cjsEntry = createRequire(require.resolve(fromPackage)).resolve('smqp');
  for (let dir = dirname(cjsEntry); dir !== dirname(dir); dir = dirname(dir)) {
    let pkg: { name?: string; exports?: { import?: string } };
    try {
      pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (pkg.name !== 'smqp') continue;
    if (!pkg.exports?.import) throw new Error(`smqp at ${dir} has no ES module entry`);
    return pathToFileURL(join(dir, pkg.exports.import)).href;
  }
  throw new Error(`smqp not found from ${fromPackage}`);
}

/** Every copy of smqp the engine runs on: bpmn-elements' (activities, processes) and bpmn-engine's own. */
export function engineSmqpEntries(): string[] {
  return [...new Set(['bpmn-elements', 'bpmn-engine'].map(smqpEntryFor))];
}

/** Applies this file's patch and smqp-delivery.ts's to every copy of smqp the engine runs on. */
export async function patchEngineBrokers(): Promise<void> {
  for (const entry of engineSmqpEntries()) {
    const smqp = (await import(entry)) as Smqp & SmqpModule;
    closeSubscriptionsWithBindings(smqp);
    routeWithoutDeliveryQueue(smqp);
  }
}
