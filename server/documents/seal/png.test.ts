import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { IEND, ihdr, pngChunk, redSealPng, SIGNATURE } from '../testing/seal-png.js';
import { inspectSealPng } from './png.js';

const png = (...chunks: Buffer[]) => Buffer.concat([SIGNATURE, ...chunks, IEND]);
const idat = (raw: Buffer) => pngChunk('IDAT', deflateSync(raw));

describe('inspecting an uploaded seal', () => {
  it('reads the size from the IHDR and sees the alpha channel of an RGBA image', async () => {
    await expect(inspectSealPng(redSealPng(300))).resolves.toEqual({ width: 300, height: 300, transparent: true });
  });

  it('accepts an interlaced (Adam7) image, whose data is its seven passes', async () => {
    // 100×100 RGBA: passes of 13×13, 12×13, 25×12, 25×25, 50×25, 50×50 and 100×50 pixels, a filter byte a row.
    const bytes = 13 * 53 + 13 * 49 + 12 * 101 + 25 * 101 + 25 * 201 + 50 * 201 + 50 * 401;
    const ok = png(ihdr(100, 100, 6, 8, 1), idat(Buffer.alloc(bytes)));
    await expect(inspectSealPng(ok)).resolves.toMatchObject({ width: 100, height: 100 });
    const short = png(ihdr(100, 100, 6, 8, 1), idat(Buffer.alloc(bytes - 1)));
    await expect(inspectSealPng(short)).rejects.toThrow('图像数据不完整');
  });

  it('counts a palette image with a tRNS chunk as transparent', async () => {
    const palette = pngChunk('PLTE', Buffer.from([0xff, 0xff, 0xff, 0xe6, 0, 0x12]));
    const trns = pngChunk('tRNS', Buffer.from([0]));
    const raw = Buffer.alloc(120 * 121); // 8-bit indices: a filter byte and 120 pixels a row
    await expect(inspectSealPng(png(ihdr(120, 120, 3), palette, trns, idat(raw)))).resolves.toMatchObject({
      transparent: true,
    });
    await expect(inspectSealPng(png(ihdr(120, 120, 3), idat(raw)))).rejects.toThrow('缺少调色板');
  });

  it('refuses bytes after IEND, image data that is not zlib, and an unknown scanline filter', async () => {
    await expect(inspectSealPng(Buffer.concat([redSealPng(120), Buffer.from('extra')]))).rejects.toThrow(
      'IEND 之后还有多余的数据',
    );
    await expect(inspectSealPng(png(ihdr(120, 120), pngChunk('IDAT', Buffer.from('not zlib'))))).rejects.toThrow(
      '无法解码',
    );
    const raw = Buffer.alloc(120 * (1 + 120 * 4));
    raw[0] = 9;
    await expect(inspectSealPng(png(ihdr(120, 120), idat(raw)))).rejects.toThrow('过滤方式不合法');
  });

  it('stops inflating at the size the header announces (a compression bomb is refused, not expanded)', async () => {
    const bomb = idat(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(512 * 1024);
    await expect(inspectSealPng(png(ihdr(120, 120), bomb))).rejects.toThrow('图像数据不完整');
  });
});
