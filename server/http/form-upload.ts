import type { FastifyRequest } from 'fastify';

/** A workbench upload form as read: its named text fields, the file if one was chosen, or why it was refused. */
export interface FormUpload {
  fields: Record<string, string>;
  file?: { content: Buffer; name: string };
  /** Set when the file was over the limit; the page says so instead of saving anything. */
  uploadError?: string;
}

/**
 * A preHandler that reads a multipart upload form (one file and a few named fields, `_csrf` among them) into
 * `request.body` before the CSRF check, which looks for `_csrf` there. The file is small and read whole; one
 * over `maxFileBytes` leaves `uploadError` set to `tooLarge`. Other fields are ignored. A request that is not
 * multipart (a urlencoded form) is left as Fastify parsed it; `shape` turns the result into the body the
 * route reads.
 */
export function readUploadForm<T>(opts: {
  maxFileBytes: number;
  fields: readonly string[];
  tooLarge: string;
  shape: (upload: FormUpload) => T;
}) {
  const wanted = new Set(['_csrf', ...opts.fields]);
  return async (request: FastifyRequest) => {
    if (!request.isMultipart()) return;
    const upload: FormUpload = { fields: {} };
    const limits = { fileSize: opts.maxFileBytes, files: 1, fields: wanted.size + 5 };
    try {
      for await (const part of request.parts({ limits })) {
        if (part.type === 'file') {
          const content = await part.toBuffer();
          if (content.length > 0) upload.file = { content, name: part.filename };
        } else if (wanted.has(part.fieldname)) {
          upload.fields[part.fieldname] = String(part.value ?? '');
        }
      }
    } catch (err) {
      if ((err as { code?: string }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
      upload.uploadError = opts.tooLarge;
    }
    request.body = opts.shape(upload);
  };
}
