import { TargetError } from "@keyward/shared";
import type { Db } from "./db";
import { checkKeyName, checkVersionId, foldName, newVersionId } from "./key-names";
import type { KeyBundleRecord, KeyOrigin, NewKey, NewVersion, RestoredKey } from "./key-records";
import { selectBundle, selectKeyRow } from "./key-reads";
import type { KeyRow } from "./key-rows";
import { checkNewVersion, checkRotationPolicy, checkUnixTime } from "./key-validation";
import type { StoreContext } from "./store-context";
import { badParameter, deletedButRecoverable, keyAlreadyExists, keyNotFound } from "./store-errors";

export interface WriteResult {
  bundle: KeyBundleRecord;
  /** True when the name was new and the key was created; false when a version was added. */
  created: boolean;
}

/** A new key with its first version. Refused if the name exists, live or soft-deleted. */
export async function createKey(ctx: StoreContext, input: NewKey): Promise<KeyBundleRecord> {
  return (await writeVersion(ctx, input.name, input, "create")).bundle;
}

/** A new latest version under an existing live name (rotate, or import onto an existing key). */
export async function addVersion(ctx: StoreContext, name: string, input: NewVersion): Promise<KeyBundleRecord> {
  return (await writeVersion(ctx, name, input, "add")).bundle;
}

/**
 * Key Vault's create and import: a new key when the name is free, otherwise a new version of it.
 * Decided inside the transaction, so two callers racing on a new name get one key with two versions.
 */
export function createOrAddVersion(ctx: StoreContext, input: NewKey): Promise<WriteResult> {
  return writeVersion(ctx, input.name, input, "either");
}

type Mode = "create" | "add" | "either";

async function writeVersion(
  ctx: StoreContext,
  name: string,
  input: NewVersion & { managed?: boolean | undefined },
  mode: Mode,
): Promise<WriteResult> {
  if (mode !== "add") checkKeyName(name);
  checkNewVersion(input);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    // Bounded: each pass either writes or sees a row that a concurrent purge may remove before we lock it.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (mode !== "add") {
        const version = newVersionId();
        const managed = input.managed ?? false;
        const keyId = await insertKey(tx, ctx, { name, kty: input.kty, managed, latestVersion: version, versionCount: 1, now });
        if (keyId !== null) {
          await insertVersion(tx, ctx, { keyId, name, seq: 1, version, input, origin: input.origin, created: now, updated: now });
          return { bundle: await reread(tx, name, version), created: true };
        }
      }
      const key = await selectKeyRow(tx, name, "any", true);
      if (!key) {
        if (mode === "add") throw keyNotFound(name);
        continue;
      }
      if (key.deleted_date !== null) throw deletedButRecoverable(key.name);
      if (mode === "create") throw keyAlreadyExists(key.name);
      return { bundle: await appendVersion(tx, ctx, key, input, now), created: false };
    }
    throw new TargetError("Conflict", `key ${name} changed while it was being written; try again`, "ConcurrentChange");
  });
}

async function appendVersion(tx: Db, ctx: StoreContext, key: KeyRow, input: NewVersion, now: number): Promise<KeyBundleRecord> {
  if (key.version_count >= ctx.maxVersionsPerKey) {
    throw new TargetError("Conflict", `key ${key.name} has ${key.version_count} versions, the most a key may have`, "TooManyVersions");
  }
  const version = newVersionId();
  const seq = key.version_count + 1;
  await insertVersion(tx, ctx, { keyId: key.key_id, name: key.name, seq, version, input, origin: input.origin, created: now, updated: now });
  await tx.query("UPDATE keys SET latest_version = $2, version_count = $3, kty = $4, updated = $5 WHERE id = $1", [
    key.key_id,
    version,
    seq,
    input.kty,
    now,
  ]);
  return reread(tx, key.name, version);
}

/**
 * A key from a backup, with its version ids and times. Refused if the name is in use, live or
 * soft-deleted, as Key Vault refuses it.
 */
export async function restoreKey(ctx: StoreContext, input: RestoredKey): Promise<KeyBundleRecord> {
  checkKeyName(input.name);
  const latest = input.versions.at(-1);
  if (!latest) throw badParameter("EmptyBackup", "a restored key needs at least one version");
  if (input.versions.length > ctx.maxVersionsPerKey) {
    throw badParameter("TooManyVersions", `a key may have at most ${ctx.maxVersionsPerKey} versions`);
  }
  const seen = new Set<string>();
  for (const version of input.versions) {
    checkVersionId(version.version);
    if (seen.has(version.version)) throw badParameter("DuplicateVersion", `version ${version.version} appears twice in the backup`);
    seen.add(version.version);
    checkNewVersion(version);
    checkUnixTime("created", version.created);
    checkUnixTime("updated", version.updated);
  }
  if (input.rotationPolicy) checkRotationPolicy(input.rotationPolicy);
  return ctx.db.transaction(async (tx) => {
    const now = ctx.now();
    const created = Math.min(...input.versions.map((v) => v.created));
    const keyId = await insertKey(tx, ctx, {
      name: input.name,
      kty: latest.kty,
      managed: input.managed ?? false,
      latestVersion: latest.version,
      versionCount: input.versions.length,
      now,
      created,
      rotationPolicy: input.rotationPolicy ? { ...input.rotationPolicy, created: now, updated: now } : null,
    });
    if (keyId === null) {
      const existing = await selectKeyRow(tx, input.name, "any");
      throw existing?.deleted_date != null ? deletedButRecoverable(existing.name) : keyAlreadyExists(existing?.name ?? input.name);
    }
    for (const [index, version] of input.versions.entries()) {
      const { created, updated } = version;
      const seq = index + 1;
      await insertVersion(tx, ctx, { keyId, name: input.name, seq, version: version.version, input: version, origin: "restored", created, updated });
    }
    return reread(tx, input.name, latest.version);
  });
}

interface KeyInsert {
  name: string;
  kty: string;
  managed: boolean;
  latestVersion: string;
  versionCount: number;
  now: number;
  created?: number;
  rotationPolicy?: object | null;
}

/** The key row, or null when the name is taken. Its latest version must be inserted in the same transaction. */
async function insertKey(tx: Db, ctx: StoreContext, key: KeyInsert): Promise<number | null> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO keys (name, name_folded, kty, managed, created, updated, recoverable_days, rotation_policy, latest_version, version_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)
     ON CONFLICT (name_folded) DO NOTHING
     RETURNING id`,
    [
      key.name,
      foldName(key.name),
      key.kty,
      key.managed,
      key.created ?? key.now,
      key.now,
      ctx.recoverableDays,
      key.rotationPolicy ? JSON.stringify(key.rotationPolicy) : null,
      key.latestVersion,
      key.versionCount,
    ],
  );
  return rows[0]?.id ?? null;
}

interface VersionInsert {
  keyId: number;
  name: string;
  seq: number;
  version: string;
  input: Omit<NewVersion, "origin">;
  origin: KeyOrigin;
  created: number;
  updated: number;
}

async function insertVersion(tx: Db, ctx: StoreContext, row: VersionInsert): Promise<void> {
  const { input } = row;
  await tx.query(
    `INSERT INTO key_versions (key_id, seq, version, kty, key_ops, enabled, nbf, exp, exportable, created, updated,
                               tags, release_policy, public_jwk, material, origin, hsm_platform)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb, $14::jsonb, $15, $16, $17)`,
    [
      row.keyId,
      row.seq,
      row.version,
      input.kty,
      [...input.keyOps],
      input.enabled ?? true,
      input.nbf ?? null,
      input.exp ?? null,
      input.exportable ?? false,
      row.created,
      row.updated,
      JSON.stringify(input.tags ?? {}),
      input.releasePolicy ? JSON.stringify(input.releasePolicy) : null,
      JSON.stringify(input.publicJwk),
      ctx.cipher.seal(row.name, row.version, input.material),
      row.origin,
      input.hsmPlatform,
    ],
  );
}

async function reread(tx: Db, name: string, version: string): Promise<KeyBundleRecord> {
  const bundle = await selectBundle(tx, name, version, "live");
  if (!bundle) throw new Error(`key ${foldName(name)} vanished inside its own transaction`);
  return bundle;
}
