import type { DeletedKeyBundle, DeletedKeyItem, KeyAttributesOutput, KeyBundle, KeyItem, RecoveryLevel } from "@keyward/shared";
import type { KeyBundleRecord, KeyRecord, KeyVersionRecord } from "../store/key-records";

/** How the target's identifiers are spelled: `https://host/keys/name/version`. */
export interface Naming {
  baseUrl: string;
}

export const keyId = (n: Naming, name: string) => `${n.baseUrl}/keys/${name}`;
export const versionId = (n: Naming, name: string, version: string) => `${n.baseUrl}/keys/${name}/${version}`;
export const recoveryId = (n: Naming, name: string) => `${n.baseUrl}/deletedkeys/${name}`;

function recoveryLevel(days: number): RecoveryLevel {
  return days >= 90 ? "Recoverable+Purgeable" : "CustomizedRecoverable+Purgeable";
}

function attributes(key: KeyRecord, v: KeyVersionRecord): KeyAttributesOutput {
  const a = v.attributes;
  return {
    enabled: a.enabled,
    ...(a.nbf !== null ? { nbf: a.nbf } : {}),
    ...(a.exp !== null ? { exp: a.exp } : {}),
    created: a.created,
    updated: a.updated,
    recoverableDays: key.recoverableDays,
    recoveryLevel: recoveryLevel(key.recoverableDays),
    exportable: a.exportable,
    hsmPlatform: v.hsmPlatform,
  };
}

export function toKeyBundle(n: Naming, { key, version: v }: KeyBundleRecord): KeyBundle {
  return {
    key: { kid: versionId(n, key.name, v.version), kty: v.kty, key_ops: [...v.keyOps], ...v.publicJwk },
    attributes: attributes(key, v),
    tags: v.tags,
    ...(key.managed ? { managed: true } : {}),
    ...(v.releasePolicy ? { release_policy: { ...v.releasePolicy } } : {}),
  };
}

export function toDeletedKeyBundle(n: Naming, r: KeyBundleRecord): DeletedKeyBundle {
  const deletion = r.key.deletion ?? { deletedDate: 0, scheduledPurgeDate: 0 };
  return { ...toKeyBundle(n, r), recoveryId: recoveryId(n, r.key.name), ...deletion };
}

/** A list item names the key (lists) or the version (list versions), never carries key material. */
export function toKeyItem(n: Naming, r: KeyBundleRecord, withVersion: boolean): KeyItem {
  return {
    kid: withVersion ? versionId(n, r.key.name, r.version.version) : keyId(n, r.key.name),
    attributes: attributes(r.key, r.version),
    tags: r.version.tags,
    ...(r.key.managed ? { managed: true } : {}),
  };
}

export function toDeletedKeyItem(n: Naming, r: KeyBundleRecord): DeletedKeyItem {
  const deletion = r.key.deletion ?? { deletedDate: 0, scheduledPurgeDate: 0 };
  return { ...toKeyItem(n, r, false), recoveryId: recoveryId(n, r.key.name), ...deletion };
}
