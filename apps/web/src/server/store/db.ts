/**
 * The one database seam of the portal: PGlite (embedded) or PostgreSQL behind the same three calls,
 * so the key store and its tests run unchanged on both.
 */
export interface Db {
  readonly dialect: "pglite" | "postgres";
  /** One statement; `$1…` placeholders. int8 columns come back as numbers, bytea as bytes. */
  query<T>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[] }>;
  /** Several statements without parameters (migration scripts). */
  exec(sql: string): Promise<void>;
  /**
   * `fn` runs on one connection between BEGIN and COMMIT; a throw rolls everything back. Called on a
   * transaction's own handle it opens a savepoint, so store operations compose into a caller's
   * transaction (an audit row written with the change it records).
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** PostgreSQL connection string; when given, PostgreSQL is used and `dataDir` is ignored. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; in memory when absent. */
  dataDir?: string | undefined;
}

/** Open a new database handle. A server wants `sharedDb` instead: PGlite is costly to open. */
export async function openDb(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) {
    const { openPostgres } = await import("./postgres-db");
    return openPostgres(options.databaseUrl);
  }
  const { openPglite } = await import("./pglite-db");
  return openPglite(options.dataDir);
}
