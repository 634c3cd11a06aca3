import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import { AppError } from '../http/errors.js';
import { canonicalJson } from '../records/canonical.js';
import { claimKey, findKey, releaseKey, storeAnswer } from './queries.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes an `Idempotency-Key` header: a repeat with the same key gets the first answer. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency: { userId: string; key: string } | null;
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** What identifies a request under its key: method, URL and the canonical JSON of its body. */
export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method}\u0000${url}\u0000${body === undefined ? '' : canonicalJson(body)}`)
    .digest('hex');
}

/**
 * `Idempotency-Key` on the routes that create or advance something (config.idempotent): the first request
 * with a key runs and its answer (any status below 500) is kept for a day; a repeat with the same key and
 * body gets that answer again (`Idempotent-Replayed: true`), with another body a 422, and while the first
 * still runs (or if the service stopped mid-way, so that its outcome is unknown) a 409.
 */
export const idempotencyPlugin = fp(
  async (app) => {
    app.decorateRequest('idempotency', null);

    app.addHook('preHandler', async (request, reply) => {
      const header = request.headers['idempotency-key'];
      if (!request.routeOptions.config?.idempotent || header === undefined || !request.actor) return;
      const key = Array.isArray(header) ? header[0] : header;
      if (!KEY.test(key)) {
        throw new AppError(400, 'VALIDATION_FAILED', 'Idempotency-Key 须为 1–255 个可见 ASCII 字符', { header: key });
      }
      const userId = request.actor.id;
      const hash = requestHash(request.method, request.url, request.body);
      if (await claimKey(app.db, userId, key, hash, app.clock.now())) {
        request.idempotency = { userId, key };
        return;
      }
      const row = await findKey(app.db, userId, key);
      if (row && row.request_hash !== hash) {
        throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', '此 Idempotency-Key 已用于另一个请求，请换用新的键');
      }
      if (!row || row.status_code === null || row.response === null) {
        throw new AppError(
          409,
          'IDEMPOTENCY_IN_PROGRESS',
          '使用此 Idempotency-Key 的请求正在处理，或处理中服务中断而结果未知：请稍后查询结果后再决定是否重试',
        );
      }
      return reply
        .code(row.status_code)
        .header('content-type', row.content_type ?? 'application/json; charset=utf-8')
        .header('idempotent-replayed', 'true')
        .send(row.response);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const held = request.idempotency;
      if (!held) return payload;
      request.idempotency = null;
      if (reply.statusCode >= 500) {
        await releaseKey(app.db, held.userId, held.key);
      } else {
        const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '';
        const contentType = reply.getHeader('content-type');
        await storeAnswer(app.db, held.userId, held.key, {
          statusCode: reply.statusCode,
          contentType: typeof contentType === 'string' ? contentType : null,
          body,
        });
      }
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['access'] },
);
