import pg from "pg";
import type { Db } from "./db";
import { refuseCloseInTransaction, withSavepoint } from "./savepoint";

const INT8_OID = 20;

// Unix seconds and counters fit a double; numbers keep both backends returning the same rows (PGlite already does).
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

type Queryable = Pick<pg.PoolClient, "query">;

export function openPostgres(connectionString: string): Db {
  const pool = new pg.Pool({ connectionString, types, max: 10 });
  // An idle client whose server connection drops is evicted by the pool; without a listener the
  // 'error' event would crash the process.
  pool.on("error", () => undefined);
  return {
    dialect: "postgres",
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        const result = await fn(transactionDb(client, 1));
        await client.query("COMMIT");
        return result;
      } catch (err) {
        try {
          await client.query("ROLLBACK");
        } catch {
          broken = true;
        }
        throw err;
      } finally {
        // A connection that could not roll back is destroyed rather than handed to the next caller mid-transaction.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

function transactionDb(client: pg.PoolClient, depth: number): Db {
  const db: Db = {
    dialect: "postgres",
    query: (sql, params) => run(client, sql, params),
    exec: async (sql) => {
      await client.query(sql);
    },
    transaction: (fn) => withSavepoint(db, depth, () => fn(transactionDb(client, depth + 1))),
    close: refuseCloseInTransaction,
  };
  return db;
}

async function run<T>(target: Queryable, sql: string, params: readonly unknown[] | undefined): Promise<{ rows: T[] }> {
  const result = await target.query(sql, params === undefined ? undefined : [...params]);
  return { rows: result.rows };
}
