import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Db } from "../db";
import { pgliteDb } from "../pglite-db";

const TEMPLATE = join(tmpdir(), "keyward-test-pglite-initdb.tar");

/**
 * An in-memory PGlite for one test file. A fresh initdb costs ~5 s and ~900 MB; loading the dump of
 * one costs under a second, so the first test process leaves a dump behind for the others.
 */
export async function openTestPglite(): Promise<Db> {
  const template = await readTemplate();
  if (template) {
    try {
      return pgliteDb(await PGlite.create({ loadDataDir: template, relaxedDurability: true }));
    } catch {
      // A dump left by another PGlite version: make a new one below.
    }
  }
  const fresh = await PGlite.create({ relaxedDurability: true });
  await writeTemplate(fresh);
  return pgliteDb(fresh);
}

/** A PGlite data directory that has been through initdb, without paying for initdb again. */
export async function seedTestDataDir(dataDir: string): Promise<void> {
  let template = await readTemplate();
  if (!template) {
    await (await openTestPglite()).close();
    template = await readTemplate();
  }
  const seeded = await PGlite.create({ dataDir, ...(template ? { loadDataDir: template } : {}) });
  await seeded.close();
}

async function readTemplate(): Promise<Blob | null> {
  try {
    return new Blob([new Uint8Array(await readFile(TEMPLATE))]);
  } catch {
    return null;
  }
}

async function writeTemplate(pglite: PGlite): Promise<void> {
  const dump = await pglite.dumpDataDir("none");
  const temp = `${TEMPLATE}.${randomBytes(4).toString("hex")}`;
  await writeFile(temp, new Uint8Array(await dump.arrayBuffer()));
  await rename(temp, TEMPLATE);
}
