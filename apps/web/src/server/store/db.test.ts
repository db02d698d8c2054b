import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "./db";
import { migrate } from "./migrate";
import { BACKENDS, type TestBackend } from "./test-support/backends";

describe.each(BACKENDS)("Db on $name", ({ open }) => {
  let backend: TestBackend;
  let db: Db;

  beforeAll(async () => {
    backend = await open();
    db = backend.db;
    await db.exec("CREATE TABLE t (id int8 PRIMARY KEY, b bytea, j jsonb, a text[]); CREATE TABLE u (x int)");
  });
  afterAll(() => backend?.dispose());

  it("returns int8 as numbers, bytea as bytes, jsonb parsed and text[] as arrays", async () => {
    await db.query("INSERT INTO t VALUES ($1, $2, $3::jsonb, $4)", [1_767_225_600, Buffer.from([1, 2, 3]), JSON.stringify({ a: [1] }), ["x", "y"]]);
    const { rows } = await db.query<{ id: number; b: Uint8Array; j: unknown; a: string[] }>("SELECT * FROM t WHERE id = $1", [1_767_225_600]);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.id).toBe(1_767_225_600);
    expect(Buffer.from(row!.b)).toEqual(Buffer.from([1, 2, 3]));
    expect(row?.j).toEqual({ a: [1] });
    expect(row?.a).toEqual(["x", "y"]);
  });

  it("commits a transaction and rolls one back on a throw", async () => {
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO u VALUES (1)");
      await tx.query("INSERT INTO u VALUES (2)");
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO u VALUES (3)");
        throw new Error("stop");
      }),
    ).rejects.toThrow("stop");
    const { rows } = await db.query<{ x: number }>("SELECT x FROM u ORDER BY x");
    expect(rows.map((r) => r.x)).toEqual([1, 2]);
  });

  it("runs a nested transaction as a savepoint", async () => {
    await db.exec("DELETE FROM u");
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO u VALUES (10)");
      await expect(
        tx.transaction(async (inner) => {
          await inner.query("INSERT INTO u VALUES (11)");
          throw new Error("inner");
        }),
      ).rejects.toThrow("inner");
      await tx.transaction((inner) => inner.query("INSERT INTO u VALUES (12)"));
    });
    const { rows } = await db.query<{ x: number }>("SELECT x FROM u ORDER BY x");
    expect(rows.map((r) => r.x)).toEqual([10, 12]);
  });

  it("rolls back when a statement fails inside the transaction", async () => {
    await db.exec("DELETE FROM u");
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO u VALUES (20)");
        await tx.query("INSERT INTO t (id) VALUES (1767225600)");
      }),
    ).rejects.toMatchObject({ code: "23505" });
    expect((await db.query("SELECT x FROM u")).rows).toEqual([]);
    // The connection is usable again afterwards.
    expect((await db.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });

  it("refuses to close a transaction handle", async () => {
    await db.transaction(async (tx) => {
      await expect(tx.close()).rejects.toThrow(/not a transaction/);
    });
  });

  it("refuses at COMMIT a key row whose latest version was never written", async () => {
    await migrate(db);
    await expect(
      db.transaction((tx) =>
        tx.query(
          `INSERT INTO keys (name, name_folded, kty, created, updated, recoverable_days, latest_version, version_count)
           VALUES ('orphan', 'orphan', 'RSA', 1, 1, 90, $1, 1)`,
          ["0".repeat(32)],
        ),
      ),
    ).rejects.toMatchObject({ code: "23503" });
    expect((await db.query("SELECT * FROM keys")).rows).toEqual([]);
  });
});
