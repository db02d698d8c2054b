/**
 * Starts one multi-statement store write on PostgreSQL and stops inside its transaction, right
 * after the statement named on the command line, printing "paused". The parent test then SIGKILLs
 * this process: a crash between two statements of one write, made deterministic.
 *
 *   node --import tsx kill-child.ts <database url> <scenario>
 */
import type { Db } from "../../db";
import { createKeyStore } from "../../key-store";
import { openPostgres } from "../../postgres-db";
import { rsaKey, testCipher, T0 } from "../fixtures";
import { KILL_SCENARIOS, type KillScenario } from "../kill-scenarios";

const [url, name] = process.argv.slice(2);
const scenario = KILL_SCENARIOS.find((s) => s.name === name);
if (!url || !scenario) throw new Error("usage: kill-child.ts <database url> <scenario>");

const store = createKeyStore({ db: pausing(openPostgres(url), scenario), cipher: testCipher(), now: () => T0 + 1 });
await scenario.write(store, rsaKey);
console.log("finished without pausing");
process.exit(1);

function pausing(db: Db, at: KillScenario): Db {
  let seen = 0;
  const wrap = (tx: Db): Db => ({
    ...tx,
    query: async (sql, params) => {
      const result = await tx.query<never>(sql, params);
      if (sql.includes(at.pauseAfter) && ++seen === at.occurrence) {
        console.log("paused");
        setInterval(() => undefined, 60_000);
        await new Promise<never>(() => undefined);
      }
      return result;
    },
    transaction: (fn) => tx.transaction((inner) => fn(wrap(inner))),
  });
  return { ...db, transaction: (fn) => db.transaction((tx) => fn(wrap(tx))) };
}
