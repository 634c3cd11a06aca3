import { crc32, deflateSync } from 'node:zlib';

/**
 * PNG files made in tests: a seal as a department would upload it, and the pieces to build broken ones from.
 * Written out chunk by chunk with node:zlib, so no image library is needed.
 */

/** One chunk: length, type, data and the CRC of type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The header chunk: size, colour type (6 RGBA, 2 RGB, 3 palette), bit depth, interlace (1 for Adam7). */
export function ihdr(width: number, height: number, colourType = 6, bitDepth = 8, interlace = 0): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([bitDepth, colourType, 0, 0, interlace], 8);
  return pngChunk('IHDR', data);
}

/** The eight bytes every PNG starts with. */
export const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const IEND = pngChunk('IEND', Buffer.alloc(0));

/** A PNG of pixels given by a function of (x, y), 8 bits a channel, not interlaced: RGBA or, with 3 channels, RGB. */
export function rgbaPng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => number[],
  channels = 4,
): Buffer {
  const stride = 1 + width * channels;
  const raw = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(pixel(x, y).slice(0, channels), y * stride + 1 + x * channels);
  }
  const header = ihdr(width, height, channels === 4 ? 6 : 2);
  return Buffer.concat([SIGNATURE, header, pngChunk('IDAT', deflateSync(raw)), IEND]);
}

/** An opaque PNG (RGB, no transparency): a red square on white. */
export function rgbPng(width: number, height: number): Buffer {
  return rgbaPng(width, height, (x, y) => (x > 10 && y > 10 ? [0xe6, 0, 0x12] : [0xff, 0xff, 0xff]), 3);
}

/**
 * A seal as a department would upload it: a red ring with a red star-like dot in the middle, on a transparent
 * background, `size` pixels square.
 */
export function redSealPng(size = 300): Buffer {
  const c = (size - 1) / 2;
  const outer = size / 2 - 2;
  const ring = size / 22;
  return rgbaPng(size, size, (x, y) => {
    const r = Math.hypot(x - c, y - c);
    const inRing = r <= outer && r >= outer - ring;
    const inDot = r <= size / 8;
    return inRing || inDot ? [0xe6, 0x00, 0x12, 0xff] : [0, 0, 0, 0];
  });
}
