import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../http/errors.js';

/**
 * State-changing modeler calls made with the session cookie must prove they come from our own page: the
 * workbench's CSRF token (double-submit, header `x-csrf-token`, handed to the page when it is served) and, when
 * the browser says where it comes from, our own origin. Calls with a bearer token are not cookie-borne and
 * need neither.
 */
export function csrfGuard(app: FastifyInstance) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (request.headers.authorization) return;
    const source = request.headers.origin ?? request.headers.referer;
    if (source && hostOf(source) !== request.headers.host) {
      throw new AppError(403, 'FORBIDDEN', '跨站请求被拒绝');
    }
    // The workbench's check answers a failure by sending the reply itself; it is handed a reply whose `send`
    // turns that into our error instead, so that the one error handler writes the one error shape.
    await new Promise<void>((resolve, reject) => {
      const refusing = Object.create(reply) as FastifyReply;
      refusing.send = () => {
        reject(new AppError(403, 'FORBIDDEN', '页面已过期（CSRF 校验失败），请刷新页面后重试'));
        return refusing;
      };
      app.csrfProtection(request, refusing, () => resolve());
    });
  };
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
