import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "./db";
import { createKeyStore } from "./key-store";
import { migrate } from "./migrate";
import { openPostgres } from "./postgres-db";
import { spawnChild } from "./test-support/child";
import { rsaKey, snapshot, testCipher, truncate } from "./test-support/fixtures";
import { KILL_SCENARIOS } from "./test-support/kill-scenarios";
import { createTestDatabase, type TestDatabase } from "./test-support/postgres";

describe("a portal process killed in the middle of a write (PostgreSQL)", () => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPostgres(database.url);
    await migrate(db);
  });
  beforeEach(() => truncate(db));
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it.each(KILL_SCENARIOS.map((s) => [s.name, s] as const))("%s leaves the old state", async (_name, scenario) => {
    const store = createKeyStore({ db, cipher: testCipher() });
    await scenario.setup(store, rsaKey);
    const before = await snapshot(db);

    const child = spawnChild("kill-child.ts", [database.url, scenario.name]);
    await child.waitFor("paused");
    // The child really is inside an open transaction holding its writes.
    const inFlight = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'",
    );
    expect(inFlight.rows).toEqual([{ n: 1 }]);
    child.process.kill("SIGKILL");
    expect(await child.exited).toEqual({ code: null, signal: "SIGKILL" });

    expect(await snapshot(db)).toEqual(before);
    // Nothing is left locked: the same write now goes through from this process.
    await scenario.write(store, rsaKey);
    expect((await store.getKey("victim")).key.name).toBe("victim");
  });
});
