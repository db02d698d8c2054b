import type { Db } from "../db";
import { openPostgres } from "../postgres-db";
import { openTestPglite } from "./pglite";
import { createTestDatabase } from "./postgres";

export interface TestBackend {
  db: Db;
  url: string | null;
  dispose(): Promise<void>;
}

/** The two stores every store test runs against: in-memory PGlite and a fresh PostgreSQL database. */
export const BACKENDS = [
  {
    name: "pglite",
    open: async (): Promise<TestBackend> => {
      const db = await openTestPglite();
      return { db, url: null, dispose: () => db.close() };
    },
  },
  {
    name: "postgres",
    open: async (): Promise<TestBackend> => {
      const database = await createTestDatabase();
      const db = openPostgres(database.url);
      return {
        db,
        url: database.url,
        dispose: async () => {
          await db.close();
          await database.drop();
        },
      };
    },
  },
] as const;
