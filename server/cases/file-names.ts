/**
 * The one way an uploaded file's name is cleaned, on every path (multipart, resumable): the name a person
 * gave is kept for the case record and downloads, minus what could mislead or break: folders (`../../x.pdf`),
 * control characters (CR/LF, NUL), bidirectional overrides that disguise an extension, unpaired surrogates,
 * and an extension the content does not have (a PDF named `x.exe` becomes `x.exe.pdf`).
 */

const MAX_LENGTH = 255;
const UNNAMED = '未命名文件';

/** Further spellings of a sniffed type's extension (see records/evidence/sniff.ts). */
const SPELLINGS: Record<string, readonly string[]> = {
  jpg: ['jpg', 'jpeg', 'jpe'],
  ogg: ['ogg', 'oga'],
  mov: ['mov', 'qt'],
};

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// C0 and C1 controls, DEL, and the bidirectional embedding, override and isolate characters.
const UNSAFE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** The bare, printable name a person typed or their browser sent; '' when nothing of it is left. */
export function cleanFileName(raw: string): string {
  const bare = raw.slice(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1);
  const text = bare
    .replace(LONE_SURROGATE, '')
    .replace(/\ufffd/g, '')
    .replace(UNSAFE, '');
  const trimmed = text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  return truncate(trimmed, MAX_LENGTH);
}

/** The name an attachment is stored under: cleaned, never empty, ending in the extension of what it holds. */
export function storedFileName(raw: string, ext: string): string {
  const name = cleanFileName(raw) || UNNAMED;
  const dot = name.lastIndexOf('.');
  const current = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if ((SPELLINGS[ext] ?? [ext]).includes(current)) return name;
  const suffix = `.${ext}`;
  return truncate(name, MAX_LENGTH - suffix.length) + suffix;
}

/** At most `max` characters, never splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('').trimEnd();
}
