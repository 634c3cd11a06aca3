import { crc32, inflate } from 'node:zlib';

/**
 * Checks an uploaded seal image: a complete, decodable PNG within the size limits, read from its bytes alone
 * (never its name or declared type). The image data is inflated — off the event loop, with a cap on its size —
 * so that a truncated or doctored file is refused at upload, not when a document embeds it.
 */

export const SEAL_MAX_BYTES = 512 * 1024;
export const SEAL_MIN_SIDE = 100;
export const SEAL_MAX_SIDE = 2000;
/** Round, oval and square seals: the longer side at most twice the shorter. */
export const SEAL_MAX_ASPECT = 2;

/** The rules, as the upload form and the API describe them. */
export const SEAL_RULES =
  `PNG 格式，不超过 ${SEAL_MAX_BYTES / 1024} KB，每边 ${SEAL_MIN_SIDE}–${SEAL_MAX_SIDE} 像素，长边不超过短边的 ` +
  `${SEAL_MAX_ASPECT} 倍；建议透明背景、裁切到印章边缘`;

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngInfo {
  width: number;
  height: number;
  /** An alpha channel or a tRNS chunk: the seal can have a transparent background. */
  transparent: boolean;
}

export type PngProblem =
  | { kind: 'not_png'; message: string }
  | { kind: 'too_large'; message: string }
  | { kind: 'invalid'; message: string };

export class PngRejected extends Error {
  constructor(readonly problem: PngProblem) {
    super(problem.message);
    this.name = 'PngRejected';
  }
}

const invalid = (message: string) => new PngRejected({ kind: 'invalid', message });

/** Channels per pixel of each PNG colour type, and the bit depths it allows. */
const COLOUR_TYPES: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

/** Adam7's passes: first column and row, and the step between them. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

interface Header {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlaced: boolean;
}

function readHeader(data: Buffer): Header {
  const width = data.readUInt32BE(0);
  const height = data.readUInt32BE(4);
  const [bitDepth, colourType, compression, filter, interlace] = data.subarray(8, 13);
  const colour = COLOUR_TYPES[colourType];
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    throw invalid(`PNG 文件头（IHDR）中的尺寸 ${width}×${height} 不合法`);
  }
  if (!colour?.depths.includes(bitDepth) || compression !== 0 || filter !== 0 || interlace > 1) {
    throw invalid('PNG 文件头（IHDR）中的颜色类型、位深或压缩方式不合法');
  }
  return { width, height, bitDepth, colourType, interlaced: interlace === 1 };
}

/** The scanlines of the image: their count and length in bytes (filter byte included), pass by pass. */
function scanlines(h: Header): { rows: number; bytes: number }[] {
  const bitsPerPixel = COLOUR_TYPES[h.colourType].channels * h.bitDepth;
  const rowBytes = (w: number) => 1 + Math.ceil((w * bitsPerPixel) / 8);
  if (!h.interlaced) return [{ rows: h.height, bytes: rowBytes(h.width) }];
  return ADAM7.map(([x0, y0, dx, dy]) => ({
    w: Math.ceil((h.width - x0) / dx),
    rows: Math.ceil((h.height - y0) / dy),
  }))
    .filter((p) => p.w > 0 && p.rows > 0)
    .map((p) => ({ rows: p.rows, bytes: rowBytes(p.w) }));
}

function checkDimensions(h: Header): void {
  const { width, height } = h;
  if (Math.min(width, height) < SEAL_MIN_SIDE || Math.max(width, height) > SEAL_MAX_SIDE) {
    throw invalid(
      `印章图片为 ${width}×${height} 像素，每边应在 ${SEAL_MIN_SIDE}–${SEAL_MAX_SIDE} 像素之间（建议 600×600 左右）`,
    );
  }
  if (Math.max(width, height) > SEAL_MAX_ASPECT * Math.min(width, height)) {
    throw invalid(`印章图片为 ${width}×${height} 像素，长边不应超过短边的 ${SEAL_MAX_ASPECT} 倍，请裁切到印章边缘`);
  }
}

interface Chunks {
  header: Header;
  idat: Buffer[];
  transparent: boolean;
}

/** Walks the chunks from the signature to IEND, checking each one's length and CRC. */
function readChunks(bytes: Buffer): Chunks {
  let at = PNG_SIGNATURE.length;
  let header: Header | undefined;
  let transparent = false;
  let palette = false;
  const idat: Buffer[] = [];
  for (;;) {
    if (at + 12 > bytes.length) throw invalid('PNG 文件不完整（缺少结束块 IEND），可能上传时被截断');
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (length > bytes.length - at - 12) throw invalid(`PNG 文件不完整：${type} 块被截断`);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== bytes.readUInt32BE(at + 8 + length)) {
      throw invalid(`PNG 文件已损坏：${type} 块的校验值（CRC）不符`);
    }
    at += 12 + length;
    if (!header) {
      if (type !== 'IHDR' || length !== 13) throw invalid('PNG 文件头（IHDR）缺失或长度不对');
      header = readHeader(data);
      continue;
    }
    if (type === 'IHDR') throw invalid('PNG 文件有多个文件头（IHDR）');
    if (type === 'PLTE') palette = true;
    else if (type === 'tRNS') transparent = true;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
  }
  if (at !== bytes.length) throw invalid('PNG 文件在结束块 IEND 之后还有多余的数据');
  if (idat.length === 0) throw invalid('PNG 文件没有图像数据（IDAT）');
  if (header.colourType === 3 && !palette) throw invalid('调色板 PNG 缺少调色板（PLTE）');
  return { header, idat, transparent: transparent || header.colourType === 4 || header.colourType === 6 };
}

function inflateCapped(data: Buffer, maxOutputLength: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    inflate(data, { maxOutputLength }, (err, out) => resolve(err ? null : out));
  });
}

/** Decompresses the image data and checks that it is exactly the scanlines the header announces. */
async function checkImageData(h: Header, idat: Buffer[]): Promise<void> {
  const lines = scanlines(h);
  const expected = lines.reduce((sum, p) => sum + p.rows * p.bytes, 0);
  const raw = await inflateCapped(Buffer.concat(idat), expected + 1);
  if (!raw || raw.length !== expected) throw invalid('PNG 图像数据不完整或已损坏，无法解码');
  let at = 0;
  for (const p of lines) {
    for (let r = 0; r < p.rows; r++, at += p.bytes) {
      if (raw[at] > 4) throw invalid('PNG 图像数据已损坏（扫描行的过滤方式不合法）');
    }
  }
}

/** Inspects an uploaded seal; throws PngRejected saying what is wrong with it. */
export async function inspectSealPng(bytes: Buffer): Promise<PngInfo> {
  if (bytes.length > SEAL_MAX_BYTES) {
    throw new PngRejected({ kind: 'too_large', message: `印章图片不能超过 ${SEAL_MAX_BYTES / 1024} KB` });
  }
  if (bytes.length < PNG_SIGNATURE.length || !bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) {
    throw new PngRejected({ kind: 'not_png', message: '印章图片应为 PNG 格式（按文件内容识别，不看扩展名）' });
  }
  const { header, idat, transparent } = readChunks(bytes);
  checkDimensions(header);
  await checkImageData(header, idat);
  return { width: header.width, height: header.height, transparent };
}
