/**
 * The sessions this server has checked, so that a request does not read its session again: one statement fewer
 * on every authenticated request. It holds them only while it can hear every change:
 *
 * - the database sends a notice on commit of any UPDATE, DELETE or TRUNCATE of sessions, users or departments
 *   (migration 20261211000000, from any process or tool); each notice forgets everything held;
 * - while notices are not heard (the listening connection is down), nothing is held or served;
 * - a statement of this process that writes one of those tables forgets everything and holds nothing until a
 *   moment after its notice could have come, so that the answer to a logout or a deactivation is never followed
 *   by a request this server lets in on the old row;
 * - a read that a notice overtook is not kept (the generation).
 *
 * Another server stops accepting a revoked session when the notice reaches it, milliseconds after the commit.
 * Expiry is checked against the held row's expires_at at each request, as for a row read.
 */
export class SessionCache<Row> {
  private readonly entries = new Map<string, { row: Row; at: number }>();
  private generation = 0;
  private hearing = false;
  private quietUntil = 0;

  constructor(
    private readonly opts: {
      max: number;
      /** How long an entry is used at most, even with no notice (a bound, not the mechanism). */
      ttlMs: number;
      /** How long after a write of this process nothing is held (its transaction must commit in that time). */
      writeQuietMs: number;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return (this.opts.now ?? performance.now.bind(performance))();
  }

  private usable(now: number): boolean {
    return this.hearing && now >= this.quietUntil;
  }

  /** The session of a token hash: held, or read (and held when nothing changed meanwhile). */
  async get(tokenHash: string, read: () => Promise<Row | undefined>): Promise<Row | undefined> {
    const now = this.now();
    if (this.usable(now)) {
      const held = this.entries.get(tokenHash);
      if (held && now - held.at < this.opts.ttlMs) {
        // Most recently used last, so that the first key is the one to let go.
        this.entries.delete(tokenHash);
        this.entries.set(tokenHash, held);
        return held.row;
      }
    }
    const generation = this.generation;
    const row = await read();
    if (row !== undefined && generation === this.generation && this.usable(this.now())) {
      this.entries.delete(tokenHash);
      this.entries.set(tokenHash, { row, at: now });
      if (this.entries.size > this.opts.max) this.entries.delete(this.entries.keys().next().value as string);
    }
    return row;
  }

  /** A notice: something of sessions, users or departments changed and committed. */
  changed(): void {
    this.forget();
  }

  /** A statement of this process is about to write sessions, users or departments. */
  writing(): void {
    this.forget();
    this.quietUntil = Math.max(this.quietUntil, this.now() + this.opts.writeQuietMs);
  }

  /** Whether notices are heard; when they are not, or were not for a while, nothing held can be trusted. */
  listening(on: boolean): void {
    this.hearing = on;
    this.forget();
  }

  /** How many sessions are held, and whether notices are heard (for tests and diagnostics). */
  get state(): { held: number; hearing: boolean } {
    return { held: this.entries.size, hearing: this.hearing };
  }

  private forget(): void {
    this.generation++;
    this.entries.clear();
  }
}
