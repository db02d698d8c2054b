import { resolve } from "node:path";
import { openDb, type Db, type DbOptions } from "./db";
import { migrate } from "./migrate";

// On globalThis so that Next.js module reloads in development reuse the handle instead of opening
// PGlite again (seconds and hundreds of MB each time).
const CACHE = Symbol.for("keyward.store.sharedDb");
type Cache = Map<string, Promise<Db>>;
const holder = globalThis as typeof globalThis & { [CACHE]?: Cache };

/**
 * The process-wide, migrated database for these options, opened on first use. Its `close` closes it
 * for everyone and lets the next caller open it again.
 */
export function sharedDb(options: DbOptions): Promise<Db> {
  const cache = (holder[CACHE] ??= new Map());
  const id = options.databaseUrl ? `postgres:${options.databaseUrl}` : `pglite:${options.dataDir ? resolve(options.dataDir) : ":memory:"}`;
  let opened = cache.get(id);
  if (!opened) {
    opened = openAndMigrate(options, () => cache.delete(id));
    cache.set(id, opened);
    // A failed open is not cached: the next request tries again (e.g. PostgreSQL was still starting).
    opened.catch(() => cache.delete(id));
  }
  return opened;
}

async function openAndMigrate(options: DbOptions, forget: () => void): Promise<Db> {
  const db = await openDb(options);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return {
    ...db,
    close: async () => {
      forget();
      await db.close();
    },
  };
}
