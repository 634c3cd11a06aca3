import type { FastifyInstance } from 'fastify';
import type { Actor } from '../identity/service.js';
import { listDiscussions } from './view.js';

/**
 * The case page's and the review step's 疑难案例探讨 box: the case's discussions the reader takes part in, and
 * whether they may open one (the case's reviewer). Null when there is nothing to show.
 */
export async function caseDiscussions(
  app: FastifyInstance,
  actor: Actor,
  c: { id: string; reviewer_id: string | null },
) {
  if (!actor.roles.includes('reviewer') && !actor.roles.includes('legal_admin')) return null;
  const ctx = { db: app.db, clock: app.clock, history: app.runtime.history, cases: app.cases };
  const items = await listDiscussions(ctx, actor, { caseId: c.id });
  const mayOpen = c.reviewer_id === actor.id;
  if (!mayOpen && items.length === 0) return null;
  return { items, caseId: c.id, mayOpen };
}
