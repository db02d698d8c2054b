import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "./db";
import { createKeyStore, type KeyStore } from "./key-store";
import { migrate } from "./migrate";
import { openPostgres } from "./postgres-db";
import { spawnChild, type Child } from "./test-support/child";
import { T0, rsaKey, testCipher } from "./test-support/fixtures";
import { createTestDatabase, type TestDatabase } from "./test-support/postgres";

async function runTogether(children: Child[]): Promise<void> {
  try {
    await Promise.all(children.map((child) => child.waitFor("ready")));
    for (const child of children) child.send("go");
    const results = await Promise.all(children.map((child) => child.exited));
    for (const [i, result] of results.entries()) {
      expect(result, children[i]?.output()).toEqual({ code: 0, signal: null });
    }
  } finally {
    for (const child of children) if (child.process.exitCode === null) child.process.kill("SIGKILL");
  }
}

describe("two portal processes writing to one key at once (PostgreSQL)", () => {
  let database: TestDatabase;
  let db: Db;
  let store: KeyStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPostgres(database.url);
    await migrate(db);
    store = createKeyStore({ db, cipher: testCipher() });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it("loses no update of tags or attributes", async () => {
    const rounds = 100;
    await store.createKey(rsaKey("shared", { exp: T0 }));
    await runTogether([
      spawnChild("writer-child.ts", [database.url, "bump", "shared", "a", String(rounds)]),
      spawnChild("writer-child.ts", [database.url, "bump", "SHARED", "b", String(rounds)]),
    ]);
    const { version } = await store.getKey("shared");
    expect(version.tags).toEqual({ a: String(rounds), b: String(rounds) });
    expect(version.attributes.exp).toBe(T0 + 2 * rounds);
  });

  it("turns a race to create the same new names into one key with two versions each", async () => {
    const count = 40;
    await runTogether([
      spawnChild("writer-child.ts", [database.url, "create-or-add", "race", String(count)]),
      spawnChild("writer-child.ts", [database.url, "create-or-add", "race", String(count)]),
    ]);
    const { rows } = await db.query<{ name: string; versions: number; version_count: number }>(
      `SELECT k.name, k.version_count, count(v.*)::int AS versions
         FROM keys k JOIN key_versions v ON v.key_id = k.id WHERE k.name LIKE 'race-%' GROUP BY k.id`,
    );
    expect(rows).toHaveLength(count);
    expect(rows.every((row) => row.versions === 2 && row.version_count === 2)).toBe(true);
  });
});
