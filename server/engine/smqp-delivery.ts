/**
 * smqp (the in-memory broker under bpmn-engine and bpmn-elements) routes every published message through its
 * exchange's delivery queue, whose consumer (the router) passes it on to the bound queues: two extra Messages
 * per message. It also reports each queue's and exchange's lifecycle events (`queue.depleted`, `queue.consume`,
 * …) by publishing them on an event exchange of that entity, which the broker listens to with the pattern `#`:
 * four Messages per event, even for the half (`queue.depleted`) that nothing listens to. bench/loop.bpmn queued
 * 1,715 messages per step, 253 of them events.
 *
 * When an exchange would route a message at once (it has bindings, nothing is queued before it, its router is
 * not inside a delivery), this does what the router would do, without the delivery queue:
 * - an event heard by nobody (no binding's pattern matches; the broker's `#` listener counts as hearing only the
 *   events its handler acts on, `BROKER_HANDLED_EVENTS`, checked against each copy's source by the tests) is
 *   dropped, as smqp would drop it: an event exchange never returns an undelivered message;
 * - an event heard only by the broker's listener, which is idle, goes to its handler directly (it reads only the
 *   message's content);
 * - anything else is routed now by the router itself (`routeNow`).
 * Otherwise the message is published as before. So the same messages reach the same queues in the same order:
 * server/engine/smqp-delivery.test.ts compares a looping process's engine events and broker bookkeeping with
 * stock smqp in a worker thread, and tests/engine-warm-model.test.ts runs on it.
 *
 * Measured on bench/loop.bpmn in memory (`npx tsx bench/engine-alloc.ts`, stock and patched in worker threads):
 * 471 messages queued per warm step instead of 1,705, 1.1 MB allocated instead of 2.2 MB, 0.61–0.71 of the CPU;
 * a recovered step 730 messages instead of 2,698, 2.4 MB instead of 4.1 MB, 0.75–0.80 of the CPU.
 */
const PATCHED = Symbol.for('fashen.smqpDeliveryPatched');
const BINDINGS = Symbol.for('bindings');
const DELIVERY_QUEUE = Symbol.for('deliveryQueue');
const STOPPED = Symbol.for('stopped');
const EVENT_HANDLER = Symbol.for('eventHandler');
const CONSUMERS = Symbol.for('consumers');
const CONSUMING = Symbol.for('consuming');
const BROKER_HANDLER = Symbol('fashen.brokerEventHandler');
type Marked = { [BROKER_HANDLER]?: true };

/** The event names the broker's handler (`BrokerEventHandler.prototype.handler`) has a case for. */
export const BROKER_HANDLED_EVENTS: ReadonlySet<string> = new Set([
  'exchange.delete',
  'exchange.return',
  'exchange.message.undelivered',
  'queue.delete',
  'queue.dead-letter',
  'queue.consume',
  'queue.consumer.cancel',
  'queue.message.consumed.ack',
  'queue.message.consumed.nack',
  'shovel.close',
]);

interface BindingLike {
  queue: QueueLike;
  testPattern(routingKey: string): boolean;
}
interface ConsumerLike {
  readonly ready: boolean;
  readonly consumerTag: string;
  owner: unknown;
  queue: QueueLike;
  onMessage(routingKey: string, message: unknown, owner: unknown): void;
  _consume(): void;
  [CONSUMING]: boolean;
}
interface QueueLike {
  messages: unknown[];
  [CONSUMERS]: ConsumerLike[];
}
interface ExchangeLike {
  name: string;
  events?: unknown;
  [BINDINGS]: BindingLike[];
  [DELIVERY_QUEUE]: QueueLike;
  [STOPPED]: boolean;
}
interface ExchangeProto {
  [PATCHED]?: boolean;
  publish(this: ExchangeLike, routingKey: string, content?: unknown, properties?: unknown): unknown;
}
interface BrokerEventHandlerLike {
  handler: (...args: unknown[]) => void;
  listen(emitter: { on(pattern: string, handler: unknown): unknown }): void;
}
/** One copy of smqp, as its module exports it. */
export interface SmqpModule {
  Exchange: (name: string) => object;
  Broker: new () => object;
}

/** The prototype of the broker's event handler (not exported by smqp), reached through a broker. */
export function brokerEventHandlerProto(smqp: SmqpModule): BrokerEventHandlerLike {
  const handler = (new smqp.Broker() as Record<symbol, unknown>)[EVENT_HANDLER];
  if (!handler) throw new Error('smqp: the broker has no event handler; check server/engine/smqp-delivery.ts');
  return Object.getPrototypeOf(handler) as BrokerEventHandlerLike;
}

/** A queue's only consumer, when it would take a message now: nothing waiting before it, not inside a delivery. */
function idleConsumer(queue: QueueLike): ConsumerLike | undefined {
  const consumers = queue[CONSUMERS];
  if (queue.messages.length > 0 || consumers.length !== 1) return undefined;
  const consumer = consumers[0];
  return consumer.ready && !consumer[CONSUMING] ? consumer : undefined;
}

const NOBODY = Symbol('nobody');
const noop = () => undefined;

/**
 * What the exchange's delivery queue would do with a message published now, without queueing it there: its
 * router (the queue's consumer) routes it to the bindings, then takes in order whatever was published to the
 * exchange meanwhile, marked as consuming all along exactly as the consumer marks itself. The router acks the
 * message it is given first thing; here there is no queued message to ack.
 */
function routeNow(router: ConsumerLike, routingKey: string, content: unknown, properties: unknown): 1 {
  router[CONSUMING] = true;
  try {
    const message = { fields: { routingKey }, content: { content, properties }, properties: {}, ack: noop, nack: noop };
    router.onMessage(routingKey, message, router.owner);
    router._consume();
  } finally {
    router[CONSUMING] = false;
  }
  // What publish returns once the delivery queue's consumer has taken the message.
  return 1;
}

/** Whether this copy of smqp is patched (`routeWithoutDeliveryQueue`). */
export function isSmqpPatched(smqp: SmqpModule): boolean {
  return (Object.getPrototypeOf(smqp.Exchange('fashen-probe')) as ExchangeProto)[PATCHED] === true;
}

/** Patches one copy of smqp; idempotent. */
export function routeWithoutDeliveryQueue(smqp: SmqpModule): void {
  const proto = Object.getPrototypeOf(smqp.Exchange('fashen-probe')) as ExchangeProto;
  if (proto[PATCHED]) return;
  const handlerProto = brokerEventHandlerProto(smqp);
  const { publish } = proto;
  if (typeof publish !== 'function' || typeof handlerProto.listen !== 'function') {
    throw new Error(
      'smqp: Exchange.publish or the broker handler’s listen missing; check server/engine/smqp-delivery.ts',
    );
  }
  // The broker's handler (bound once per broker) is marked, so that its `#` subscription's consumer is known by
  // its onMessage: a weak map from every entity's queue would be one more entry per queue for the GC to trace.
  const { listen } = handlerProto;
  handlerProto.listen = function listenMarked(this: BrokerEventHandlerLike, emitter) {
    (this.handler as Marked)[BROKER_HANDLER] = true;
    listen.call(this, emitter);
  };
  const brokerListener = (queue: QueueLike): ConsumerLike | undefined => {
    const consumers = queue[CONSUMERS];
    return consumers.length === 1 && (consumers[0].onMessage as Marked)[BROKER_HANDLER] === true
      ? consumers[0]
      : undefined;
  };
  /** The broker's listener when it alone would hear this event, NOBODY when no one would, undefined otherwise. */
  const brokerAlone = (bindings: BindingLike[], routingKey: string): ConsumerLike | typeof NOBODY | undefined => {
    let broker: ConsumerLike | undefined;
    for (const binding of bindings) {
      const listener = brokerListener(binding.queue);
      if (listener ? BROKER_HANDLED_EVENTS.has(routingKey) : binding.testPattern(routingKey)) {
        if (!listener || broker) return undefined;
        broker = listener;
      }
    }
    return broker ?? NOBODY;
  };
  proto.publish = function publishShortcut(this: ExchangeLike, routingKey, content, properties) {
    // Only when the exchange would route the message at once: it has bindings, nothing is queued before the
    // message and its router is not inside a delivery (a nested publish waits until the outer message has
    // reached every binding). Anything else goes the usual way.
    const router = this[STOPPED] || this[BINDINGS].length === 0 ? undefined : idleConsumer(this[DELIVERY_QUEUE]);
    if (!router) return publish.call(this, routingKey, content, properties);
    // An event (on an event exchange, which has none of its own; published without properties).
    if (this.events === undefined && properties === undefined) {
      const broker = brokerAlone(this[BINDINGS], routingKey);
      if (broker === NOBODY) return 1;
      if (broker && idleConsumer(broker.queue) === broker) {
        // The broker's handler reads only the message's content; fields as the listener's queue would set them.
        const fields = { routingKey, exchange: this.name, consumerTag: broker.consumerTag };
        broker.onMessage(routingKey, { fields, content, properties: {} }, broker.owner);
        return 1;
      }
    }
    return routeNow(router, routingKey, content, properties);
  };
  proto[PATCHED] = true;
}
