/**
 * Evidence types accepted, recognised by their leading bytes (magic numbers), never by name or declared type.
 * Each family has its own size limit.
 */
export type EvidenceFamily = 'document' | 'image' | 'audio' | 'video';

export interface SniffedType {
  mediaType: string;
  family: EvidenceFamily;
  ext: string;
}

/** Bytes needed to decide (the OOXML/OFD check looks for part names in the first local headers). */
export const SNIFF_BYTES = 8192;

const ascii = (b: Buffer, at: number, s: string) =>
  b.length >= at + s.length && b.toString('latin1', at, at + s.length) === s;
const bytes = (b: Buffer, at: number, sig: number[]) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

const MP4_BRANDS_AUDIO = new Set(['M4A ', 'M4B ']);

export function sniff(head: Buffer): SniffedType | null {
  if (ascii(head, 0, '%PDF-')) return { mediaType: 'application/pdf', family: 'document', ext: 'pdf' };
  if (bytes(head, 0, [0x50, 0x4b, 0x03, 0x04])) {
    const names = head.toString('latin1');
    if (names.includes('OFD.xml')) return { mediaType: 'application/ofd', family: 'document', ext: 'ofd' };
    if (names.includes('[Content_Types].xml') || names.includes('word/') || names.includes('xl/')) {
      if (names.includes('word/'))
        return {
          mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          family: 'document',
          ext: 'docx',
        };
      if (names.includes('xl/'))
        return {
          mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          family: 'document',
          ext: 'xlsx',
        };
    }
    return null; // an arbitrary zip could hold anything: not evidence we can show
  }
  if (bytes(head, 0, [0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', family: 'image', ext: 'jpg' };
  if (bytes(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return { mediaType: 'image/png', family: 'image', ext: 'png' };
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP'))
    return { mediaType: 'image/webp', family: 'image', ext: 'webp' };
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return { mediaType: 'audio/wav', family: 'audio', ext: 'wav' };
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'AVI '))
    return { mediaType: 'video/x-msvideo', family: 'video', ext: 'avi' };
  if (ascii(head, 4, 'ftyp')) {
    const brand = head.toString('latin1', 8, 12);
    if (MP4_BRANDS_AUDIO.has(brand)) return { mediaType: 'audio/mp4', family: 'audio', ext: 'm4a' };
    if (brand === 'qt  ') return { mediaType: 'video/quicktime', family: 'video', ext: 'mov' };
    if (/^(isom|iso[2-9]|mp4[12]|avc1|dash|MSNV|M4V |3gp[4-6])$/.test(brand))
      return { mediaType: 'video/mp4', family: 'video', ext: 'mp4' };
    return null;
  }
  if (
    ascii(head, 0, 'ID3') ||
    (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x06) !== 0)
  )
    return { mediaType: 'audio/mpeg', family: 'audio', ext: 'mp3' };
  if (ascii(head, 0, 'OggS')) return { mediaType: 'audio/ogg', family: 'audio', ext: 'ogg' };
  if (bytes(head, 0, [0x1a, 0x45, 0xdf, 0xa3])) return { mediaType: 'video/webm', family: 'video', ext: 'webm' };
  return null;
}

export const ACCEPTED_TYPES =
  'PDF、OFD、Word(.docx)、Excel(.xlsx)、JPEG、PNG、WebP、MP3、WAV、M4A、Ogg、MP4、MOV、AVI、WebM';
