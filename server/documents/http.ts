import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The schema of a .docx response, for the OpenAPI document. */
export const DocxResponse = {
  description: 'Word 文档（.docx）',
  content: { [DOCX_TYPE]: { schema: Type.String({ format: 'binary' }) } },
};

/** RFC 6266 / RFC 5987: an ASCII fallback name, and the real (Chinese) name percent-encoded as UTF-8. */
export function contentDisposition(fileName: string, fallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encoded}`;
}

export function sendDocx(reply: FastifyReply, bytes: Buffer, fileName: string, fallback: string) {
  return reply
    .type(DOCX_TYPE)
    .header('content-disposition', contentDisposition(fileName, fallback))
    .header('cache-control', 'private, no-store')
    .send(bytes);
}
