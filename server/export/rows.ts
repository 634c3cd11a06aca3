import type { Kysely } from 'kysely';
import { FINDING_LABELS } from '../cases/review-points.js';
import type { DB } from '../database/schema.js';
import { maskAddress, maskIdCode, maskName, scrubText } from './mask.js';

const FINDINGS: Record<string, string> = FINDING_LABELS;

/** An opinion's points as it was signed: each under the label it was answered under, in the signed order. */
function findingsText(findings: { label: string; finding: string; note: string }[]): string {
  return findings
    .map(
      (f, i) =>
        `${i + 1}. ${f.label}：${FINDINGS[f.finding] ?? f.finding}${f.note.trim() ? `（${f.note.trim()}）` : ''}`,
    )
    .join('\n');
}

import * as q from './queries.js';

export interface Item {
  seq?: string;
  entity: string;
  id: string;
  op: 'upsert' | 'delete';
  data?: Record<string, unknown>;
}

interface PacketParty {
  party?: { type: 'person' | 'organization'; name: string; idCode: string; address: string };
  factsFound?: string;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The party whose personal data is masked for this consumer: a natural person, unless the consumer is entitled. */
function guarded(packet: PacketParty, entitled: boolean) {
  const p = packet.party;
  return !entitled && p?.type === 'person' ? p : null;
}

type Reader = (
  db: Kysely<DB>,
  ids: string[] | null,
  entitled: boolean,
  after?: string,
  limit?: number,
) => Promise<Item[]>;

/** Each entity's rows as export items (the data elements of server/export/elements.ts), masked as entitled. */
export const READERS: Record<string, Reader> = {
  agency: async (db, ids, _e, after, limit) =>
    (await q.agencies(db, ids, after, limit)).map((r) => ({
      entity: 'agency',
      id: r.id,
      op: 'upsert',
      data: { id: r.id, code: r.code, name: r.name, kind: r.kind, enforcementStaffCount: r.enforcement_staff_count },
    })),
  officer: async (db, ids, _e, after, limit) =>
    (await q.officers(db, ids, after, limit)).map((r) => ({
      entity: 'officer',
      id: r.id,
      op: 'upsert',
      data: {
        id: r.id,
        agencyId: r.department_id,
        name: r.display_name,
        certificateNumber: r.certificate_number,
        certificateDomain: r.certificate_domain,
        certificateValidFrom: r.valid_from,
        certificateValidUntil: r.valid_until,
        active: r.active,
      },
    })),
  power: async (db, ids, _e, after, limit) =>
    (await q.powers(db, ids, after, limit)).map((r) => ({
      entity: 'power',
      id: r.id,
      op: 'upsert',
      data: {
        id: r.id,
        agencyId: r.department_id,
        code: r.code,
        name: r.name,
        category: r.category,
        legalBasis: r.legal_basis,
        implementingUnit: r.implementing_unit,
      },
    })),
  case: async (db, ids, entitled, after, limit) =>
    (await q.cases(db, ids, after, limit)).flatMap((r): Item[] => {
      const packet = r.packet as unknown as PacketParty;
      const party = packet.party ?? { type: 'organization' as const, name: '', idCode: '', address: '' };
      const hide = guarded(packet, entitled);
      const text = (s: string) => (entitled ? s : scrubText(s, hide));
      const item: Item = {
        entity: 'case',
        id: r.id,
        op: 'upsert',
        data: {
          id: r.id,
          agencyId: r.department_id,
          caseNumber: r.case_number,
          title: text(r.title),
          category: r.category,
          status: r.status,
          reviewMandatory: r.review_mandatory,
          partyType: party.type,
          partyName: hide ? maskName(party.name) : party.name,
          partyIdCode: hide ? maskIdCode(party.idCode) : party.idCode,
          partyAddress: hide ? maskAddress(party.address) : party.address,
          factsFound: text(packet.factsFound ?? ''),
          submittedAt: iso(r.created_at),
          updatedAt: iso(r.updated_at),
        },
      };
      const chief = r.chief_decision as { decision?: string } | null;
      const decided = r.decision as { number?: string; date?: string; content?: string } | null;
      if (!chief && !decided) return [item];
      const decision: Item = {
        entity: 'decision',
        id: r.id,
        op: 'upsert',
        data: {
          id: r.id,
          agencyId: r.department_id,
          chiefDecision: chief?.decision ?? null,
          decisionNumber: decided?.number ?? null,
          decisionDate: decided?.date ?? null,
          content: decided?.content === undefined ? null : text(decided.content),
        },
      };
      return [item, decision];
    }),
  stage: async (db, ids, _e, after, limit) =>
    (await q.stages(db, ids, after, limit)).map((r) => ({
      entity: 'stage',
      id: r.id,
      op: 'upsert',
      data: {
        id: r.id,
        caseId: r.case_id,
        name: r.name,
        step: r.step,
        status: r.status,
        dueAt: iso(r.due_at),
        startedAt: iso(r.created_at),
        endedAt: iso(r.ended_at),
      },
    })),
  review: async (db, ids, entitled, after, limit) =>
    (await q.reviews(db, ids, after, limit)).map((r) => {
      const hide = guarded(r.packet as unknown as PacketParty, entitled);
      return {
        entity: 'review',
        id: r.id,
        op: 'upsert',
        data: {
          id: r.id,
          caseId: r.case_id,
          round: r.round,
          kind: r.kind,
          conclusion: r.conclusion,
          reasons: entitled ? r.reasons : scrubText(r.reasons, hide),
          findings: entitled ? findingsText(r.findings) : scrubText(findingsText(r.findings), hide),
          reviewerId: r.reviewer_id,
          reviewedAt: iso(r.created_at),
        },
      };
    }),
  disclosure: async (db, ids, entitled, after, limit) =>
    (await q.disclosures(db, ids, after, limit)).map((r) => {
      const person = r.party_type === 'person';
      const shown = entitled ? r.original : r.redacted;
      const hideParty = !entitled && person;
      const content = [shown.title, shown.facts, shown.legalBasis, shown.decision].filter(Boolean).join('\n');
      return {
        entity: 'disclosure',
        id: r.id,
        op: 'upsert',
        data: {
          id: r.id,
          agencyId: r.department_id,
          caseId: r.case_id,
          category: r.category,
          decisionNumber: r.decision_number,
          decisionDate: r.decision_date,
          partyType: r.party_type,
          partyName: hideParty ? maskName(r.original.party) : r.original.party,
          partyCode: hideParty ? '' : r.original.partyCode,
          content: entitled ? content : scrubText(content, hideParty ? { name: r.original.party, idCode: '' } : null),
          status: r.status,
          dueAt: iso(r.due_at),
          publishedAt: iso(r.published_at),
        },
      };
    }),
  supervision: async (db, ids, entitled, after, limit) =>
    (await q.supervisionItems(db, ids, after, limit)).map((r) => {
      const hide = r.packet ? guarded(r.packet as unknown as PacketParty, entitled) : null;
      const text = (s: string) => (entitled ? s : scrubText(s, hide));
      // From stored state only (the deadline timer flags it), so the feed changes when the flag does.
      const overdue = r.overdue_at !== null || (r.answered_at !== null && r.answered_at > r.due_at);
      return {
        entity: 'supervision',
        id: r.id,
        op: 'upsert',
        data: {
          id: r.id,
          kind: r.kind,
          supervisorAgencyId: r.issuer_department_id,
          agencyId: r.department_id,
          caseId: r.case_id,
          documentNumber: r.document_number,
          subject: text(r.subject),
          findings: text(r.findings),
          requirements: text(r.requirements),
          supervisionBasis: r.supervision_basis,
          breachedRules: r.breached_rules,
          legalBasis: r.legal_basis,
          issuedAt: iso(r.created_at),
          workingDays: r.working_days,
          dueAt: iso(r.due_at),
          status: r.status,
          answer: r.answer === null ? null : text(r.answer),
          answeredAt: iso(r.answered_at),
          acceptedAt: iso(r.accepted_at),
          returnedCount: r.returned_count,
          overdue,
        },
      };
    }),
};
