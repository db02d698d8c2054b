import { foldName } from "./key-names";
import type { KeyBundleRecord } from "./key-records";
import { selectBundle, selectKeyRow } from "./key-reads";
import { SECONDS_PER_DAY, type StoreContext } from "./store-context";
import { deletedKeyNotFound, keyNotFound } from "./store-errors";

/** Soft delete: the key and all its versions become deleted-but-recoverable; the name stays taken. */
export async function deleteKey(ctx: StoreContext, name: string): Promise<KeyBundleRecord> {
  return ctx.db.transaction(async (tx) => {
    const key = await selectKeyRow(tx, name, "live", true);
    if (!key) throw keyNotFound(name);
    const now = ctx.now();
    await tx.query("UPDATE keys SET deleted_date = $2, scheduled_purge_date = $3 WHERE id = $1", [
      key.key_id,
      now,
      now + key.recoverable_days * SECONDS_PER_DAY,
    ]);
    const bundle = await selectBundle(tx, name, undefined, "deleted");
    if (!bundle) throw new Error(`key ${foldName(name)} vanished inside its own transaction`);
    return bundle;
  });
}

export async function recoverKey(ctx: StoreContext, name: string): Promise<KeyBundleRecord> {
  return ctx.db.transaction(async (tx) => {
    const key = await selectKeyRow(tx, name, "deleted", true);
    if (!key) throw deletedKeyNotFound(name);
    await tx.query("UPDATE keys SET deleted_date = NULL, scheduled_purge_date = NULL WHERE id = $1", [key.key_id]);
    const bundle = await selectBundle(tx, name, undefined, "live");
    if (!bundle) throw new Error(`key ${foldName(name)} vanished inside its own transaction`);
    return bundle;
  });
}

/** Permanent: the key, every version and its material are gone. Only a soft-deleted key can be purged. */
export async function purgeKey(ctx: StoreContext, name: string): Promise<void> {
  const { rows } = await ctx.db.query<{ id: number }>("DELETE FROM keys WHERE name_folded = $1 AND deleted_date IS NOT NULL RETURNING id", [
    foldName(name),
  ]);
  if (rows.length === 0) throw deletedKeyNotFound(name);
}

/** Purge every deleted key whose scheduled purge date has passed; returns their names. For a periodic sweep. */
export async function purgeDue(ctx: StoreContext): Promise<string[]> {
  const { rows } = await ctx.db.query<{ name: string }>(
    "DELETE FROM keys WHERE deleted_date IS NOT NULL AND scheduled_purge_date <= $1 RETURNING name",
    [ctx.now()],
  );
  return rows.map((row) => row.name).sort();
}
