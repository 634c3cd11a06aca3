import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError, type RefusalKind } from '../infra/errors.js';
import { describeValidation } from './validation-messages.js';

/** Every error code the API can answer with. One union so clients can switch on it. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'SESSION_EXPIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_ATTEMPTS'
  | 'INVALID_CREDENTIALS'
  | 'BPMN_INVALID'
  | 'BPMN_UNSAFE'
  | 'BPMN_UNSUPPORTED'
  | 'DEFINITION_NOT_FOUND'
  | 'INSTANCE_NOT_FOUND'
  | 'INSTANCE_NOT_RUNNING'
  | 'INSTANCE_NOT_FAILED'
  | 'TASK_NOT_FOUND'
  | 'TASK_ALREADY_COMPLETED'
  | 'TASK_ASSIGNED_TO_OTHER'
  | 'FORM_INVALID'
  | 'PROCESS_FAILED'
  | 'CASE_NOT_FOUND'
  | 'CASE_NUMBER_TAKEN'
  | 'REVIEW_NOT_PASSED'
  | 'COORDINATION_NOT_CONFIRMED'
  | 'ATTACHMENT_NOT_FOUND'
  | 'ARCHIVE_INVALID'
  | 'TEMPLATE_OVER_BUDGET'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'ANNUAL_REPORT_NOT_SUBMITTED'
  | 'ANNUAL_REPORT_PUBLISHED'
  | 'ADDRESS_REFUSED'
  | 'FLOOR_STATUTORY'
  | 'FLOOR_CODE_TAKEN'
  | 'REVIEWER_UNQUALIFIED'
  | 'REVIEWER_OUT_OF_SYSTEM'
  | 'NO_ELIGIBLE_REVIEWER'
  | 'PROCEDURE_NOT_COMPLETE'
  | 'RECORDING_REQUIRED'
  | 'STAGE_NOT_FOUND'
  | 'QUORUM_NOT_MET'
  | 'PREREQUISITE_MISSING'
  | 'INTERNAL';

const KIND_OF_STATUS: Record<number, RefusalKind> = {
  400: 'invalid',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  422: 'unprocessable',
};

const STATUS_OF_KIND: Record<RefusalKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
};

/** A refusal with its HTTP status, thrown by routes and services that speak HTTP. */
export class AppError extends DomainError {
  constructor(
    readonly statusCode: number,
    override readonly code: ErrorCode,
    message: string,
    details?: unknown,
  ) {
    super(KIND_OF_STATUS[statusCode] ?? 'invalid', code, message, details);
    this.name = 'AppError';
  }
}

/** The HTTP status of a domain refusal (an AppError keeps its own). */
export function statusOf(err: DomainError): number {
  return err instanceof AppError ? err.statusCode : STATUS_OF_KIND[err.kind];
}

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorBody', description: '所有错误的统一格式' },
);

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_RATE_LIMIT_EXCEEDED: 'TOO_MANY_ATTEMPTS',
};

type ErrorReply = { statusCode: number; body: { error: { code: string; message: string; details?: unknown } } };

/** A browser asking for a page (not the API) gets the error as a page, when the workbench's views exist. */
function asPage(request: FastifyRequest, reply: FastifyReply, e: ErrorReply) {
  const wantsHtml = !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
  const view = (reply as FastifyReply & { view?: (page: string, data: object) => unknown }).view;
  if (!wantsHtml || typeof view !== 'function') return reply.status(e.statusCode).send(e.body);
  return reply.status(e.statusCode).type('text/html').header('cache-control', 'no-store').view('error.hbs', {
    status: e.statusCode,
    message: e.body.error.message,
    code: e.body.error.code,
  });
}

/** The one error handler: AppErrors as they are, validation errors as 400, internals hidden on 5xx. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DomainError, request, reply) => {
    const send = (statusCode: number, body: ErrorReply['body']) => asPage(request, reply, { statusCode, body });
    if (err instanceof DomainError) {
      return send(statusOf(err), { error: { code: err.code, message: err.message, details: err.details } });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const { message, problems } = describeValidation(fe.validation, fe.validationContext);
      return send(400, { error: { code: 'VALIDATION_FAILED', message, details: problems } });
    }
    const status = fe.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = fastifyCodes[fe.code] ?? (status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST');
      return send(status, { error: { code, message: fe.message } });
    }
    request.log.error({ err }, 'unhandled error');
    return send(500, { error: { code: 'INTERNAL', message: '服务器内部错误' } });
  });
  app.setNotFoundHandler((request, reply) =>
    asPage(request, reply, {
      statusCode: 404,
      body: { error: { code: 'NOT_FOUND', message: `未找到 ${request.method} ${request.url.split('?')[0]}` } },
    }),
  );
}
