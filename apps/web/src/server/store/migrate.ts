import { createHash } from "node:crypto";
import type { Db } from "./db";
import { MIGRATIONS, type Migration } from "./migrations";

// Any fixed number works; every Keyward process uses this one to take turns migrating.
const MIGRATION_LOCK = 0x6b657977;

export interface MigrateResult {
  applied: string[];
}

/**
 * Bring the schema up to date. Each migration runs in its own transaction that first takes a
 * transaction-scoped advisory lock, so processes starting together on one PostgreSQL apply each
 * migration exactly once; the loser of the race waits, then sees the migration recorded.
 */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrateResult> {
  checkOrder(migrations);
  await db.transaction(async (tx) => {
    await lock(tx);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        id         text PRIMARY KEY,
        checksum   text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      await lock(tx);
      const { rows } = await tx.query<{ checksum: string }>("SELECT checksum FROM schema_migrations WHERE id = $1", [migration.id]);
      const recorded = rows[0];
      if (recorded) {
        if (recorded.checksum !== checksum(migration)) {
          throw new Error(`migration ${migration.id} was changed after it was applied; add a new migration instead`);
        }
        return false;
      }
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)", [migration.id, checksum(migration)]);
      return true;
    });
    if (ran) applied.push(migration.id);
  }
  return { applied };
}

async function lock(tx: Db): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock($1::bigint)", [MIGRATION_LOCK]);
}

function checksum(migration: Migration): string {
  return createHash("sha256").update(migration.sql).digest("hex");
}

function checkOrder(migrations: readonly Migration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    const previous = migrations[i - 1];
    const current = migrations[i];
    if (previous && current && previous.id >= current.id) {
      throw new Error(`migrations out of order: ${previous.id} before ${current.id}`);
    }
  }
}
