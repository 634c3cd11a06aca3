import type { Config } from '../config.js';
import type { Database } from '../database/connect.js';
import { systemClock } from '../infra/clock.js';
import { verifyArchive } from './archive-verify.js';
import type { ChainProblem } from './chain.js';
import type { RecordsContext } from './context.js';
import { createEvidence } from './evidence/plugin.js';
import { generateSm2KeyPair } from './sm2.js';
import { listSystemKeys, rotateSystemKey } from './system-key.js';
import { sequenceAndCheckpoint } from './tree.js';
import { verifyCase } from './verify.js';
import { verifyStore } from './verify-all.js';

export const RECORD_USAGE = `  verify [--case <id>] [--files] [--json]   verify case records, Merkle tree, checkpoints, documents, signatures
  verify-archive <file.zip> [--key <public key hex>] [--json]   verify an exported case archive offline
  checkpoint         sequence new records into the Merkle tree and sign a checkpoint now
  keys show          print the system SM2 public key (publish it; verifiers need it) and every earlier one
  keys rotate        make a new system key current (stored sealed in the database); the old one stays trusted
  keys generate      print a new SM2 key pair (for RECORD_SIGNING_KEY)`;

function describe(p: ChainProblem & { caseId?: string | null }): string {
  const where = [p.caseId ? `案件 ${p.caseId}` : null, p.seq !== null ? `第 ${p.seq} 条` : null]
    .filter(Boolean)
    .join(' ');
  const detail = p.expected || p.actual ? `\n      应为 ${p.expected ?? '-'}\n      实为 ${p.actual ?? '-'}` : '';
  return `[${p.check}] ${where ? `${where}: ` : ''}${p.message}${detail}`;
}

function report(ok: boolean, summary: string[], problems: (ChainProblem & { caseId?: string | null })[]) {
  for (const line of summary) console.log(line);
  if (ok) {
    console.log('结果: 通过 ✓');
    return;
  }
  console.log(`结果: 未通过 ✗ — 共 ${problems.length} 处问题，第一处断裂：\n  ${describe(problems[0])}`);
  for (const p of problems.slice(1, 20)) console.log(`  ${describe(p)}`);
  process.exitCode = 1;
}

/** `fashen verify`, `verify-archive`, `checkpoint`, `keys`: returns false when the command is not one of these. */
export async function recordCommand(
  command: string,
  args: string[],
  opts: {
    config: () => Config;
    /** Runs with the process's assembly: its database and its record keys. */
    withRecords: <T>(fn: (db: Database, records: RecordsContext) => Promise<T>) => Promise<T>;
    flag: (name: string) => string | undefined;
  },
): Promise<boolean> {
  const json = args.includes('--json');
  switch (command) {
    case 'verify': {
      const config = opts.config();
      await opts.withRecords(async (db, records) => {
        const evidence = args.includes('--files') ? await createEvidence(config, db, records.files) : null;
        const deps = {
          db,
          trusted: records.trusted,
          files: records.files,
          hashAttachment: evidence ? (id: string) => evidence.hashOf(id) : undefined,
        };
        const caseId = opts.flag('case');
        if (caseId) {
          const v = await verifyCase(deps, caseId);
          if (json) console.log(JSON.stringify(v, null, 2));
          else
            report(
              v.ok,
              [
                `案件 ${caseId}: ${v.records} 条记录，${v.sequenced} 条已由检查点证明`,
                `签名: ${v.signatures.map((s) => s.label).join('；') || '无'}`,
              ],
              v.problems,
            );
          if (!v.ok) process.exitCode = 1;
          return;
        }
        const v = await verifyStore(deps, (m) => console.error(m));
        if (json) console.log(JSON.stringify(v, null, 2));
        else
          report(
            v.ok,
            [
              `系统公钥 ${records.systemKey.keyId}`,
              `${v.cases} 个案件，${v.records} 条记录，${v.signatures} 个 SM2 签名`,
              `Merkle 树 ${v.treeSize} 个叶子，${v.checkpoints} 个已签名检查点${v.latestCheckpoint ? `，最新根 ${v.latestCheckpoint.root}` : ''}`,
              `尚未进入检查点的记录 ${v.notYetInTree} 条；用时 ${v.seconds.toFixed(2)} 秒`,
            ],
            v.problems,
          );
        if (!v.ok) process.exitCode = 1;
      });
      return true;
    }
    case 'verify-archive': {
      const file = args.find((a) => !a.startsWith('--') && a !== opts.flag('key'));
      if (!file) throw new Error('verify-archive 需要归档包文件');
      const key = opts.flag('key');
      const v = await verifyArchive(file, key ? key.split(',') : undefined);
      if (json) console.log(JSON.stringify(v, null, 2));
      else
        report(
          v.ok,
          [
            `案卷 ${v.caseNumber ?? '?'}（${v.caseId ?? '?'}）：${v.records} 条记录，${v.proven} 条由检查点证明`,
            v.checkpoint ? `检查点: 树大小 ${v.checkpoint.treeSize}，根 ${v.checkpoint.root}` : '检查点: 无',
            v.keySource === 'bundled'
              ? '注意: 未给 --key，只用了包内自带的系统公钥，只能证明包内自洽；请用公示的系统公钥核验'
              : '系统公钥: 由 --key 给定',
            `签名: ${v.signatures.map((s) => s.label).join('；') || '无'}`,
          ],
          v.problems as ChainProblem[],
        );
      if (!v.ok) process.exitCode = 1;
      return true;
    }
    case 'checkpoint': {
      await opts.withRecords(async (db, records) => {
        const r = await sequenceAndCheckpoint(db, records.systemKey, systemClock.now());
        console.log(`新增 ${r.added} 个叶子；检查点 树大小 ${r.checkpoint.tree_size} 根 ${r.checkpoint.root}`);
      });
      return true;
    }
    case 'keys': {
      if (args[0] === 'generate') {
        const pair = generateSm2KeyPair();
        console.log(`RECORD_SIGNING_KEY=${pair.privateKey}\n# 公钥 ${pair.publicKey}`);
        return true;
      }
      if (args[0] === 'show') {
        await opts.withRecords(async (db, r) => {
          console.log(
            `keyId     ${r.systemKey.keyId}\npublicKey ${r.systemKey.publicKey}\nsource    ${r.systemKey.source}`,
          );
          for (const k of await listSystemKeys(db)) {
            const state = k.retired_at ? `停用于 ${k.retired_at.toISOString()}` : '当前';
            console.log(`  ${k.key_id}  ${k.source.padEnd(9)} 启用于 ${k.created_at.toISOString()}  ${state}`);
          }
        });
        return true;
      }
      if (args[0] === 'rotate') {
        if (opts.config().RECORD_SIGNING_KEY) {
          throw new Error(
            '系统签名密钥由 RECORD_SIGNING_KEY 提供：轮换请在每台主机上换用新的 RECORD_SIGNING_KEY 并重启',
          );
        }
        await opts.withRecords(async (db, r) => {
          const next = await rotateSystemKey(db, r.keystore, systemClock.now());
          console.log(`新的系统签名密钥 keyId ${next.keyId}\npublicKey ${next.publicKey}`);
          console.log(`原密钥 ${r.systemKey.keyId} 已停用，仍用于核验旧检查点。请重启每台主机的 serve 和 worker。`);
        });
        return true;
      }
      throw new Error(`keys show | keys rotate | keys generate\n${RECORD_USAGE}`);
    }
    default:
      return false;
  }
}
