import { describe, expect, it } from 'vitest';
import { cleanFileName, storedFileName } from './file-names.js';

describe('cleanFileName', () => {
  it.each([
    ['../../../../tmp/x.pdf', 'x.pdf'],
    ['C:\\Users\\王\\Desktop\\现场笔录.pdf', '现场笔录.pdf'],
    ['询问\r\n笔录.pdf', '询问笔录.pdf'],
    ['a\u0000b.pdf', 'ab.pdf'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['lone\ud800.pdf', 'lone.pdf'],
    ['  照片  1 .jpg  ', '照片 1 .jpg'],
    ['...hidden', 'hidden'],
    ['name.', 'name'],
    ['../', ''],
  ])('%j → %j', (raw, clean) => {
    expect(cleanFileName(raw)).toBe(clean);
  });

  it('keeps at most 255 characters without splitting a character outside the BMP', () => {
    const name = cleanFileName(`${'𠀀'.repeat(300)}.pdf`);
    expect(Array.from(name)).toHaveLength(255);
    expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name);
  });
});

describe('storedFileName', () => {
  it('keeps a name whose extension matches the content, in any case and spelling', () => {
    expect(storedFileName('笔录.PDF', 'pdf')).toBe('笔录.PDF');
    expect(storedFileName('现场.jpeg', 'jpg')).toBe('现场.jpeg');
  });

  it('adds the content’s extension to a name that claims another', () => {
    expect(storedFileName('x.exe', 'pdf')).toBe('x.exe.pdf');
    expect(storedFileName('录音', 'mp3')).toBe('录音.mp3');
    expect(storedFileName('报告.v2', 'docx')).toBe('报告.v2.docx');
  });

  it('names an unnamed file', () => {
    expect(storedFileName('../', 'png')).toBe('未命名文件.png');
  });

  it('stays within 255 characters with the extension added', () => {
    expect(Array.from(storedFileName(`${'长'.repeat(300)}.exe`, 'pdf'))).toHaveLength(255);
    expect(storedFileName(`${'长'.repeat(300)}.exe`, 'pdf').endsWith('.pdf')).toBe(true);
  });
});
