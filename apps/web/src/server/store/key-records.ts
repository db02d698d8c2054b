import type { EcCurve, KeyOp, KeyType, Tags } from "@keyward/shared";

/** How a version's material came to be in this store. */
export const KEY_ORIGINS = ["generated", "imported", "byok-imported", "restored"] as const;
export type KeyOrigin = (typeof KEY_ORIGINS)[number];

/** The public half of a JWK as Key Vault returns it (base64url fields); empty for oct keys. */
export type PublicJwk = {
  n?: string;
  e?: string;
  crv?: EcCurve;
  x?: string;
  y?: string;
};

/** Key Vault's KeyReleasePolicy: `data` is the base64url of the policy JSON. */
export interface ReleasePolicy {
  contentType: string;
  data: string;
  immutable: boolean;
}

export interface LifetimeAction {
  trigger: { timeAfterCreate?: string; timeBeforeExpiry?: string };
  action: { type: "Rotate" | "Notify" };
}

export interface RotationPolicy {
  lifetimeActions: LifetimeAction[];
  /** ISO-8601 duration given to new versions as their lifetime, e.g. "P90D". */
  expiryTime: string | null;
}

export interface StoredRotationPolicy extends RotationPolicy {
  created: number;
  updated: number;
}

/** Per-version attributes; times are unix seconds, null when not set. */
export interface VersionAttributes {
  enabled: boolean;
  nbf: number | null;
  exp: number | null;
  exportable: boolean;
  created: number;
  updated: number;
}

export interface DeletionInfo {
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** What belongs to the name rather than to one version. */
export interface KeyRecord {
  /** As first created; lookups ignore case. */
  name: string;
  /** The kty of the latest version. */
  kty: KeyType;
  managed: boolean;
  created: number;
  updated: number;
  recoverableDays: number;
  rotationPolicy: StoredRotationPolicy | null;
  /** Null while the key is live. */
  deletion: DeletionInfo | null;
  latestVersion: string;
  versionCount: number;
}

export interface KeyVersionRecord {
  name: string;
  /** 32 lower-case hex characters. */
  version: string;
  kty: KeyType;
  keyOps: KeyOp[];
  attributes: VersionAttributes;
  tags: Tags;
  releasePolicy: ReleasePolicy | null;
  publicJwk: PublicJwk;
  origin: KeyOrigin;
  /** "0": material held in software, encrypted under the domain key. */
  hsmPlatform: string;
}

/** A key with one of its versions: what GET /keys/{name}/{version} and the list endpoints report. */
export interface KeyBundleRecord {
  key: KeyRecord;
  version: KeyVersionRecord;
}

/** A version with its decrypted private or secret material (PKCS#8 DER for RSA/EC, raw bytes for oct). */
export interface KeyVersionWithMaterial extends KeyVersionRecord {
  material: Buffer;
}

export interface KeyBundleWithMaterial {
  key: KeyRecord;
  version: KeyVersionWithMaterial;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Null on the last page. */
  continuation: string | null;
}

export interface PageRequest {
  /** 1 to 1000; 25 when absent (Key Vault's maximum `maxresults`). */
  limit?: number | undefined;
  continuation?: string | null | undefined;
}

/** A new version's content. Material is plaintext here; the store encrypts it before it is written. */
export interface NewVersion {
  kty: KeyType;
  keyOps: readonly KeyOp[];
  enabled?: boolean | undefined;
  nbf?: number | null | undefined;
  exp?: number | null | undefined;
  exportable?: boolean | undefined;
  tags?: Tags | undefined;
  releasePolicy?: ReleasePolicy | null | undefined;
  publicJwk: PublicJwk;
  material: Uint8Array;
  origin: KeyOrigin;
  hsmPlatform: string;
}

export interface NewKey extends NewVersion {
  name: string;
  managed?: boolean | undefined;
}

/** A version taken from a backup: its id and times are kept. */
export interface RestoredVersion extends Omit<NewVersion, "origin"> {
  version: string;
  created: number;
  updated: number;
}

export interface RestoredKey {
  name: string;
  managed?: boolean | undefined;
  rotationPolicy?: RotationPolicy | null | undefined;
  /** Oldest first; the last one becomes the latest version. */
  versions: readonly RestoredVersion[];
}

/** Fields a PATCH may change; absent fields stay as they are, `null` clears nbf/exp/release policy. */
export interface VersionPatch {
  keyOps?: readonly KeyOp[] | undefined;
  enabled?: boolean | undefined;
  nbf?: number | null | undefined;
  exp?: number | null | undefined;
  exportable?: boolean | undefined;
  tags?: Tags | undefined;
  releasePolicy?: ReleasePolicy | null | undefined;
}

/** A whole backup: the key and every version with its material. */
export interface KeyBackupRecord {
  key: KeyRecord;
  versions: KeyVersionWithMaterial[];
}
