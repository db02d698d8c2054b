import type { Db } from "./db";

/** The process holding a record's lease lost it to another one (it was presumed dead): stop touching the record. */
export class LeaseLostError extends Error {
  constructor(what: string, id: string) {
    super(`${what} ${id} is being run by another portal process`);
    this.name = "LeaseLostError";
  }
}

/** A column set alongside the lease in one UPDATE (`cast` e.g. "::jsonb"). */
export interface LeaseSet {
  column: string;
  value: unknown;
  cast?: string;
}

/**
 * Run leases on the rows of a table with `id`, `state`, `created_at`, `lease_owner` and `lease_until`
 * (milliseconds): the one portal process running a long job (a ceremony, a KMS import) holds the lease
 * and renews it with every write; when it stops renewing, another process may take the job over.
 * `force` means the database is this process's alone (PGlite), so any earlier holder is gone.
 */
export class Leases {
  readonly ms: number;
  private readonly table: string;
  private readonly what: string;

  /** `table` is a constant of the caller, never input. */
  constructor(table: string, what: string, ms = 30_000) {
    this.table = table;
    this.what = what;
    this.ms = ms;
  }

  /** Inside a write's transaction: lock the row and check `owner` still holds its lease. */
  async hold(tx: Db, id: string, owner: string): Promise<void> {
    const { rows } = await tx.query<{ lease_owner: string | null }>(`SELECT lease_owner FROM ${this.table} WHERE id = $1 FOR UPDATE`, [id]);
    if (rows[0]?.lease_owner !== owner) throw new LeaseLostError(this.what, id);
  }

  /** Take the lease of a row in `states` that nobody holds (or whose holder stopped renewing it), setting `also` with it. */
  async claim(db: Db, id: string, owner: string, states: readonly string[], force: boolean, also: readonly LeaseSet[] = []): Promise<boolean> {
    const now = Date.now();
    const params: unknown[] = [id, owner, now + this.ms, [...states], now, force];
    const sets = ["lease_owner = $2", "lease_until = $3"];
    for (const s of also) {
      params.push(s.value);
      sets.push(`${s.column} = $${params.length}${s.cast ?? ""}`);
    }
    const { rows } = await db.query<{ id: string }>(
      `UPDATE ${this.table} SET ${sets.join(", ")}
        WHERE id = $1 AND state = ANY($4::text[]) AND (lease_owner IS NULL OR lease_owner = $2 OR lease_until < $5 OR $6::boolean)
        RETURNING id`,
      params,
    );
    return rows.length === 1;
  }

  /** Running rows whose runner is gone: what a starting portal picks up. */
  async orphans(db: Db, owner: string, force: boolean): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM ${this.table} WHERE state = 'running' AND (lease_owner IS NULL OR lease_until < $1 OR $2::boolean) AND lease_owner IS DISTINCT FROM $3 ORDER BY created_at`,
      [Date.now(), force, owner],
    );
    return rows.map((r) => r.id);
  }

  async release(db: Db, id: string, owner: string): Promise<void> {
    await db.query(`UPDATE ${this.table} SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2`, [id, owner]);
  }
}
