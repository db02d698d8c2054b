import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { Db } from "./db";
import { refuseCloseInTransaction, withSavepoint } from "./savepoint";

type Queryable = Pick<Transaction, "query" | "exec">;

/** Adapt an open PGlite instance. PGlite has one connection and queues callers, so its transactions are exclusive. */
export function pgliteDb(pglite: PGlite): Db {
  return {
    dialect: "pglite",
    query: (sql, params) => run(pglite, sql, params),
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    transaction: (fn) => pglite.transaction((tx) => fn(transactionDb(tx, 1))),
    close: () => pglite.close(),
  };
}

export async function openPglite(dataDir: string | undefined): Promise<Db> {
  // In memory there is nothing to flush, and waiting for it costs 2–3x per statement. On disk,
  // durability stays on: a commit must be on disk before the caller hears it succeeded.
  return pgliteDb(await PGlite.create(dataDir === undefined ? { relaxedDurability: true } : { dataDir }));
}

function transactionDb(tx: Transaction, depth: number): Db {
  const db: Db = {
    dialect: "pglite",
    query: (sql, params) => run(tx, sql, params),
    exec: async (sql) => {
      await tx.exec(sql);
    },
    transaction: (fn) => withSavepoint(db, depth, () => fn(transactionDb(tx, depth + 1))),
    close: refuseCloseInTransaction,
  };
  return db;
}

async function run<T>(target: Queryable, sql: string, params: readonly unknown[] | undefined): Promise<{ rows: T[] }> {
  const result = await target.query<T>(sql, params === undefined ? undefined : [...params]);
  return { rows: result.rows };
}
