import { findCertificate } from '../../identity/directory.js';
import { instantToShanghaiDate } from '../../workdays/days.js';
import type { PublicityContext } from '../disclosures/timers.js';

/**
 * 亮证执法 / 执法证件查询: a member of the public checks an officer's enforcement certificate by its number,
 * and an officer shows theirs (with a QR code pointing at the public check). What the public sees is the
 * holder's name, agency, domain and validity — never username, phone, roles or user ids. A departed holder's
 * certificate shows only that it is no longer valid, with agency and number.
 */

export type CertificateState = 'valid' | 'expired' | 'not_yet_valid' | 'revoked';

export const CERTIFICATE_STATE_LABELS: Record<CertificateState, string> = {
  valid: '有效',
  expired: '已过期',
  not_yet_valid: '尚未生效',
  revoked: '已失效',
};

/** Verification is re-read within a minute of a certificate being revoked or changed. */
export const CERTIFICATE_CACHE = 'public, max-age=60';

/** The most characters a certificate number has once normalised; more is not a number but noise. */
export const CERTIFICATE_NUMBER_MAX = 40;
const NUMBER_CHARS = /^[\p{Script=Han}A-Z0-9._/-]+$/u;

/**
 * A typed number as the register compares it: full-width characters folded (NFKC, as phone keyboards type
 * them), whitespace removed, letters upper-cased. Null when it cannot be a certificate number.
 */
export function normaliseCertificateNumber(raw: string): string | null {
  const n = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  if (n.length === 0 || n.length > CERTIFICATE_NUMBER_MAX || !NUMBER_CHARS.test(n)) return null;
  return n;
}

/** Valid from and until are inclusive civil dates; a missing bound does not limit. */
export function certificateState(
  c: { active: boolean; validFrom: string | null; validUntil: string | null },
  today: string,
): CertificateState {
  if (!c.active) return 'revoked';
  if (c.validFrom && today < c.validFrom) return 'not_yet_valid';
  if (c.validUntil && today > c.validUntil) return 'expired';
  return 'valid';
}

type Row = NonNullable<Awaited<ReturnType<typeof findCertificate>>>;

/** What anyone may learn about a certificate on a given day. */
export interface PublicCertificate {
  number: string;
  state: CertificateState;
  stateLabel: string;
  /** The Asia/Shanghai date the state was judged on. */
  checkedOn: string;
  agency: { id: string; name: string };
  holderName?: string;
  domain?: string;
  validFrom?: string;
  validUntil?: string;
}

function publicView(row: Row, today: string): PublicCertificate {
  const state = certificateState({ active: row.active, validFrom: row.valid_from, validUntil: row.valid_until }, today);
  const base = {
    number: row.number ?? '',
    state,
    stateLabel: CERTIFICATE_STATE_LABELS[state],
    checkedOn: today,
    agency: { id: row.department_id, name: row.department_name },
  };
  if (state === 'revoked') return base;
  return {
    ...base,
    holderName: row.holder_name,
    domain: row.domain ?? undefined,
    validFrom: row.valid_from ?? undefined,
    validUntil: row.valid_until ?? undefined,
  };
}

type Ctx = Pick<PublicityContext, 'db' | 'clock'>;

/** The portal publishes the officers of enforcement agencies (not the justice bureau's supervisors). */
const isPublished = (row: Row) => row.department_kind === 'agency';

/** The certificate registered under an already normalised number, as of today in Shanghai; null if none. */
export async function verifyCertificate(ctx: Ctx, number: string): Promise<PublicCertificate | null> {
  const row = await findCertificate(ctx.db, { number });
  return row && isPublished(row) ? publicView(row, instantToShanghaiDate(ctx.clock.now())) : null;
}

/** A signed-in user's own certificate (亮证), with the number its public check is found by; null if none. */
export async function ownCertificate(ctx: Ctx, userId: string) {
  const row = await findCertificate(ctx.db, { userId });
  if (!row?.number) return null;
  const lookupNumber = normaliseCertificateNumber(row.number);
  const today = instantToShanghaiDate(ctx.clock.now());
  const state = certificateState({ active: row.active, validFrom: row.valid_from, validUntil: row.valid_until }, today);
  return {
    holderName: row.holder_name,
    agencyName: row.department_name,
    number: row.number,
    /** The number the public check finds it by; null when the public cannot check it here. */
    lookupNumber: isPublished(row) ? lookupNumber : null,
    domain: row.domain,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    state,
    stateLabel: CERTIFICATE_STATE_LABELS[state],
    checkedOn: today,
  };
}

/** The public page that verifies a certificate, absolute so that a printed or scanned QR code reaches it. */
export function verificationUrl(origin: string, number: string): string {
  return `${origin}/public/certificates/${encodeURIComponent(number)}`;
}
