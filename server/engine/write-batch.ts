import { type Compilable, CompiledQuery, type Transaction } from 'kysely';
import type { DB } from '../database/schema.js';

/**
 * Writes of one command that do not need each other's results, sent to the database as one statement
 * (data-modifying WITH clauses): a step's instance save, task and timer rows, history and outbox cost one round
 * trip instead of one each. Parts run in one snapshot and must touch distinct rows; a write that must see an
 * earlier one (e.g. a deadline on a task inserted here) flushes first.
 */
export class WriteBatch {
  private parts: CompiledQuery[] = [];

  add(query: Compilable): void {
    this.parts.push(query.compile());
  }

  /**
   * Sends the parts; `events` and `outbox` (inserts with RETURNING at / id) come back as the history time and
   * the outbox ids. Nothing pending and nothing to return: no statement at all.
   */
  async flush(
    trx: Transaction<DB>,
    returning: { events?: Compilable; outbox?: Compilable } = {},
  ): Promise<{ at: Date | null; outboxIds: number[] }> {
    const parts = this.parts.map((p, i) => ({ name: `w${i}`, query: p }));
    this.parts = [];
    if (returning.events) parts.push({ name: 'ev', query: returning.events.compile() });
    if (returning.outbox) parts.push({ name: 'ob', query: returning.outbox.compile() });
    if (parts.length === 0) return { at: null, outboxIds: [] };
    const parameters: unknown[] = [];
    const clauses = parts.map(({ name, query }) => {
      const offset = parameters.length;
      parameters.push(...query.parameters);
      return `${name} AS (${query.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`;
    });
    const at = returning.events ? '(SELECT min(at) FROM ev)' : 'NULL::timestamptz';
    const ids = returning.outbox ? `(SELECT coalesce(json_agg(id ORDER BY id), '[]'::json) FROM ob)` : `'[]'::json`;
    const text = `WITH ${clauses.join(', ')} SELECT ${at} AS at, ${ids} AS outbox_ids`;
    const { rows } = await trx.executeQuery<{ at: Date | string | null; outbox_ids: unknown }>(
      CompiledQuery.raw(text, parameters),
    );
    const row = rows[0];
    const outboxIds = (typeof row.outbox_ids === 'string' ? JSON.parse(row.outbox_ids) : row.outbox_ids) as
      | (number | string)[]
      | null;
    return { at: row.at === null ? null : new Date(row.at), outboxIds: (outboxIds ?? []).map(Number) };
  }
}
