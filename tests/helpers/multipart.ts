import { randomBytes } from 'node:crypto';

export interface FormFile {
  field: string;
  fileName: string;
  type: string;
  content: Buffer;
}

/** A multipart/form-data body of text fields and files, for app.inject (as a browser's form would send it). */
export function multipartBody(fields: [string, string][], files: FormFile[] = []) {
  const boundary = `----fashen${randomBytes(8).toString('hex')}`;
  const parts = [
    ...fields.map(([name, value]) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    ),
    ...files.map((f) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.fileName}"\r\n` +
            `Content-Type: ${f.type}\r\n\r\n`,
        ),
        f.content,
        Buffer.from('\r\n'),
      ]),
    ),
  ];
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
  };
}

/** A multipart/form-data body with one file. */
export function multipartFile(field: string, fileName: string, type: string, content: Buffer) {
  return multipartBody([], [{ field, fileName, type, content }]);
}
