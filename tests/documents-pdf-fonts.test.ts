import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertToPdf } from '../server/documents/pdf.js';
import { renderDocx } from '../server/documents/render.js';
import { sampleCommonOf, sampleDataOf } from '../server/documents/samples.js';
import { createTemplateSource } from '../server/documents/template-source.js';

function has(command: string): boolean {
  try {
    execFileSync('which', [command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const tools = has('soffice') && has('pdffonts');

/** The base font names pdffonts lists (the subset prefix "ABCDEF+" removed). */
function embeddedFonts(pdf: string): string[] {
  const lines = execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).split('\n').slice(2);
  return lines.map((line) => line.split(/\s+/)[0]?.replace(/^[A-Z]{6}\+/, '') ?? '').filter((name) => name.length > 0);
}

describe('a review opinion converted on a Debian server', () => {
  it.skipIf(!tools)(
    'embeds the serif stand-ins for 小标宋 and 仿宋 and the Kai face for 楷体, with no sans body (needs soffice, pdffonts)',
    async () => {
      const templates = await createTemplateSource();
      const dir = mkdtempSync(path.join(tmpdir(), 'fashen-fonts-'));
      try {
        const bytes = await renderDocx(
          templates.engine,
          'review_opinion',
          // No standard template has a level-two heading yet; a department's may, so one is added to see 楷体.
          templates.standard('review_opinion').replace('## 四、理由\n', '## 四、理由\n### （一）事实\n'),
          sampleCommonOf('review_opinion'),
          sampleDataOf('review_opinion'),
        );
        const docx = path.join(dir, 'review_opinion.docx');
        writeFileSync(docx, bytes);
        const [pdf] = await convertToPdf([docx], dir);
        const fonts = embeddedFonts(pdf as string);

        // The collection's PostScript name is its first face's (…jp…) whichever language face is used.
        const seen = fonts.join(', ');
        expect(
          fonts.some((f) => /^NotoSerifCJK\w*-Bold/.test(f)),
          seen,
        ).toBe(true); // title, 方正小标宋简体
        expect(
          fonts.some((f) => /^NotoSerifCJK\w*-Regular/.test(f)),
          seen,
        ).toBe(true); // body, 仿宋; 宋体 page numbers
        expect(
          fonts.some((f) => /UKai/i.test(f)),
          seen,
        ).toBe(true); // level-two heading, 楷体
        // 黑体 is a sans by nature (level-one headings); any other face is a fallback.
        const others = fonts.filter((f) => !/^(NotoSerifCJK|NotoSansCJK\w*-Regular|UKai)/i.test(f));
        expect(others, seen).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
