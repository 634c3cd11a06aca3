/** The modeler's calls to the service, with the session cookie and, for changes, the page's CSRF token. */

export interface ApiProblem {
  code: string;
  elementId: string | null;
  elementType: string | null;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { problems?: ApiProblem[] } & Record<string, unknown>,
  ) {
    super(message);
  }
}

const csrfToken = () => document.querySelector<HTMLMetaElement>('meta[name="fashen-csrf"]')?.content ?? '';

async function call<T>(method: string, url: string, body?: unknown, accept = 'json'): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) {
    window.location.assign(`/login?next=${encodeURIComponent('/modeler')}`);
    throw new ApiError(401, 'UNAUTHENTICATED', '请先登录');
  }
  if (!res.ok) {
    const payload = await res.json().catch(() => null);
    const error = payload?.error ?? { code: 'INTERNAL', message: `${res.status} ${res.statusText}` };
    throw new ApiError(res.status, error.code, error.message, error.details);
  }
  if (res.status === 204) return undefined as T;
  return (accept === 'json' ? res.json() : res.text()) as Promise<T>;
}

export interface Workspace {
  department: { id: string; code: string; name: string };
  canEdit: boolean;
  services: string[];
  workflows: {
    processKey: string;
    name: string | null;
    latest: { version: number; deployedAt: string; versionCount: number } | null;
    draft: { revision: number; baseVersion: number | null; savedAt: string; savedByName: string } | null;
  }[];
}

export interface Me {
  displayName: string;
  departmentName: string;
  roles: string[];
}

export interface Version {
  version: number;
  deployedAt: string;
  deployedByName: string | null;
  changeNote: string | null;
}

export interface Draft {
  processKey: string;
  xml: string;
  baseVersion: number | null;
  revision: number;
  savedAt: string;
  savedByName: string;
}

export interface CheckResult {
  ok: boolean;
  processKey?: string;
  message?: string;
  problems?: ApiProblem[];
  /** The catalogue's legal bases the law library could not resolve: told, never a refusal. */
  warnings?: ApiProblem[];
}

export interface Trial {
  problem: string | null;
  result: unknown;
  applies: boolean;
}

export type CaseFacts = {
  category: string;
  partyType: string;
  amount: number;
  measure: string;
  hearingHeld: boolean;
  thirdPartyAffected: boolean;
  complex: boolean;
  publicInterest: boolean;
  socialImpact: boolean;
};

const key = (processKey: string) => encodeURIComponent(processKey);

export const api = {
  me: () => call<Me>('GET', '/api/me'),
  workspace: () => call<Workspace>('GET', '/api/modeler/workspace'),
  versions: (processKey: string) => call<Version[]>('GET', `/api/workflows/${key(processKey)}/versions`),
  versionXml: (processKey: string, version: number) =>
    call<string>('GET', `/api/workflows/${key(processKey)}/versions/${version}`, undefined, 'text'),
  draft: (processKey: string) => call<Draft>('GET', `/api/modeler/drafts/${key(processKey)}`),
  saveDraft: (processKey: string, body: { xml: string; baseVersion: number | null; expectedRevision: number | null }) =>
    call<{ revision: number; savedAt: string }>('PUT', `/api/modeler/drafts/${key(processKey)}`, body),
  discardDraft: (processKey: string) => call<void>('DELETE', `/api/modeler/drafts/${key(processKey)}`),
  check: (xml: string) => call<CheckResult>('POST', '/api/modeler/check', { xml }),
  /** Proposes the deployment; another legal admin of the department approves it (on the 流程目录变更 page). */
  propose: (xml: string, note: string) =>
    call<{ id?: string; unchanged?: true; processKey: string; version?: number; warnings?: ApiProblem[] }>(
      'POST',
      '/api/deployment-requests',
      {
        xml,
        note,
      },
    ),
  tryCondition: (condition: string, facts: CaseFacts) =>
    call<Trial>('POST', '/api/modeler/catalogue/try', { condition, facts }),
};
