import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { type AddressPolicy, AddressRefused } from './address.js';

/** How much of a subscriber's answer is kept to show with a failure. */
export const RESPONSE_EXCERPT_CHARS = 1000;

/** HMAC-SM3 over `timestamp + "." + body`, hex: what a subscriber recomputes with its secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return createHmac('sm3', secret).update(`${timestamp}.${body}`).digest('hex');
}

export interface SendInput {
  url: string;
  secret: string;
  eventId: string;
  eventType: string;
  body: string;
  timeoutMs: number;
  now: Date;
}

export interface SendResult {
  ok: boolean;
  status: number | null;
  response: string | null;
  error: string | null;
  durationMs: number;
}

/**
 * POSTs one event: to the checked address only, redirects not followed (a 3xx is a failure), within the time
 * limit for the whole exchange, reading at most a little of the answer.
 */
export async function send(policy: AddressPolicy, input: SendInput): Promise<SendResult> {
  const started = performance.now();
  const done = (r: Omit<SendResult, 'durationMs'>): SendResult => ({
    ...r,
    durationMs: Math.round(performance.now() - started),
  });
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return done({ ok: false, status: null, response: null, error: '地址格式不正确' });
  }
  let target: { address: string; family: 4 | 6 };
  try {
    target = await policy.resolve(url.hostname);
  } catch (err) {
    const message = err instanceof AddressRefused ? err.message : String(err);
    return done({ ok: false, status: null, response: null, error: message });
  }
  const timestamp = String(Math.floor(input.now.getTime() / 1000));
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options?.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        lookup: pinned,
        signal: AbortSignal.timeout(input.timeoutMs),
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(input.body),
          'user-agent': 'Fashen-Webhooks/1',
          'x-fashen-event-id': input.eventId,
          'x-fashen-event-type': input.eventType,
          'x-fashen-timestamp': timestamp,
          'x-fashen-signature': `sm3=${signature(input.secret, timestamp, input.body)}`,
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          const text = Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_EXCERPT_CHARS);
          const ok = status >= 200 && status < 300;
          const error = ok
            ? null
            : status >= 300 && status < 400
              ? `重定向未跟随（${res.headers.location ?? '无 Location'}）`
              : `订阅方返回 ${status}`;
          resolve(done({ ok, status, response: text, error }));
        };
        res.on('data', (c: Buffer) => {
          if (size < RESPONSE_EXCERPT_CHARS * 4) chunks.push(c);
          size += c.length;
          if (size >= RESPONSE_EXCERPT_CHARS * 4) {
            res.destroy();
            finish();
          }
        });
        res.on('end', finish);
        res.on('error', () => finish());
      },
    );
    req.on('error', (err: Error & { code?: string }) => {
      const timedOut = err.name === 'AbortError' || err.name === 'TimeoutError';
      resolve(
        done({
          ok: false,
          status: null,
          response: null,
          error: timedOut ? `超时（${input.timeoutMs} 毫秒）` : `连接失败：${err.code ?? err.message}`,
        }),
      );
    });
    req.end(input.body);
  });
}
