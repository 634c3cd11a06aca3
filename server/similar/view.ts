import type { FastifyInstance } from 'fastify';
import type { CaseRow, Packet } from '../cases/tables.js';
import { type Actor, readsAllDepartments } from '../identity/service.js';
import { suggestionsForCase } from '../laws/suggest-routes.js';
import { deviationText } from './service.js';

const yuan = (n: number | null) => (n === null ? '—' : `${n.toLocaleString('en-US', { maximumFractionDigits: 2 })} 元`);

/** The similar cases of a case as the pages show them (the partial similar-cases.hbs). */
export async function similarView(app: FastifyInstance, actor: Actor, c: CaseRow) {
  const r = await app.similar.search(
    { id: c.id, department_id: c.department_id, packet: c.packet as Packet, catalogue_item: c.catalogue_item },
    actor.departmentId,
  );
  const all = readsAllDepartments(actor);
  return {
    items: r.items.map((i) => ({
      ...i,
      penaltyText: yuan(i.penalty),
      scoreText: `${Math.round(i.score * 100)}%`,
      // Another department's case opens only for those who read every department.
      mayOpen: !i.party.masked || all,
    })),
    range: r.range && { ...r.range, minText: yuan(r.range.min), maxText: yuan(r.range.max) },
    proposalText: r.proposal === null ? null : yuan(r.proposal),
    // The section says the index is being built in its own notice.
    deviation: deviationText(r, false),
    indexing: r.indexing,
  };
}

/** What the reviewer reads beside the points: suggested articles (法律适用) and similar cases (裁量). */
export async function reviewAids(app: FastifyInstance, actor: Actor, c: CaseRow | null) {
  if (!c) return {};
  const [lawSuggestions, similar] = await Promise.all([suggestionsForCase(app, c, 5), similarView(app, actor, c)]);
  return { lawSuggestions, similar };
}
