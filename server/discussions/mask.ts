import type { Packet, Party } from '../cases/tables.js';
import { maskAddress, maskIdCode, maskName } from '../export/mask.js';
import { redact } from '../publicity/disclosures/redaction.js';

/** The packet as the pool reads it: the party's name, ID code and address masked, the officers left out. */
export interface MaskedPacket {
  caseNumber: string;
  title: string;
  category: Packet['category'];
  party: Party;
  factsFound: string;
  evidence: { name: string; description?: string }[];
  legalBasis: { law: string; article: string }[];
  conductDate?: string;
  discretion: { benchmark: string; position: string };
  proposedDecision: string;
  hearingHeld: boolean;
  materials: string[];
}

/**
 * Free text as reviewers of other departments may read it: the party's own name, ID code and address replaced
 * by their masks, then whatever else the publication redaction finds (ID and phone numbers, bank cards,
 * detailed addresses, persons' names after cue words).
 */
export function maskText(text: string, party: Pick<Party, 'type' | 'name' | 'idCode' | 'address'>): string {
  let out = text;
  for (const [value, mask] of [
    [party.address, maskAddress(party.address)],
    [party.idCode, maskIdCode(party.idCode)],
    [party.name, maskName(party.name)],
  ] as const) {
    if (value && value.length >= 2) out = out.split(value).join(mask);
  }
  return redact(out, { personNames: party.type === 'person' ? [party.name] : [] }).text;
}

export function maskPacket(p: Packet): MaskedPacket {
  const m = (s: string) => maskText(s, p.party);
  return {
    caseNumber: p.caseNumber,
    title: m(p.title),
    category: p.category,
    party: {
      type: p.party.type,
      name: maskName(p.party.name),
      idCode: maskIdCode(p.party.idCode),
      address: maskAddress(p.party.address),
    },
    factsFound: m(p.factsFound),
    evidence: p.evidence.map((e) => ({
      name: m(e.name),
      ...(e.description ? { description: m(e.description) } : {}),
    })),
    legalBasis: p.legalBasis.map((b) => ({ law: b.law, article: b.article })),
    ...(p.conductDate ? { conductDate: p.conductDate } : {}),
    discretion: { benchmark: m(p.discretion.benchmark), position: m(p.discretion.position) },
    proposedDecision: m(p.proposedDecision),
    hearingHeld: p.hearingHeld,
    materials: p.materials.map(m),
  };
}
