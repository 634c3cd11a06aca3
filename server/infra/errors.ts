/**
 * What a domain refusal means, without saying how a transport reports it. The HTTP edge maps each kind to a
 * status (server/http/errors.ts); the engine, workers and the CLI see the same error without HTTP in it.
 */
export type RefusalKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'unprocessable' | 'too_large';

/** A refusal of the caller's request by a domain rule: nothing was changed. */
export class DomainError extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
