import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The project's aliases for the GB/T 9704 font names (仿宋_GB2312, 方正小标宋简体, 楷体, 宋体, 黑体). */
export const FONT_ALIASES = fileURLToPath(new URL('../../deploy/fontconfig/65-fashen-cjk.conf', import.meta.url));

/**
 * A fontconfig file that loads the system configuration and then the project's aliases, so a conversion shows
 * the official faces' closest Debian stand-ins without the aliases installed in /etc/fonts/conf.d.
 */
function fontconfigWithAliases(): string {
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    '<fontconfig>',
    '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    `  <include>${FONT_ALIASES}</include>`,
    '</fontconfig>',
    '',
  ].join('\n');
}

/**
 * Converts .docx files to PDF with LibreOffice (soffice) into outDir; returns the PDF paths in order. Each call
 * runs with a profile of its own, so a LibreOffice already running (or a parallel call) does not take it.
 */
export async function convertToPdf(docxFiles: string[], outDir: string, timeoutMs = 120_000): Promise<string[]> {
  const work = await mkdtemp(path.join(tmpdir(), 'fashen-soffice-'));
  try {
    const fontconfig = path.join(work, 'fonts.conf');
    await writeFile(fontconfig, fontconfigWithAliases());
    const profile = pathToFileURL(path.join(work, 'profile')).href;
    await run(
      'soffice',
      [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', outDir, ...docxFiles],
      { timeout: timeoutMs, env: { ...process.env, FONTCONFIG_FILE: fontconfig } },
    );
    return docxFiles.map((file) => path.join(outDir, `${path.basename(file, path.extname(file))}.pdf`));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
