import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import yazl from 'yazl';
import type { CaseRow } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import type { CaseFiles } from './case-files.js';
import type { BlobBackend } from './evidence/backend.js';
import * as q from './queries.js';
import type { SystemKey } from './system-key.js';
import { checkpointView, inclusionPath } from './tree.js';

export const ARCHIVE_FORMAT = 'fashen-case-archive/1';

const README = `法审 Fashen 案卷归档包（${ARCHIVE_FORMAT}）

本包内容
  index.json        案件概要、文书与附件清单（含 SM3）、系统公钥
  record.jsonl      案件全过程记录：每行一条，含序号、前序哈希、本条哈希、Merkle 叶子位置和被哈希的原文 body
  proofs.json       每条已进入检查点的记录对 checkpoint.json 的 Merkle 包含证明（RFC 6962，SM3）
  checkpoint.json   导出时最新的已签名检查点（SM2 签名，签名者标识 1234567812345678）
  documents/        案件文书（.docx），文件名为文书 ID
  attachments/      附件，文件名为其 SM3

离线核验
  fashen verify-archive <本文件.zip> --key <系统公钥十六进制>
核验内容：记录哈希链 hash = SM3(prev ‖ body)（首条的 prev 为 SM3("fashen-case-record:" ‖ 案件 ID)）；
每条记录对检查点根的包含证明；检查点的 SM2 签名；每个文书与附件的 SM3 与记录一致；文书上的 SM2 签名及签名证书。
--key 应取自公示门户公布的系统公钥（GET /api/records/system-key）；不给 --key 时只用包内自带的公钥，
仅能证明包内自洽。任何一个字节被改动、记录被删除或调换、文件被替换，核验都会失败并指出第一处断裂。
`;

export interface ArchiveDeps {
  db: Kysely<DB>;
  systemKey: SystemKey;
  backend: BlobBackend;
  documents: { get(db: Kysely<DB>, id: string): Promise<{ content: Buffer } | null> };
  files: Pick<CaseFiles, 'documentSummariesOfCases' | 'attachmentsOfCases'>;
}

/**
 * The case archive (案卷) as a zip stream: index, record with proofs against the latest checkpoint, the
 * checkpoint, every document and attachment. Attachments stream from storage one at a time.
 */
export async function exportCaseArchive(deps: ArchiveDeps, c: CaseRow, now: Date): Promise<Readable> {
  const [records, latest, docs, attachments] = await Promise.all([
    q.recordsOfCase(deps.db, c.id),
    q.latestCheckpoint(deps.db),
    deps.files.documentSummariesOfCases(deps.db, [c.id]),
    deps.files.attachmentsOfCases(deps.db, [c.id]),
  ]);
  const size = latest ? Number(latest.tree_size) : 0;
  const proofs = [];
  for (const r of records) {
    if (r.leaf_index === null || Number(r.leaf_index) >= size) continue;
    proofs.push({
      seq: r.seq,
      leafIndex: Number(r.leaf_index),
      treeSize: size,
      auditPath: await inclusionPath(deps.db, Number(r.leaf_index), size),
    });
  }
  const zip = new yazl.ZipFile();
  const json = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`);
  zip.addBuffer(Buffer.from(README), 'README.txt');
  zip.addBuffer(
    json({
      format: ARCHIVE_FORMAT,
      exportedAt: now.toISOString(),
      case: {
        id: c.id,
        caseNumber: c.case_number,
        title: c.title,
        category: c.category,
        status: c.status,
        departmentId: c.department_id,
        party: c.packet.party,
      },
      records: records.length,
      documents: docs.map((d) => ({
        id: d.id,
        kind: d.kind,
        number: d.number,
        path: `documents/${d.id}.docx`,
        sm3: d.sm3,
        size: d.size,
      })),
      attachments: attachments.map((a) => ({
        id: a.id,
        fileName: a.file_name,
        mediaType: a.media_type,
        path: `attachments/${a.sm3}`,
        sm3: a.sm3,
        size: Number(a.size),
      })),
      systemKey: { keyId: deps.systemKey.keyId, publicKey: deps.systemKey.publicKey, algorithm: 'SM2-with-SM3' },
    }),
    'index.json',
  );
  const lines = records.map((r) =>
    JSON.stringify({
      seq: r.seq,
      recordId: Number(r.id),
      prevHash: r.prev_hash,
      hash: r.hash,
      leafIndex: r.leaf_index === null ? null : Number(r.leaf_index),
      body: r.body,
    }),
  );
  zip.addBuffer(Buffer.from(lines.length ? `${lines.join('\n')}\n` : ''), 'record.jsonl');
  zip.addBuffer(json(proofs), 'proofs.json');
  zip.addBuffer(json(latest ? checkpointView(latest) : null), 'checkpoint.json');
  for (const d of docs) {
    const doc = await deps.documents.get(deps.db, d.id);
    if (doc) zip.addBuffer(doc.content, `documents/${d.id}.docx`);
  }
  const seen = new Set<string>();
  for (const a of attachments) {
    if (seen.has(a.sm3)) continue;
    seen.add(a.sm3);
    zip.addReadStreamLazy(`attachments/${a.sm3}`, (cb) => {
      deps.backend.read(a.storage_key).then(
        (s) => cb(null, s),
        (err) => cb(err, undefined as never),
      );
    });
  }
  zip.end();
  return zip.outputStream as Readable;
}
