import { Readable } from 'node:stream';
import type { Core } from '../assembly.js';
import { saveAttachment } from '../cases/attachments.js';
import { visibleCase } from '../cases/service.js';
import type { Actor } from '../identity/service.js';
import { createEvidence, type Evidence } from '../records/evidence/plugin.js';

/**
 * Files the demo cases carry, made here rather than shipped: a second of silence as the recording of an
 * investigation (a real WAV, so the evidence store recognises it as audio by its content) and a one-page PDF as
 * the scan of a signed 送达回证. Their names say they are demo files.
 */
export function silentWav(seconds = 1): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(rate * seconds, 0x80); // 8-bit unsigned PCM: 0x80 is silence
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate, 28); // bytes per second
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** A valid one-page PDF (A4) with one line of Latin text; the cross-reference table is computed, not guessed. */
export function onePagePdf(line: string): Buffer {
  const text = line.replace(/[\\()]/g, (c) => `\\${c}`);
  const stream = `BT /F1 14 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

type FileCore = Pick<Core, 'config' | 'database' | 'records' | 'runtime' | 'clock' | 'cases'>;

/** The evidence store the app uses (same configuration), for the demo's uploads. */
export function demoEvidence(core: FileCore): Promise<Evidence> {
  return createEvidence(core.config, core.database.db, core.records.files);
}

/** Uploads a file to a case as the officer would (content-checked, hashed, on the case's record); its id. */
export async function uploadDemoFile(
  core: FileCore,
  evidence: Evidence,
  actor: Actor,
  caseId: string,
  file: { name: string; content: Buffer },
): Promise<string> {
  const c = await visibleCase(core.cases, actor, caseId);
  const deps = {
    db: core.database.db,
    evidence,
    now: () => core.clock.now(),
    history: core.runtime.history,
  };
  const saved = await saveAttachment(deps, c, actor, { stream: Readable.from(file.content), fileName: file.name });
  return saved.id;
}
