/**
 * A second portal process for the concurrency tests: connects, prints "ready", waits for "go" on
 * stdin so that all writers start together, does its writes, prints "done".
 *
 *   node --import tsx writer-child.ts <database url> bump <key name> <tag> <count>
 *   node --import tsx writer-child.ts <database url> create-or-add <name prefix> <count>
 */
import { createInterface } from "node:readline";
import { createKeyStore } from "../../key-store";
import { openPostgres } from "../../postgres-db";
import { rsaKey, testCipher } from "../fixtures";

const [url, mode, ...rest] = process.argv.slice(2);
if (!url) throw new Error("usage: writer-child.ts <database url> <mode> …");
const db = openPostgres(url);
const store = createKeyStore({ db, cipher: testCipher() });
await db.query("SELECT 1");
console.log("ready");
await new Promise<void>((resolve) => {
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    if (line === "go") {
      lines.close();
      // An open stdin pipe would keep this process alive after its work is done.
      process.stdin.destroy();
      resolve();
    }
  });
});

if (mode === "bump") {
  const [name, tag, count] = rest;
  if (!name || !tag || !count) throw new Error("bump needs <key name> <tag> <count>");
  for (let i = 0; i < Number(count); i++) {
    // Read-modify-write of a tag only this process touches, and of exp, which every writer bumps.
    await store.updateVersion(name, undefined, (current) => ({
      tags: { ...current.tags, [tag]: String(Number(current.tags[tag] ?? "0") + 1) },
      exp: (current.attributes.exp ?? 0) + 1,
    }));
  }
} else if (mode === "create-or-add") {
  const [prefix, count] = rest;
  if (!prefix || !count) throw new Error("create-or-add needs <name prefix> <count>");
  for (let i = 0; i < Number(count); i++) await store.createOrAddVersion(rsaKey(`${prefix}-${i}`));
} else {
  throw new Error(`unknown mode ${String(mode)}`);
}
await db.close();
console.log("done");
