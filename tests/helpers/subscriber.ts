import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receipt {
  id: string;
  type: string;
  timestamp: string;
  signature: string;
  body: string;
  answered: number;
}

/**
 * A local webhook subscriber for tests and the bench: answers each POST with what `answer` says (status, body,
 * optional delay and headers) and keeps every request it got. It can go down (close) and come back on the same port.
 */
export async function testSubscriber(
  answer: (n: number) => {
    status: number;
    body?: string;
    delayMs?: number;
    headers?: Record<string, string>;
    /** Runs once this answer has been written out (e.g. to go down right after it). */
    afterAnswer?: () => void;
  } = () => ({
    status: 200,
  }),
) {
  const receipts: Receipt[] = [];
  let count = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const a = answer(++count);
      const reply = () => {
        receipts.push({
          id: String(req.headers['x-fashen-event-id']),
          type: String(req.headers['x-fashen-event-type']),
          timestamp: String(req.headers['x-fashen-timestamp']),
          signature: String(req.headers['x-fashen-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
          answered: a.status,
        });
        if (res.destroyed) return;
        res.writeHead(a.status, { 'content-type': 'text/plain; charset=utf-8', ...a.headers });
        if (a.afterAnswer) res.on('finish', a.afterAnswer);
        res.end(a.body ?? 'ok');
      };
      if (a.delayMs) setTimeout(reply, a.delayMs).unref();
      else reply();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    receipts,
    get requests() {
      return count;
    },
    /** Stops listening (connections refused) until `up()`. */
    async down() {
      const closed = new Promise((r) => server.close(r));
      for (const s of sockets) s.destroy();
      await closed;
    },
    async up() {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    async close() {
      for (const s of sockets) s.destroy();
      if (server.listening) await new Promise((r) => server.close(r));
    },
  };
}
