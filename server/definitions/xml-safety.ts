import { issue, localType } from '../../workflows/lint/issues.js';
import { refuse } from './refuse.js';

// Element nesting in real models stays under 20 (definitions > process > sub-processes > task > form > field).
// The checks that walk up to ancestors cost O(depth), and the parser's cost grows with it, so the depth is
// bounded on the raw text before parsing, and again on the parsed elements.
export const MAX_NESTING = 40;

// A DTD is how both XXE (external entities) and billion laughs (nested entity expansion) get in. BPMN needs
// none, so any declaration is refused on the raw text before a parser ever sees it.
const DTD_DECLARATION = /<!\s*(DOCTYPE|ENTITY)/i;

const XML_DECLARED_ENCODING = /^\uFEFF?<\?xml\b[^>]*?\bencoding\s*=\s*["']([^"']*)["']/;

/**
 * Uploaded bytes as text. A BPMN must be UTF-8: bytes that are not are decoded with U+FFFD so that the other
 * checks still run and list their problems, and the first bad line is reported (the garbled text is never
 * deployed: the problem refuses the upload).
 */
export function decodeUpload(bytes: Uint8Array): { text: string; problem: string | null } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), problem: null };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    const line = text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
    return {
      text,
      problem: `BPMN 文件须为 UTF-8 编码：第 ${line} 行含有不是 UTF-8 的字节（请另存为 UTF-8 后重新上传）`,
    };
  }
}

/** The text with its declaration saying UTF-8, which it is once decoded: so that the parser judges the rest. */
export function declaredAsUtf8(xml: string): string {
  return xml.replace(XML_DECLARED_ENCODING, (declaration, name: string) =>
    declaration.replace(new RegExp(`(["'])${name.replace(/[^\w-]/g, '')}\\1$`), '$1UTF-8$1'),
  );
}

/** A problem with the encoding the XML declaration names, if it names one other than UTF-8. */
export function declaredEncodingProblem(xml: string): string | null {
  const declared = XML_DECLARED_ENCODING.exec(xml)?.[1];
  if (declared === undefined || /^utf-?8$/i.test(declared)) return null;
  return `XML 声明的编码为 ${declared}：BPMN 文件须为 UTF-8 编码（请另存为 UTF-8 并把声明改为 encoding="UTF-8"）`;
}

/** Checks the raw upload before parsing: its size and the absence of any DTD or entity declaration. */
export function checkRawXml(xml: string, maxBytes: number): void {
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > maxBytes) {
    refuse([issue('BPMN_UNSAFE', `BPMN 文件过大：${bytes} 字节，上限 ${maxBytes} 字节`)]);
  }
  const declaration = DTD_DECLARATION.exec(xml);
  if (declaration) {
    const kind = declaration[1].toUpperCase();
    refuse([
      issue(
        'BPMN_UNSAFE',
        `BPMN 文件不得包含 <!${kind}> 声明（可能造成外部实体注入或实体膨胀攻击）`,
        null,
        kind === 'DOCTYPE' ? '!DOCTYPE' : '!ENTITY',
      ),
    ]);
  }
}

/**
 * Refuses a document whose elements nest deeper than `max`, from the raw text, in one linear scan: a start tag
 * opens a level, an end tag closes one, an empty-element tag neither; comments, CDATA and processing
 * instructions are skipped. Malformed text is left to the parser, which refuses it with a better message.
 */
export function checkRawNesting(xml: string, max = MAX_NESTING): void {
  let depth = 0;
  let at = xml.indexOf('<');
  while (at !== -1) {
    const next = xml[at + 1];
    let end: number;
    if (xml.startsWith('<!--', at)) end = closing(xml, '-->', at + 4);
    else if (xml.startsWith('<![CDATA[', at)) end = closing(xml, ']]>', at + 9);
    else if (next === '?') end = closing(xml, '?>', at + 2);
    else {
      end = tagEnd(xml, at + 1);
      if (next === '/') depth--;
      else if (end !== -1 && xml[end - 1] !== '/' && ++depth > max) {
        const tag = /^[^\s/>]+/.exec(xml.slice(at + 1, at + 101))?.[0] ?? '';
        const line = xml.slice(0, at).split('\n').length;
        refuse([
          issue(
            'BPMN_UNSUPPORTED',
            `文档嵌套层级过深（最多 ${max} 层），在第 ${line} 行的 <${tag}> 处`,
            null,
            tag ? localType(tag) : null,
          ),
        ]);
      }
    }
    if (end === -1) return;
    at = xml.indexOf('<', end + 1);
  }
}

/** Index of the last character of `marker` after `from`, or -1 when the text ends first. */
function closing(xml: string, marker: string, from: number): number {
  const i = xml.indexOf(marker, from);
  return i === -1 ? -1 : i + marker.length - 1;
}

/** Index of the `>` that ends the tag starting before `from`, skipping quoted attribute values; -1 if none. */
function tagEnd(xml: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}
