/** One CSV record and the line of the file it starts on (1-based), for error messages. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** Text of an uploaded file: UTF-8, with or without a byte-order mark; anything else is refused, not guessed. */
export function decodeUtf8(content: Buffer | string): string | null {
  let text: string;
  if (typeof content === 'string') text = content;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      return null; // most often GBK from an older Excel
    }
  }
  return text.replace(/^\uFEFF/, '');
}

/**
 * RFC 4180 records: comma-separated, fields optionally in double quotes ("" for a quote), line breaks (LF or
 * CRLF) allowed inside quotes. Blank lines are skipped. A quote inside an unquoted field is kept as text.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let quoteLine = 0;
  let afterQuote = false;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') records.push({ line: start, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        afterQuote = true;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '' && !afterQuote) {
      quoted = true;
      quoteLine = line;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      afterQuote = false;
      line++;
      start = line;
    } else if (afterQuote) {
      throw new CsvSyntaxError(line, `第 ${line} 行：引号结束后只能是逗号或换行`);
    } else {
      field += c;
    }
  }
  if (quoted) throw new CsvSyntaxError(quoteLine, `第 ${quoteLine} 行：引号没有闭合`);
  endRecord();
  return records;
}

/** A field for a CSV file (export, templates): quoted when it must be. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}
