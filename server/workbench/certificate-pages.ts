import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import qrcode from 'qrcode-generator';
import { ownCertificate, verificationUrl } from '../publicity/portal/certificates.js';

/**
 * The QR code (inline SVG, scaled by CSS) a party scans to open the public check of a certificate. Medium
 * error correction survives a worn or glare-lit screen; the quiet zone is the standard's four modules. The URL
 * is ASCII (the number is percent-encoded), so byte mode needs no text encoding.
 */
export function certificateQrSvg(url: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(url, 'Byte');
  qr.make();
  return qr.createSvgTag({ cellSize: 1, margin: 4, scalable: true });
}

/** Where the public reaches the portal: PUBLIC_BASE_URL, else the origin this request came to. */
function publicOrigin(configured: string | undefined, request: FastifyRequest): string {
  return configured ?? `${request.protocol}://${request.host}`;
}

/** 我的执法证 (亮证): a signed-in officer shows their certificate and a QR code of its public check. */
export const certificatePages: FastifyPluginAsync = async (app) => {
  app.get('/me/certificate', { schema: { hide: true } }, async (request, reply) => {
    const actor = await app.pageActor(request, reply);
    if (!actor) return reply;
    const certificate = await ownCertificate({ db: app.db, clock: app.clock }, actor.id);
    const url = certificate?.lookupNumber
      ? verificationUrl(publicOrigin(app.config.PUBLIC_BASE_URL, request), certificate.lookupNumber)
      : null;
    return app.renderPage(
      reply,
      'me-certificate.hbs',
      {
        title: '我的执法证',
        certificate,
        valid: certificate?.state === 'valid',
        verificationUrl: url,
        qrSvg: url ? certificateQrSvg(url) : null,
      },
      actor,
    );
  });
};
