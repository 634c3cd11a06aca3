import type { Transaction } from 'kysely';
import { personFor } from '../cases/people.js';
import type { CaseRow } from '../cases/tables.js';
import type { DB } from '../database/schema.js';
import { issueDocument, signDocument } from '../documents/service.js';
import { instantToShanghaiDate } from '../workdays/days.js';
import type { TransfersContext } from './context.js';
import type { TransferRow } from './tables.js';

/**
 * 涉嫌犯罪案件移送书 (第六条第（一）项): issued when the chief approves the transfer and signed (SM2) by the chief, who
 * approves it for the agency; addressed to the named public security organ and copied to the procuratorate.
 */
export async function issueTransferNotice(
  ctx: TransfersContext,
  trx: Transaction<DB>,
  c: CaseRow,
  t: TransferRow,
  chiefId: string,
  now: Date,
) {
  const chief = await personFor(trx, chiefId, c.department_id);
  const team = await trx.selectFrom('users').select(['id', 'display_name']).where('id', 'in', t.team_ids).execute();
  const names = t.team_ids.map((id) => team.find((u) => u.id === id)?.display_name ?? '').filter(Boolean);
  const doc = await issueDocument(trx, ctx.templates, {
    kind: 'transfer_notice',
    data: {
      case: { number: c.case_number, title: c.title, party: c.packet.party.name },
      party: { name: c.packet.party.name, idCode: c.packet.party.idCode, address: c.packet.party.address },
      policeOrgan: t.police_organ,
      procuratorate: t.procuratorate,
      facts: c.packet.factsFound,
      reasons: t.reasons,
      evidence: t.evidence.map((e, i) => ({ no: i + 1, name: e.name, quantity: e.quantity ?? '', note: e.note ?? '' })),
      evidenceCount: t.evidence.length,
      team: names.join('、'),
      approvedOn: instantToShanghaiDate(now),
      chief: { name: chief?.name ?? '', title: chief?.ownPosition ? chief.position : '负责人' },
    },
    departmentId: c.department_id,
    caseId: c.id,
    createdBy: chiefId,
    at: now,
  });
  await signDocument(trx, doc.id, chiefId, now, { signer: ctx.signer });
  return doc;
}
