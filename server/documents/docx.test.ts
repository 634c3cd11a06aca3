import { describe, expect, it } from 'vitest';
import { blocksToDocx } from './docx.js';
import { parseMarkup } from './markup.js';
import type { SealImage } from './seal/drawing.js';
import { redSealPng } from './testing/seal-png.js';
import { docxPart, unzip } from './testing/unzip.js';

async function render(markup: string, seal?: SealImage) {
  const { blocks, errors } = parseMarkup(markup);
  expect(errors).toEqual([]);
  return blocksToDocx(blocks, { title: '测试', subject: '市监法审〔2026〕1号', seal });
}

const mmToTwip = (mm: number) => Math.round((mm / 25.4) * 1440);

describe('markup to .docx', () => {
  it('lays out an A4 page with the GB/T 9704 margins', async () => {
    const xml = docxPart(await render('正文'));
    expect(xml).toContain(`w:w="${mmToTwip(210)}"`);
    expect(xml).toContain(`w:h="${mmToTwip(297)}"`);
    expect(xml).toMatch(new RegExp(`w:top="${mmToTwip(37)}"`));
    expect(xml).toMatch(new RegExp(`w:bottom="${mmToTwip(35)}"`));
    expect(xml).toMatch(new RegExp(`w:left="${mmToTwip(28)}"`));
    expect(xml).toMatch(new RegExp(`w:right="${mmToTwip(26)}"`));
  });

  it('sets the body in 三号仿宋 and titles in 二号小标宋, centred', async () => {
    const styles = docxPart(await render('# 标题\n正文'), 'word/styles.xml');
    expect(styles).toMatch(/w:eastAsia="仿宋"/);
    expect(styles).toContain('仿宋_GB2312');
    expect(styles).toMatch(/<w:sz w:val="32"\/>/); // 16 pt
    expect(styles).toContain('方正小标宋简体');
    expect(styles).toMatch(/<w:sz w:val="44"\/>/); // 22 pt
    const xml = docxPart(await render('# 标题\n正文'));
    expect(xml).toContain('w:val="FsTitle"');
    expect(xml).toContain('w:val="FsBody"');
  });

  it('numbers the pages — N — on the right of odd pages and the left of even pages', async () => {
    const files = unzip(await render('正文'));
    const footers = [...files.entries()].filter(([name]) => /word\/footer\d+\.xml/.test(name));
    expect(footers).toHaveLength(2);
    const text = footers.map(([, xml]) => xml.toString('utf8')).join('');
    expect(text).toContain('PAGE');
    expect(text).toContain('— ');
    expect(text).toMatch(/w:val="right"/);
    expect(text).toMatch(/w:val="left"/);
    expect(docxPart(await render('正文'), 'word/settings.xml')).toContain('evenAndOddHeaders');
  });

  it('writes tables at the width of the type area with a repeated header row', async () => {
    const xml = docxPart(await render('| 序号 | 要点 |\n|:--:|------|\n| 1 | 主体合法 |'));
    expect(xml).toContain('<w:tblHeader/>');
    expect(xml).toContain('主体合法');
    const widths = [...xml.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(widths.reduce((a, b) => a + b, 0)).toBe(mmToTwip(156));
    expect(widths[1]).toBe(widths[0] * 3);
  });

  it('turns [pagebreak] into a page break before the next paragraph, and bold runs into bold', async () => {
    const xml = docxPart(await render('第一页\n[pagebreak]\n**第二页**'));
    expect(xml).toContain('<w:pageBreakBefore/>');
    expect(xml).toMatch(/<w:b\/>[\s\S]*第二页/);
  });

  it('keeps a signature block with the paragraph above it', async () => {
    const xml = docxPart(await render('正文一\n正文二\n\n[right]审核人：李明\n[right]2026年11月25日'));
    const paragraphs = xml.split('<w:p>').slice(1);
    const kept = paragraphs.map((p) => p.includes('<w:keepNext/>'));
    expect(kept).toEqual([false, true, true, true, false]);
  });

  it('keeps a signature block with the last row of a table above it, not the rows before', async () => {
    const xml = docxPart(
      await render(
        '| 姓名 | 职务 |\n|---|---|\n| 张三 | 局长 |\n| 李四 | 科长 |\n\n[right]记录人：王五\n[right]2026年11月25日',
      ),
    );
    const rows = xml
      .split('<w:tr>')
      .slice(1)
      .map((r) => r.split('</w:tr>')[0]);
    expect(rows.map((r) => r.includes('<w:keepNext/>'))).toEqual([false, false, true]);
    const after = xml.split('</w:tbl>')[1].split('<w:p>').slice(1);
    expect(after.map((p) => p.includes('<w:keepNext/>'))).toEqual([true, true, false]);
  });

  it('lays out a [seal] line as a [right] one without a seal, and floats the seal behind it with one', async () => {
    const signature = (marker: string) => `正文\n\n[right]审核人：李明\n${marker}某市司法局\n[right]2026年11月25日`;
    const unsealed = docxPart(await render(signature('[seal]')));
    expect(unsealed).toBe(docxPart(await render(signature('[right]'))));
    expect(unsealed).not.toContain('<w:drawing>');
    const seal = { png: redSealPng(120), width: 120, height: 120 };
    expect(docxPart(await render(signature('[right]'), seal))).not.toContain('<w:drawing>');
    const sealed = docxPart(await render(signature('[seal]'), seal));
    const withDrawing = sealed.split('<w:p>').filter((p) => p.includes('<w:drawing>'));
    expect(withDrawing).toHaveLength(1);
    expect(withDrawing[0]).toContain('某市司法局');
    expect(withDrawing[0]).toMatch(/<wp:anchor [^>]*behindDoc="1"/);
    expect(withDrawing[0]).toContain('<wp:positionV relativeFrom="paragraph">');
  });
});
