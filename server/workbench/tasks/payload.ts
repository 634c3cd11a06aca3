import { isStep, type Step } from '../../../workflows/lint/steps.js';
import type { FormField } from '../../definitions/form-fields.js';
import { statusOf } from '../../http/errors.js';
import { DomainError } from '../../infra/errors.js';
import type { FieldErrors } from '../cases/submit-packet.js';
import type { FormValues } from './drafts.js';

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/**
 * The task's form values as the process takes them: only the declared fields, typed. An empty required input
 * is left out, so it is reported as missing rather than as a wrong type.
 */
export function payloadFrom(fields: FormField[], body: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = one(body[f.name]);
    const text = f.type === 'text' ? raw.replace(/\r\n/g, '\n').trim() : raw.trim();
    if (text === '') {
      // The process keeps every variable it was given: an optional text left empty must be sent as empty,
      // or a second round would silently inherit the first round's note.
      if (!f.required && (f.type === 'text' || f.type === 'string') && f.name in body) out[f.name] = '';
      continue;
    }
    switch (f.type) {
      case 'boolean':
        if (text === 'true' || text === 'false') out[f.name] = text === 'true';
        else out[f.name] = text;
        break;
      case 'number':
      case 'integer': {
        const n = Number(text.replace(/[,，]/g, ''));
        out[f.name] = Number.isFinite(n) ? n : text;
        break;
      }
      default:
        out[f.name] = text;
    }
  }
  return out;
}

/**
 * Where a service's refusal belongs on the page: the field the rule is about (e.g. the chief's reasons),
 * or the top of the form.
 */
const SERVICE_ERROR_FIELD: Partial<Record<Step, string>> = {
  review: 'conclusion',
  contest: 'contestReasons',
  chief_decision: 'decisionReasons',
};

export interface FormFailure {
  status: number;
  /** The refusal's code, as the API answers it. */
  code: string;
  errors: FieldErrors;
  message: string;
}

/** An error from completing a task as the form shows it; anything that is not the user's to fix is rethrown. */
/** The top of a refused form when the problems are shown beside their fields. */
export function fieldsSummary(count: number): string {
  return `表单填写有误，请按提示修改（共 ${count} 处）。`;
}

export function formFailure(err: unknown, step: string | null): FormFailure {
  if (!(err instanceof DomainError) || statusOf(err) >= 500) throw err;
  const errors: FieldErrors = {};
  if (err.code === 'FORM_INVALID') {
    const fields = ((err.details as { fields?: { field: string; message: string }[] })?.fields ?? []).filter(
      (f) => f.field,
    );
    for (const f of fields) errors[f.field] ??= f.message;
    return { status: 400, code: err.code, errors, message: fieldsSummary(fields.length) };
  }
  // A refusal that names its field (details.field) is shown beside it; else beside the step's usual field.
  const named = (err.details as { field?: unknown } | undefined)?.field;
  const field = typeof named === 'string' ? named : isStep(step) ? SERVICE_ERROR_FIELD[step] : undefined;
  if (err.code === 'VALIDATION_FAILED' && field) {
    // Said once, beside the field; the top of the form only points to it.
    errors[field] = err.message;
    return { status: 400, code: err.code, errors, message: fieldsSummary(1) };
  }
  return { status: statusOf(err), code: err.code, errors, message: err.message };
}
