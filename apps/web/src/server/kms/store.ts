import type { KmsKeySpec, KmsKeyUsage, KmsOrigin, KmsProtectionLevel, KmsTags, WrappingAlgorithm, WrappingKeySpec } from "@keyward/shared";
import type { Db } from "../store";

/**
 * The KMS endpoint's rows (migration 003_kms). Plain queries on a handle: the service decides the
 * transactions. Row shapes are held to these unions by CHECK constraints.
 */
export interface KmsKeyRow {
  key_id: string;
  key_spec: KmsKeySpec;
  key_usage: KmsKeyUsage;
  origin: KmsOrigin;
  protection_level: KmsProtectionLevel;
  description: string;
  creation_date: number;
  primary_key_version: string;
  tags: KmsTags;
  /** Sealed under the domain key; null while an external key awaits import. */
  material: Uint8Array | null;
  material_fingerprint: Uint8Array | null;
  material_expire: number | null;
}

export interface KmsTokenRow {
  token_hash: Uint8Array;
  key_id: string;
  wrapping_algorithm: WrappingAlgorithm;
  wrapping_key_spec: WrappingKeySpec;
  private_key: Uint8Array;
  created: number;
  expires: number;
}

export async function insertKey(db: Db, row: KmsKeyRow): Promise<void> {
  await db.query(
    `INSERT INTO kms_keys (key_id, key_spec, key_usage, origin, protection_level, description, creation_date, primary_key_version,
                           tags, material, material_fingerprint, material_expire)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12)`,
    [
      row.key_id,
      row.key_spec,
      row.key_usage,
      row.origin,
      row.protection_level,
      row.description,
      row.creation_date,
      row.primary_key_version,
      JSON.stringify(row.tags),
      row.material,
      row.material_fingerprint,
      row.material_expire,
    ],
  );
}

/** `lock` takes the row lock that serialises writes to one key (imports racing with deletes, expiry…). */
export async function selectKey(db: Db, keyId: string, lock = false): Promise<KmsKeyRow | undefined> {
  const { rows } = await db.query<KmsKeyRow>(`SELECT * FROM kms_keys WHERE key_id = $1${lock ? " FOR UPDATE" : ""}`, [keyId]);
  return rows[0];
}

export async function selectAliasTarget(db: Db, alias: string): Promise<string | undefined> {
  const { rows } = await db.query<{ key_id: string }>("SELECT key_id FROM kms_aliases WHERE alias_name = $1", [alias]);
  return rows[0]?.key_id;
}

export async function listKeyIds(db: Db, limit: number, offset: number): Promise<{ keyIds: string[]; total: number }> {
  const { rows } = await db.query<{ key_id: string }>("SELECT key_id FROM kms_keys ORDER BY creation_date, key_id LIMIT $1 OFFSET $2", [limit, offset]);
  const count = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM kms_keys");
  return { keyIds: rows.map((r) => r.key_id), total: count.rows[0]?.n ?? 0 };
}

/** False when the alias is taken. */
export async function insertAlias(db: Db, alias: string, keyId: string, now: number): Promise<boolean> {
  const { rows } = await db.query<{ alias_name: string }>(
    "INSERT INTO kms_aliases (alias_name, key_id, created) VALUES ($1, $2, $3) ON CONFLICT (alias_name) DO NOTHING RETURNING alias_name",
    [alias, keyId, now],
  );
  return rows.length === 1;
}

export async function updateTags(db: Db, keyId: string, tags: KmsTags): Promise<void> {
  await db.query("UPDATE kms_keys SET tags = $2::jsonb WHERE key_id = $1", [keyId, JSON.stringify(tags)]);
}

export async function setMaterial(db: Db, keyId: string, sealed: Uint8Array, fingerprint: Uint8Array, expire: number | null): Promise<void> {
  await db.query("UPDATE kms_keys SET material = $2, material_fingerprint = $3, material_expire = $4 WHERE key_id = $1", [keyId, sealed, fingerprint, expire]);
}

/** Delete the material (never the fingerprint): the key waits for the same material again. */
export async function clearMaterial(db: Db, keyId: string): Promise<void> {
  await db.query("UPDATE kms_keys SET material = NULL, material_expire = NULL WHERE key_id = $1", [keyId]);
}

/** Delete every material whose expiry has come; the ids of the keys it touched. */
export async function clearExpiredMaterial(db: Db, now: number): Promise<string[]> {
  const { rows } = await db.query<{ key_id: string }>(
    "UPDATE kms_keys SET material = NULL, material_expire = NULL WHERE material_expire IS NOT NULL AND material_expire <= $1 RETURNING key_id",
    [now],
  );
  return rows.map((r) => r.key_id).sort();
}

export async function insertToken(db: Db, row: KmsTokenRow): Promise<void> {
  await db.query(
    `INSERT INTO kms_import_tokens (token_hash, key_id, wrapping_algorithm, wrapping_key_spec, private_key, created, expires)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.token_hash, row.key_id, row.wrapping_algorithm, row.wrapping_key_spec, row.private_key, row.created, row.expires],
  );
}

export async function selectToken(db: Db, tokenHash: Uint8Array): Promise<KmsTokenRow | undefined> {
  const { rows } = await db.query<KmsTokenRow>("SELECT * FROM kms_import_tokens WHERE token_hash = $1", [tokenHash]);
  return rows[0];
}

/** Tokens long expired: kept a while so that their use is answered "expired" rather than "invalid". */
export async function deleteTokensExpiredBefore(db: Db, before: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>("WITH gone AS (DELETE FROM kms_import_tokens WHERE expires < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone", [before]);
  return rows[0]?.n ?? 0;
}
