import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderDocx } from '../server/documents/render.js';
import { sampleCommonOf, sampleDataOf } from '../server/documents/samples.js';
import { createTemplateSource } from '../server/documents/template-source.js';
import { redSealPng } from '../server/documents/testing/seal-png.js';

function has(command: string): boolean {
  try {
    execFileSync('which', [command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
// soffice converts; poppler-utils (pdfimages, pdftohtml) reads the images and where things are on the page.
const tools = has('soffice') && has('pdfimages') && has('pdftohtml');

interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}
const bottom = (b: Box) => b.top + b.height;
const right = (b: Box) => b.left + b.width;
const overlaps = (a: Box, b: Box) => a.left < right(b) && b.left < right(a) && a.top < bottom(b) && b.top < bottom(a);

/** The boxes of one page as pdftohtml places them, in points from the page's top left. */
function pageLayout(xml: string, page: number) {
  const body = xml.split(/<page number="/)[page]?.split('</page>')[0] ?? '';
  const box = (attrs: string): Box => {
    const n = (k: string) => Number(new RegExp(`${k}="(-?\\d+)"`).exec(attrs)?.[1]);
    return { top: n('top'), left: n('left'), width: n('width'), height: n('height') };
  };
  return {
    images: [...body.matchAll(/<image ([^>]*)\/>/g)].map((m) => box(m[1])),
    texts: [...body.matchAll(/<text ([^>]*)>(.*?)<\/text>/g)].map((m) => ({
      ...box(m[1]),
      text: m[2].replace(/<[^>]+>/g, ''),
    })),
  };
}

describe('a sealed review opinion as Word opens it', () => {
  it.skipIf(!tools)(
    'converts to a PDF with the one seal over the organ name and date, clear of the body (needs soffice, poppler)',
    async () => {
      const templates = await createTemplateSource();
      const png = redSealPng(300);
      const bytes = await renderDocx(
        templates.engine,
        'review_opinion',
        templates.standard('review_opinion'),
        sampleCommonOf('review_opinion'),
        sampleDataOf('review_opinion'),
        { seal: { png, width: 300, height: 300 } },
      );
      const dir = mkdtempSync(path.join(tmpdir(), 'fashen-seal-'));
      try {
        writeFileSync(path.join(dir, 'opinion.docx'), bytes);
        const profile = pathToFileURL(path.join(dir, 'profile')).href;
        execFileSync(
          'soffice',
          [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, 'opinion.docx'],
          { cwd: dir, stdio: 'ignore', timeout: 120_000 },
        );
        const pdf = path.join(dir, 'opinion.pdf');
        // `pdfimages -list`: one image (its alpha channel is listed apart as an smask), on the last page.
        const rows = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' })
          .split('\n')
          .slice(2)
          .map((l) => l.trim().split(/\s+/))
          .filter((cols) => cols.length > 4);
        const images = rows.filter((cols) => cols[2] === 'image');
        expect(images).toHaveLength(1);
        expect(images[0].slice(3, 5)).toEqual(['300', '300']);
        const page = Number(images[0][0]);

        execFileSync('pdftohtml', ['-xml', '-zoom', '1', '-q', pdf, path.join(dir, 'layout')]);
        const layout = pageLayout(readFileSync(path.join(dir, 'layout.xml'), 'utf8'), page);
        expect(layout.images).toHaveLength(1);
        const seal = layout.images[0];
        expect(seal.width).toBeCloseTo((42 / 25.4) * 72, -1); // 42 mm
        expect(seal.height).toBe(seal.width);

        const organ = layout.texts.filter((t) => t.text === '盐城市市场监督管理局').at(-1)!;
        const date = layout.texts.filter((t) => t.top > organ.top && t.top < bottom(organ) + organ.height);
        expect(date.map((t) => t.text).join('')).toBe('2026年11月25日');
        // 下压成文日期: the seal covers the organ name and the date, which sit below its centre, and it is
        // centred on them.
        const centre = { x: seal.left + seal.width / 2, y: seal.top + seal.height / 2 };
        expect(seal.top).toBeLessThan(organ.top);
        expect(bottom(seal)).toBeGreaterThan(Math.max(...date.map(bottom)));
        expect(organ.top + organ.height / 2).toBeGreaterThan(centre.y);
        expect(Math.abs(centre.x - (organ.left + organ.width / 2))).toBeLessThan(8);
        // 上不压正文: the only text under the seal is the signature block's.
        const covered = layout.texts.filter((t) => overlaps(t, seal)).map((t) => t.text);
        const signature = new Set([
          '审核机构：法规处',
          '审核人：李明（法规处副处长）',
          organ.text,
          ...date.map((t) => t.text),
        ]);
        expect(covered.filter((text) => !signature.has(text))).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
