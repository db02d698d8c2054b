import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "./db";
import { LeaseLostError, Leases } from "./leases";
import { openTestPglite } from "./test-support/pglite";

let db: Db;
const leases = new Leases("jobs", "job", 60_000);

beforeAll(async () => {
  db = await openTestPglite();
  await db.exec(`CREATE TABLE jobs (id text PRIMARY KEY, state text NOT NULL, note text, created_at bigint NOT NULL, lease_owner text, lease_until bigint);
    INSERT INTO jobs VALUES ('a', 'running', NULL, 1, NULL, NULL), ('b', 'completed', NULL, 2, NULL, NULL);`);
});
afterAll(async () => db.close());

describe("run leases", () => {
  it("lets one process hold a running row; another is refused until it is released", async () => {
    expect(await leases.claim(db, "a", "p1", ["running"], false, [{ column: "note", value: "claimed" }])).toBe(true);
    expect(await leases.claim(db, "a", "p2", ["running"], false)).toBe(false);
    expect((await db.query<{ note: string }>("SELECT note FROM jobs WHERE id = 'a'")).rows[0]?.note).toBe("claimed");
    await db.transaction((tx) => leases.hold(tx, "a", "p1"));
    await expect(db.transaction((tx) => leases.hold(tx, "a", "p2"))).rejects.toThrow(new LeaseLostError("job", "a"));
    await leases.release(db, "a", "p2");
    expect(await leases.claim(db, "a", "p2", ["running"], false)).toBe(false);
    await leases.release(db, "a", "p1");
    expect(await leases.claim(db, "a", "p2", ["running"], false)).toBe(true);
  });

  it("never claims a row in another state; force takes over a held lease (the database is this process's alone)", async () => {
    expect(await leases.claim(db, "b", "p1", ["running"], true)).toBe(false);
    expect(await leases.claim(db, "a", "p3", ["running"], true)).toBe(true);
  });

  it("lists as orphans the running rows whose holder stopped renewing, not those another live process holds", async () => {
    expect(await leases.orphans(db, "p4", false)).toEqual([]);
    await db.query("UPDATE jobs SET lease_until = 0 WHERE id = 'a'");
    expect(await leases.orphans(db, "p4", false)).toEqual(["a"]);
    expect(await leases.orphans(db, "p3", false)).toEqual([]);
  });
});
