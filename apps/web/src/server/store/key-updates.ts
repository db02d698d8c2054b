import { foldName, isVersionId } from "./key-names";
import type { KeyBundleRecord, KeyVersionRecord, RotationPolicy, StoredRotationPolicy, VersionPatch } from "./key-records";
import { selectBundle, selectKeyRow } from "./key-reads";
import { checkPatchAgainst, checkRotationPolicy, checkVersionContent } from "./key-validation";
import type { StoreContext } from "./store-context";
import { badParameter, keyNotFound } from "./store-errors";

/** A patch, or a function of the stored version computed under the key's row lock (read-modify-write). */
export type VersionUpdate = VersionPatch | ((current: KeyVersionRecord) => VersionPatch);

/**
 * Change one version's key_ops, attributes, tags or release policy (the latest when `version` is
 * absent). The key row is locked first, as by every write to a key, so concurrent updates from any
 * number of processes apply one after another and none is lost.
 */
export async function updateVersion(
  ctx: StoreContext,
  name: string,
  version: string | undefined,
  update: VersionUpdate,
): Promise<KeyBundleRecord> {
  return ctx.db.transaction(async (tx) => {
    const key = await selectKeyRow(tx, name, "live", true);
    if (!key) throw keyNotFound(name);
    const wanted = version?.toLowerCase() ?? key.latest_version;
    const current = isVersionId(wanted) ? await selectBundle(tx, name, wanted, "live") : null;
    if (!current) throw keyNotFound(name, version);
    const patch = typeof update === "function" ? update(current.version) : update;
    checkPatchAgainst(current.version, patch);
    const stored = current.version;
    const next = {
      kty: stored.kty,
      keyOps: patch.keyOps ?? stored.keyOps,
      enabled: patch.enabled ?? stored.attributes.enabled,
      nbf: patch.nbf === undefined ? stored.attributes.nbf : patch.nbf,
      exp: patch.exp === undefined ? stored.attributes.exp : patch.exp,
      exportable: stored.attributes.exportable,
      tags: patch.tags ?? stored.tags,
      releasePolicy: patch.releasePolicy === undefined ? stored.releasePolicy : patch.releasePolicy,
    };
    if (typeof next.enabled !== "boolean") throw badParameter("InvalidAttribute", "enabled must be true or false");
    checkVersionContent(next);
    const now = ctx.now();
    await tx.query(
      `UPDATE key_versions
          SET key_ops = $3, enabled = $4, nbf = $5, exp = $6, tags = $7::jsonb, release_policy = $8::jsonb, updated = $9
        WHERE key_id = $1 AND version = $2`,
      [
        key.key_id,
        stored.version,
        [...next.keyOps],
        next.enabled,
        next.nbf,
        next.exp,
        JSON.stringify(next.tags),
        next.releasePolicy ? JSON.stringify(next.releasePolicy) : null,
        now,
      ],
    );
    await tx.query("UPDATE keys SET updated = $2 WHERE id = $1", [key.key_id, now]);
    const updated = await selectBundle(tx, name, stored.version, "live");
    if (!updated) throw new Error(`key ${foldName(name)} vanished inside its own transaction`);
    return updated;
  });
}

export async function setRotationPolicy(ctx: StoreContext, name: string, policy: RotationPolicy): Promise<StoredRotationPolicy> {
  checkRotationPolicy(policy);
  return ctx.db.transaction(async (tx) => {
    const key = await selectKeyRow(tx, name, "live", true);
    if (!key) throw keyNotFound(name);
    const now = ctx.now();
    const stored: StoredRotationPolicy = {
      lifetimeActions: policy.lifetimeActions.map((a) => ({ trigger: { ...a.trigger }, action: { type: a.action.type } })),
      expiryTime: policy.expiryTime,
      created: key.rotation_policy?.created ?? now,
      updated: now,
    };
    await tx.query("UPDATE keys SET rotation_policy = $2::jsonb, updated = $3 WHERE id = $1", [key.key_id, JSON.stringify(stored), now]);
    return stored;
  });
}
