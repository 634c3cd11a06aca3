import type { Transaction } from 'kysely';
import type { DB } from '../database/schema.js';
import * as q from './queries.js';
import type { CaseRow, Packet } from './tables.js';

export interface PacketChange {
  field: string;
  before: unknown;
  after: unknown;
}

const FIELD_LABELS: Record<string, string> = {
  title: '案件名称',
  party: '当事人',
  factsFound: '认定事实',
  evidence: '证据清单',
  legalBasis: '法律依据',
  conductDate: '违法行为发生日期',
  discretion: '裁量基准',
  proposedDecision: '拟作决定',
  hearingHeld: '是否听证',
  officerIds: '承办人员',
  materials: '送审材料',
  attestation: '真实性承诺',
};

/** What changed between two rounds of a packet, field by field (the next round shows it to the reviewer). */
export function packetChanges(before: Packet, after: Packet): (PacketChange & { label: string })[] {
  return Object.keys(FIELD_LABELS)
    .filter((k) => JSON.stringify(before[k as keyof Packet]) !== JSON.stringify(after[k as keyof Packet]))
    .map((k) => ({
      field: k,
      label: FIELD_LABELS[k],
      before: before[k as keyof Packet],
      after: after[k as keyof Packet],
    }));
}

/** Freezes the case's current packet as the next numbered round. */
export async function snapshotRound(trx: Transaction<DB>, c: CaseRow, by: string, note: string | null) {
  const rounds = await q.listRounds(trx, c.id);
  const previous = rounds.at(-1);
  const round = (previous?.round ?? 0) + 1;
  const changes = previous ? packetChanges(previous.packet, c.packet) : [];
  await q.insertRound(trx, { caseId: c.id, round, packet: c.packet, changes, note, submittedBy: by });
  return { round, changes };
}
