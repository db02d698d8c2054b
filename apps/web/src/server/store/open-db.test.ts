import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "./db";
import { createKeyStore } from "./key-store";
import { migrate } from "./migrate";
import { sharedDb } from "./shared-db";
import { rsaKey, testCipher } from "./test-support/fixtures";
import { seedTestDataDir } from "./test-support/pglite";
import { createTestDatabase, type TestDatabase } from "./test-support/postgres";

describe("openDb", () => {
  it("keeps PGlite data in its data directory across restarts", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "keyward-pglite-"));
    try {
      await seedTestDataDir(dataDir);
      const first = await openDb({ dataDir });
      expect(first.dialect).toBe("pglite");
      await migrate(first);
      const created = await createKeyStore({ db: first, cipher: testCipher() }).createKey(rsaKey("durable"));
      await first.close();

      const second = await openDb({ dataDir });
      try {
        expect(await migrate(second)).toEqual({ applied: [] });
        expect(await createKeyStore({ db: second, cipher: testCipher() }).getKey("durable")).toEqual(created);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  describe("with a database URL", () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database?.drop());

    it("uses PostgreSQL and ignores the data directory", async () => {
      const db = await openDb({ databaseUrl: database.url, dataDir: "/nonexistent" });
      try {
        expect(db.dialect).toBe("postgres");
        expect((await db.query<{ db: string }>("SELECT current_database() AS db")).rows[0]?.db).toBe(new URL(database.url).pathname.slice(1));
      } finally {
        await db.close();
      }
    });

    it("sharedDb opens and migrates once per process, and reopens after close", async () => {
      const [a, b] = await Promise.all([sharedDb({ databaseUrl: database.url }), sharedDb({ databaseUrl: database.url })]);
      expect(a).toBe(b);
      expect((await a.query("SELECT id FROM schema_migrations")).rows.length).toBeGreaterThan(0);
      await a.close();
      const c = await sharedDb({ databaseUrl: database.url });
      expect(c).not.toBe(a);
      expect((await c.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      await c.close();
    });

    it("sharedDb does not keep a failed open: it tries again once the database is there", async () => {
      const late = new URL(database.url);
      late.pathname = `${late.pathname}_late`;
      const name = late.pathname.slice(1);
      await expect(sharedDb({ databaseUrl: late.toString() })).rejects.toMatchObject({ code: "3D000" });
      const admin = await openDb({ databaseUrl: database.url });
      await admin.query(`CREATE DATABASE ${name}`);
      try {
        const db = await sharedDb({ databaseUrl: late.toString() });
        expect((await db.query("SELECT id FROM schema_migrations")).rows.length).toBeGreaterThan(0);
        await db.close();
      } finally {
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await admin.close();
      }
    });
  });
});
