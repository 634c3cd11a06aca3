import { type Issue, refusalOf } from '../../workflows/lint/issues.js';
import { AppError } from '../http/errors.js';

/** Refuses an upload: a 400 whose body names the most serious problem and lists them all (see refusalOf). */
export function refuse(issues: readonly Issue[]): never {
  const { code, message, details } = refusalOf(issues);
  throw new AppError(400, code, message, details);
}
