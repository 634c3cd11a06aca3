import { type Compilable, CompiledQuery, type Transaction } from 'kysely';
import { commitAfter } from '../database/deferred-begin.js';
import type { DB } from '../database/schema.js';

interface Part {
  query: CompiledQuery;
  /** Called with the `id`s the part returned (it must end in RETURNING id), once the statement has run. */
  onIds?: (ids: string[]) => void;
}

/**
 * Writes of one command that do not need each other's results, sent to the database as one statement
 * (data-modifying WITH clauses): a step's instance save, task and timer rows, history and outbox cost one round
 * trip instead of one each. Parts run in one snapshot and must touch distinct rows; a write that must see an
 * earlier one (e.g. a deadline on a task inserted here) flushes first.
 */
export class WriteBatch {
  private parts: Part[] = [];

  add(query: Compilable, onIds?: (ids: string[]) => void): void {
    this.parts.push({ query: query.compile(), onIds });
  }

  /**
   * Sends the parts; `outbox` (an insert with RETURNING id) comes back as the outbox ids. Nothing pending and
   * nothing to return: no statement at all. With `last`, the statement is the transaction's last and travels with
   * its COMMIT (database/deferred-begin.ts): the transaction must end as soon as this returns.
   */
  async flush(
    trx: Transaction<DB>,
    returning: { outbox?: Compilable } = {},
    opts: { last?: boolean } = {},
  ): Promise<{ outboxIds: number[] }> {
    const parts = this.parts.map((p, i) => ({ name: `w${i}`, ...p }));
    this.parts = [];
    if (returning.outbox) parts.push({ name: 'ob', query: returning.outbox.compile() });
    if (parts.length === 0) return { outboxIds: [] };
    const parameters: unknown[] = [];
    const clauses = parts.map(({ name, query }) => {
      const offset = parameters.length;
      parameters.push(...query.parameters);
      return `${name} AS (${query.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
    });
    const ids = returning.outbox ? `(SELECT coalesce(json_agg(id ORDER BY id), '[]'::json) FROM ob)` : `'[]'::json`;
    const collected = parts.flatMap((p) =>
      p.onIds ? [`(SELECT coalesce(json_agg(id), '[]'::json) FROM ${p.name}) AS ${p.name}_ids`] : [],
    );
    const text = `WITH ${clauses.join(', ')} SELECT ${[`${ids} AS outbox_ids`, ...collected].join(', ')}`;
    const { rows } = await trx.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(opts.last ? commitAfter(text) : text, parameters),
    );
    const row = rows[0];
    for (const p of parts) p.onIds?.(jsonArray(row[`${p.name}_ids`]).map(String));
    return { outboxIds: jsonArray(row.outbox_ids).map(Number) };
  }
}

/** json comes back parsed from pg and as text from some drivers. */
function jsonArray(value: unknown): unknown[] {
  const parsed = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed : [];
}
