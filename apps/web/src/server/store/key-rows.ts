import type { KeyOp, KeyType, Tags } from "@keyward/shared";
import type {
  KeyBundleRecord,
  KeyOrigin,
  KeyRecord,
  KeyVersionRecord,
  PublicJwk,
  ReleasePolicy,
  StoredRotationPolicy,
} from "./key-records";

/**
 * Row shapes as both drivers return them (int8 as number, jsonb parsed, text[] as array). The
 * column types are held to these unions by CHECK constraints, so mapping does not re-validate.
 */
export interface KeyRow {
  key_id: number;
  name: string;
  key_kty: KeyType;
  managed: boolean;
  key_created: number;
  key_updated: number;
  recoverable_days: number;
  rotation_policy: StoredRotationPolicy | null;
  latest_version: string;
  version_count: number;
  deleted_date: number | null;
  scheduled_purge_date: number | null;
}

export interface VersionRow {
  version: string;
  seq: number;
  kty: KeyType;
  key_ops: KeyOp[];
  enabled: boolean;
  nbf: number | null;
  exp: number | null;
  exportable: boolean;
  created: number;
  updated: number;
  tags: Tags;
  release_policy: ReleasePolicy | null;
  public_jwk: PublicJwk;
  origin: KeyOrigin;
  hsm_platform: string;
}

export interface MaterialRow {
  material: Uint8Array;
}

export const KEY_COLUMNS = `k.id AS key_id, k.name, k.kty AS key_kty, k.managed, k.created AS key_created, k.updated AS key_updated,
  k.recoverable_days, k.rotation_policy, k.latest_version, k.version_count, k.deleted_date, k.scheduled_purge_date`;

export const VERSION_COLUMNS = `v.version, v.seq, v.kty, v.key_ops, v.enabled, v.nbf, v.exp, v.exportable, v.created, v.updated,
  v.tags, v.release_policy, v.public_jwk, v.origin, v.hsm_platform`;

export function keyRecord(row: KeyRow): KeyRecord {
  return {
    name: row.name,
    kty: row.key_kty,
    managed: row.managed,
    created: row.key_created,
    updated: row.key_updated,
    recoverableDays: row.recoverable_days,
    rotationPolicy: row.rotation_policy,
    deletion:
      row.deleted_date === null || row.scheduled_purge_date === null
        ? null
        : { deletedDate: row.deleted_date, scheduledPurgeDate: row.scheduled_purge_date },
    latestVersion: row.latest_version,
    versionCount: row.version_count,
  };
}

export function versionRecord(name: string, row: VersionRow): KeyVersionRecord {
  return {
    name,
    version: row.version,
    kty: row.kty,
    keyOps: row.key_ops,
    attributes: {
      enabled: row.enabled,
      nbf: row.nbf,
      exp: row.exp,
      exportable: row.exportable,
      created: row.created,
      updated: row.updated,
    },
    tags: row.tags,
    releasePolicy: row.release_policy,
    publicJwk: row.public_jwk,
    origin: row.origin,
    hsmPlatform: row.hsm_platform,
  };
}

export function bundleRecord(row: KeyRow & VersionRow): KeyBundleRecord {
  return { key: keyRecord(row), version: versionRecord(row.name, row) };
}
