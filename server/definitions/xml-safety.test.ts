import { describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.js';
import { checkRawNesting } from './xml-safety.js';

const nested = (depth: number, inner = '') => `${'<a>'.repeat(depth)}${inner}${'</a>'.repeat(depth)}`;

function refusalOf(xml: string, max = 5): AppError | null {
  try {
    checkRawNesting(xml, max);
    return null;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

describe('checkRawNesting', () => {
  it('takes a document at the limit and refuses one level deeper, naming the tag and its line', () => {
    expect(refusalOf(nested(5))).toBeNull();
    const error = refusalOf(`<?xml version="1.0"?>\n<root>\n${nested(5)}</root>`);
    expect(error?.code).toBe('BPMN_UNSUPPORTED');
    expect(error?.message).toBe('文档嵌套层级过深（最多 5 层），在第 3 行的 <a> 处');
  });

  it('counts neither empty-element tags nor siblings', () => {
    expect(refusalOf(`<r>${'<b/><c x="1" />'.repeat(100)}${nested(4, '<d />')}</r>`)).toBeNull();
  });

  it('skips comments, CDATA, processing instructions and a > inside a quoted attribute', () => {
    const noise = `<!-- ${'<a>'.repeat(10)} --><![CDATA[${'<a>'.repeat(10)}]]><?pi <a><a><a><a><a><a> ?>`;
    expect(refusalOf(`<r t="a > b" u='<'>${noise}${nested(4)}</r>`)).toBeNull();
    expect(refusalOf(`<r t="a > b">${noise}${nested(5)}</r>`)?.code).toBe('BPMN_UNSUPPORTED');
  });

  it('leaves unterminated markup to the parser', () => {
    expect(refusalOf('<r><!-- never closed <a><a><a><a><a><a>')).toBeNull();
    expect(refusalOf('<r><a x="never closed>')).toBeNull();
  });

  it('scans a 2 MB document to its end in well under the parse time', () => {
    const xml = `<r>${'<b x="1" y=\'>\'/><c>text</c>'.repeat(80_000)}</r>`;
    expect(xml.length).toBeGreaterThan(2_000_000);
    const t0 = process.cpuUsage();
    expect(refusalOf(xml, 40)).toBeNull();
    const used = process.cpuUsage(t0);
    expect((used.user + used.system) / 1000).toBeLessThan(200);
  });
});
