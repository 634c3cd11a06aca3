import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * smqp (the in-memory broker under bpmn-engine and bpmn-elements) makes every queue binding subscribe to its
 * queue's `delete` event (`queue.on('delete', …)` in Binding's constructor) and never cancels that subscription
 * when the binding is closed. Each subscription is a queue, a binding and a consumer on the broker's event
 * exchange, so every activity run (which binds its `execute-q` to the `execution` exchange and unbinds it when
 * done) leaves ~6 objects behind, and every event the broker emits afterwards is matched against all of them.
 * An engine kept warm for 32 commands of bench/loop.bpmn carried ~250 such queues (a heap snapshot of a busy
 * server: 48,801 smqp queues for ~200 engines).
 *
 * This closes the subscription together with its binding. It changes no message, no order and no saved state
 * (the event exchange's queues are not durable and are never in getState): tests/engine-warm-model.test.ts
 * compares warm engines with recovered ones step by step, and server/engine/smqp-bindings.test.ts checks that a
 * bind/unbind cycle leaves the event exchange as it found it, so an smqp release that changes this code fails
 * there instead of leaking again.
 */
const SUBSCRIPTION = Symbol('fashen.bindingDeleteSubscription');
const PATCHED = Symbol.for('fashen.smqpBindingsPatched');

interface Cancellable {
  cancel(): void;
}
type QueueLike = { on: (...args: unknown[]) => unknown };
type BindingLike = { [SUBSCRIPTION]?: Cancellable };
interface ExchangeProto {
  [PATCHED]?: boolean;
  bindQueue(this: unknown, queue: QueueLike, pattern: string, options?: unknown): BindingLike;
  closeBinding(this: unknown, binding: BindingLike): void;
}

/** Patches the exchange prototype of one copy of smqp (given its exported `Exchange` factory); idempotent. */
export function closeSubscriptionsWithBindings(Exchange: (name: string) => object): void {
  const proto = Object.getPrototypeOf(Exchange('fashen-probe')) as ExchangeProto;
  if (proto[PATCHED]) return;
  const { bindQueue, closeBinding } = proto;
  if (typeof bindQueue !== 'function' || typeof closeBinding !== 'function') {
    throw new Error('smqp: Exchange has no bindQueue/closeBinding; check server/engine/smqp-bindings.ts');
  }
  proto.bindQueue = function bindQueueClosingSubscription(queue, pattern, options) {
    // Binding's constructor makes exactly one `queue.on` call; keep what it returns on the binding.
    const own = Object.hasOwn(queue, 'on');
    const on = queue.on;
    let subscription: Cancellable | undefined;
    queue.on = function captured(this: unknown, ...args: unknown[]) {
      const made = on.apply(this, args) as Cancellable | undefined;
      subscription ??= made;
      return made;
    };
    let binding: BindingLike;
    try {
      binding = bindQueue.call(this, queue, pattern, options);
    } finally {
      if (own) queue.on = on;
      else delete (queue as Partial<QueueLike>).on;
    }
    if (subscription && !binding[SUBSCRIPTION]) binding[SUBSCRIPTION] = subscription;
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

export async function patchEngineBrokers(): Promise<void> {
  for (const entry of engineSmqpEntries()) {
    const smqp = (await import(entry)) as { Exchange: (name: string) => object };
    closeSubscriptionsWithBindings(smqp.Exchange);
  }
}
