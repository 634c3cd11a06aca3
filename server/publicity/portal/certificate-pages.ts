import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import {
  CERTIFICATE_CACHE,
  CERTIFICATE_NUMBER_MAX,
  normaliseCertificateNumber,
  type PublicCertificate,
  verifyCertificate,
} from './certificates.js';
import { sendPage } from './views.js';

/** Longest text the search box keeps (spaces included); the number itself is checked after normalising. */
const TYPED_MAX = 64;

type Outcome =
  | { kind: 'form' }
  | { kind: 'malformed' }
  | { kind: 'not_found'; number: string }
  | { kind: 'found'; certificate: PublicCertificate };

/** Page status: the search form answers 200 whatever it finds; a certificate's own URL says 404 or 400. */
function status(outcome: Outcome, direct: boolean) {
  if (!direct) return 200;
  if (outcome.kind === 'malformed') return 400;
  if (outcome.kind === 'not_found') return 404;
  return 200;
}

/** 执法证件查询 on the portal: a search form, and a page per certificate that an officer's QR code opens. */
export const certificatePages: FastifyPluginAsync = async (app) => {
  const views = app.publicityViews;

  async function lookUp(typed: string | undefined): Promise<Outcome> {
    if (typed === undefined || typed.trim() === '') return { kind: 'form' };
    const number = typed.length > TYPED_MAX ? null : normaliseCertificateNumber(typed);
    if (!number) return { kind: 'malformed' };
    const certificate = await verifyCertificate(app.publicity, number);
    return certificate ? { kind: 'found', certificate } : { kind: 'not_found', number };
  }

  function render(reply: FastifyReply, typed: string, outcome: Outcome, direct: boolean) {
    const found = outcome.kind === 'found' ? outcome.certificate : null;
    const code = status(outcome, direct);
    const html = views.page('public-certificates', {
      title: found ? `执法证件 ${found.number}` : '执法证件查询',
      typed: typed.slice(0, TYPED_MAX),
      maxLength: TYPED_MAX,
      numberMax: CERTIFICATE_NUMBER_MAX,
      certificate: found,
      revoked: found?.state === 'revoked',
      valid: found?.state === 'valid',
      malformed: outcome.kind === 'malformed',
      notFound: outcome.kind === 'not_found' ? outcome.number : null,
    });
    // Only a found certificate is cached: one registered a moment ago must not stay "not found".
    return sendPage(
      reply.status(code),
      html,
      code === 200 && outcome.kind !== 'not_found' ? CERTIFICATE_CACHE : 'no-store',
    );
  }

  app.get('/public/certificates', { schema: { hide: true } }, async (request, reply) => {
    const raw = (request.query as { number?: unknown }).number;
    const typed = typeof raw === 'string' ? raw : undefined;
    return render(reply, typed ?? '', await lookUp(typed), false);
  });

  app.get('/public/certificates/:number', { schema: { hide: true } }, async (request, reply) => {
    const { number } = request.params as { number: string };
    return render(reply, number, await lookUp(number), true);
  });
};
