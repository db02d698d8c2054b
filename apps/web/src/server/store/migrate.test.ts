import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "./migrate";
import { MIGRATIONS } from "./migrations";
import { openPostgres } from "./postgres-db";
import { BACKENDS, type TestBackend } from "./test-support/backends";
import { createTestDatabase } from "./test-support/postgres";

describe.each(BACKENDS)("migrate on $name", ({ open }) => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await open();
  });
  afterAll(() => backend?.dispose());

  it("applies every migration once, in order, and records it", async () => {
    expect(await migrate(backend.db)).toEqual({ applied: MIGRATIONS.map((m) => m.id) });
    expect(await migrate(backend.db)).toEqual({ applied: [] });
    const { rows } = await backend.db.query<{ id: string }>("SELECT id FROM schema_migrations ORDER BY id");
    expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
  });

  it("applies a later migration on the next start", async () => {
    const next = [...MIGRATIONS, { id: "999_test", sql: "CREATE TABLE migrate_probe (x int); CREATE INDEX ON migrate_probe (x);" }];
    expect(await migrate(backend.db, next)).toEqual({ applied: ["999_test"] });
    expect((await backend.db.query("SELECT * FROM migrate_probe")).rows).toEqual([]);
  });

  it("refuses to start when an applied migration was edited, and changes nothing", async () => {
    const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    await expect(migrate(backend.db, edited)).rejects.toThrow(/was changed after it was applied/);
    const { rows } = await backend.db.query("SELECT id FROM schema_migrations");
    expect(rows).toHaveLength(MIGRATIONS.length + 1);
  });

  it("rolls back a failing migration entirely and does not record it", async () => {
    const broken = [...MIGRATIONS, { id: "998_broken", sql: "CREATE TABLE half_done (x int); SELECT no_such_function();" }];
    await expect(migrate(backend.db, broken)).rejects.toThrow();
    expect((await backend.db.query("SELECT id FROM schema_migrations WHERE id = '998_broken'")).rows).toEqual([]);
    expect((await backend.db.query("SELECT to_regclass('half_done') AS t")).rows).toEqual([{ t: null }]);
  });

  it("refuses migrations listed out of order", async () => {
    const [first] = MIGRATIONS;
    await expect(migrate(backend.db, [{ id: "002_b", sql: "" }, first!])).rejects.toThrow(/out of order/);
  });
});

describe("migrate on PostgreSQL from several processes at once", () => {
  it("applies each migration exactly once while the others wait", async () => {
    const database = await createTestDatabase();
    // Separate pools are separate server sessions, as separate portal processes would be.
    const pools = Array.from({ length: 4 }, () => openPostgres(database.url));
    try {
      const results = await Promise.all(pools.map((db) => migrate(db)));
      const applied = results.flatMap((r) => r.applied).sort();
      expect(applied).toEqual(MIGRATIONS.map((m) => m.id));
      const { rows } = await pools[0]!.query<{ n: number }>("SELECT count(*)::int AS n FROM schema_migrations");
      expect(rows).toEqual([{ n: MIGRATIONS.length }]);
    } finally {
      await Promise.all(pools.map((db) => db.close()));
      await database.drop();
    }
  });
});
