import { HorizontalPositionRelativeFrom, ImageRun, TextWrappingType, VerticalPositionRelativeFrom } from 'docx';
import { CHAR, LINE_PITCH, RIGHT_INDENT, TEXT_WIDTH } from '../layout.js';
import type { Inline } from '../markup.js';

/**
 * Where the seal goes (GB/T 9704-2012 7.3.5.1): red, upright, centred over the 发文机关署名 and the 成文日期, which
 * sit just below the seal's centre, its top within a line of the text above — 上不压正文、下压成文日期. The
 * image floats behind the text (as a stamp's translucent ink lets the type show through), anchored to the
 * `[seal]` paragraph so that it moves with the signature block when the text above grows or shrinks.
 */

/** The seal as rendering needs it: the PNG's bytes and its size in pixels (for the aspect ratio). */
export interface SealImage {
  png: Buffer;
  width: number;
  height: number;
}

/** An official round seal is 42 mm across; other shapes keep their proportions with the longer side at 42 mm. */
export const SEAL_LONG_SIDE_MM = 42;

const EMU_PER_TWIP = 635;
const EMU_PER_MM = 36_000;
const PX_PER_MM = 96 / 25.4; // docx sizes drawings in pixels at 96 to the inch

/**
 * The seal's centre is half a line below the top of the `[seal]` line, so that the two lines of organ name and date
 * sit 居印章中心偏下: their middle half a line below the centre. A 42 mm seal is four lines of text high; it then
 * reaches half a line below the date, and its top stays half a line clear of the body two lines above.
 */
const CENTRE_BELOW_LINE_TOP = Math.round(LINE_PITCH / 2);

/** The printed size of a seal image, in millimetres, its aspect ratio kept. */
export function sealSizeMm(seal: Pick<SealImage, 'width' | 'height'>): { width: number; height: number } {
  const scale = SEAL_LONG_SIDE_MM / Math.max(seal.width, seal.height);
  return { width: seal.width * scale, height: seal.height * scale };
}

/**
 * The width of a line of body text, in twips: CJK characters and full-width punctuation are one character wide,
 * digits and Latin letters half of one (仿宋 sets them at half width). Close enough to centre a seal on a line.
 */
export function lineWidth(text: Inline): number {
  let halves = 0;
  for (const run of text) {
    for (const c of run.text) halves += (c.codePointAt(0) ?? 0) < 0x2e80 ? 1 : 2;
  }
  return (halves * CHAR) / 2;
}

/**
 * The seal drawing for the `[seal]` line. `lines` are the signature lines it is centred on: the `[seal]` line
 * and the `[right]` line below it (the date); all are right-aligned with the same indent, so the widest decides.
 */
export function sealDrawing(seal: SealImage, lines: Inline[]): ImageRun {
  const size = sealSizeMm(seal);
  const span = Math.max(...lines.map(lineWidth));
  const centreX = TEXT_WIDTH - RIGHT_INDENT - span / 2;
  return new ImageRun({
    type: 'png',
    data: seal.png,
    transformation: { width: size.width * PX_PER_MM, height: size.height * PX_PER_MM },
    altText: { name: '印章', title: '印章', description: '发文机关印章' },
    floating: {
      horizontalPosition: {
        relative: HorizontalPositionRelativeFrom.MARGIN,
        offset: Math.round(centreX * EMU_PER_TWIP - (size.width * EMU_PER_MM) / 2),
      },
      verticalPosition: {
        relative: VerticalPositionRelativeFrom.PARAGRAPH,
        offset: Math.round(CENTRE_BELOW_LINE_TOP * EMU_PER_TWIP - (size.height * EMU_PER_MM) / 2),
      },
      behindDocument: true,
      allowOverlap: true,
      lockAnchor: true,
      layoutInCell: true,
      wrap: { type: TextWrappingType.NONE },
    },
  });
}
