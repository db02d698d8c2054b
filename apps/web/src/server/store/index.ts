/**
 * The local target's persistent state. Wiring, once per process:
 *
 *   const domainKey = await openDomainKey({ path: domainKeyFilePath(home), sealer: keyFileSealer() });
 *   const db = await sharedDb({ databaseUrl, dataDir: join(home, "pglite") });   // migrated on open
 *   const keys = createKeyStore({ db, cipher: materialCipher(domainKey) });
 *
 * Keep PGlite in a directory of its own: its data directory is PostgreSQL's PGDATA.
 */
export { openDb, type Db, type DbOptions } from "./db";
export { sharedDb } from "./shared-db";
export { migrate, type MigrateResult } from "./migrate";
export { MIGRATIONS, type Migration } from "./migrations";
export { createKeyStore, type KeyStore } from "./key-store";
export type { KeyStoreOptions } from "./store-context";
export type { VersionUpdate } from "./key-updates";
export type { WriteResult } from "./key-writes";
export { newVersionId, foldName } from "./key-names";
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./continuation";
export * from "./key-records";
