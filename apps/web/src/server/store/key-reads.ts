import { TargetError } from "@keyward/shared";
import { MaterialDecryptionError } from "../domain-key/material";
import { decodeContinuation, encodeContinuation, pageSize } from "./continuation";
import type { Db } from "./db";
import { foldName, isVersionId } from "./key-names";
import type {
  KeyBackupRecord,
  KeyBundleRecord,
  KeyBundleWithMaterial,
  KeyVersionRecord,
  Page,
  PageRequest,
  StoredRotationPolicy,
} from "./key-records";
import {
  KEY_COLUMNS,
  VERSION_COLUMNS,
  bundleRecord,
  keyRecord,
  versionRecord,
  type KeyRow,
  type MaterialRow,
  type VersionRow,
} from "./key-rows";
import type { StoreContext } from "./store-context";
import { deletedKeyNotFound, keyNotFound } from "./store-errors";

type State = "live" | "deleted";

const STATE_FILTER: Record<State, string> = {
  live: "k.deleted_date IS NULL",
  deleted: "k.deleted_date IS NOT NULL",
};

/** One key with one version (the latest when `version` is absent), or null. */
export async function selectBundle(db: Db, name: string, version: string | undefined, state: State): Promise<KeyBundleRecord | null> {
  const row = await selectBundleRow<KeyRow & VersionRow>(db, name, version, state, "");
  return row ? bundleRecord(row) : null;
}

async function selectBundleRow<T>(db: Db, name: string, version: string | undefined, state: State, extra: string): Promise<T | null> {
  const wanted = version?.toLowerCase();
  // A malformed version cannot exist; answering "not found" avoids a query and a CHECK-shaped error.
  if (wanted !== undefined && !isVersionId(wanted)) return null;
  const { rows } = await db.query<T>(
    `SELECT ${KEY_COLUMNS}, ${VERSION_COLUMNS}${extra}
       FROM keys k JOIN key_versions v ON v.key_id = k.id AND v.version = COALESCE($2, k.latest_version)
      WHERE k.name_folded = $1 AND ${STATE_FILTER[state]}`,
    [foldName(name), wanted ?? null],
  );
  return rows[0] ?? null;
}

export async function getKey(ctx: StoreContext, name: string, version?: string): Promise<KeyBundleRecord> {
  const bundle = await selectBundle(ctx.db, name, version, "live");
  if (!bundle) throw keyNotFound(name, version);
  return bundle;
}

/** For a cryptographic operation: the version and its decrypted material in one round trip. */
export async function getKeyWithMaterial(ctx: StoreContext, name: string, version?: string): Promise<KeyBundleWithMaterial> {
  const row = await selectBundleRow<KeyRow & VersionRow & MaterialRow>(ctx.db, name, version, "live", ", v.material");
  if (!row) throw keyNotFound(name, version);
  const { key, version: record } = bundleRecord(row);
  return { key, version: { ...record, material: openMaterial(ctx, record, row.material) } };
}

export async function getDeletedKey(ctx: StoreContext, name: string): Promise<KeyBundleRecord> {
  const bundle = await selectBundle(ctx.db, name, undefined, "deleted");
  if (!bundle) throw deletedKeyNotFound(name);
  return bundle;
}

export function listKeys(ctx: StoreContext, page: PageRequest = {}): Promise<Page<KeyBundleRecord>> {
  return listByName(ctx, "live", page);
}

export function listDeletedKeys(ctx: StoreContext, page: PageRequest = {}): Promise<Page<KeyBundleRecord>> {
  return listByName(ctx, "deleted", page);
}

async function listByName(ctx: StoreContext, state: State, page: PageRequest): Promise<Page<KeyBundleRecord>> {
  const limit = pageSize(page.limit);
  const of = state === "live" ? "keys" : "deleted-keys";
  const after = page.continuation ? String(decodeContinuation(page.continuation, of)) : "";
  // Served by the partial index on name_folded for this state: one range scan of limit + 1 entries.
  const { rows } = await ctx.db.query<KeyRow & VersionRow>(
    `SELECT ${KEY_COLUMNS}, ${VERSION_COLUMNS}
       FROM keys k JOIN key_versions v ON v.key_id = k.id AND v.version = k.latest_version
      WHERE ${STATE_FILTER[state]} AND k.name_folded > $1
      ORDER BY k.name_folded
      LIMIT $2`,
    [after, limit + 1],
  );
  const items = rows.slice(0, limit).map(bundleRecord);
  const last = items.at(-1);
  return { items, continuation: rows.length > limit && last ? encodeContinuation(of, foldName(last.key.name)) : null };
}

/** Versions of a live key, oldest first. */
export async function listVersions(ctx: StoreContext, name: string, page: PageRequest = {}): Promise<Page<KeyVersionRecord>> {
  const limit = pageSize(page.limit);
  const of = `versions:${foldName(name)}`;
  const after = page.continuation ? Number(decodeContinuation(page.continuation, of)) : 0;
  const key = await selectKeyRow(ctx.db, name, "live");
  if (!key) throw keyNotFound(name);
  const { rows } = await ctx.db.query<VersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM key_versions v WHERE v.key_id = $1 AND v.seq > $2 ORDER BY v.seq LIMIT $3`,
    [key.key_id, after, limit + 1],
  );
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map((row) => versionRecord(key.name, row)),
    continuation: rows.length > limit && last ? encodeContinuation(of, last.seq) : null,
  };
}

/** Everything a backup blob needs: the key and all its versions with material, oldest first. */
export async function getKeyBackup(ctx: StoreContext, name: string): Promise<KeyBackupRecord> {
  return ctx.db.transaction(async (tx) => {
    const key = await selectKeyRow(tx, name, "live");
    if (!key) throw keyNotFound(name);
    const { rows } = await tx.query<VersionRow & MaterialRow>(
      `SELECT ${VERSION_COLUMNS}, v.material FROM key_versions v WHERE v.key_id = $1 ORDER BY v.seq`,
      [key.key_id],
    );
    return {
      key: keyRecord(key),
      versions: rows.map((row) => {
        const record = versionRecord(key.name, row);
        return { ...record, material: openMaterial(ctx, record, row.material) };
      }),
    };
  });
}

export async function getRotationPolicy(ctx: StoreContext, name: string): Promise<StoredRotationPolicy | null> {
  const key = await selectKeyRow(ctx.db, name, "live");
  if (!key) throw keyNotFound(name);
  return key.rotation_policy;
}

export async function selectKeyRow(db: Db, name: string, state: State | "any", lock = false): Promise<KeyRow | null> {
  const filter = state === "any" ? "" : ` AND ${STATE_FILTER[state]}`;
  const { rows } = await db.query<KeyRow>(
    `SELECT ${KEY_COLUMNS} FROM keys k WHERE k.name_folded = $1${filter}${lock ? " FOR UPDATE" : ""}`,
    [foldName(name)],
  );
  return rows[0] ?? null;
}

function openMaterial(ctx: StoreContext, version: KeyVersionRecord, sealed: Uint8Array): Buffer {
  try {
    return ctx.cipher.open(version.name, version.version, sealed);
  } catch (err) {
    if (err instanceof MaterialDecryptionError) {
      throw new TargetError("InternalError", "the key material could not be decrypted", "MaterialUnreadable");
    }
    throw err;
  }
}
