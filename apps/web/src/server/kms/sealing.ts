import { createHmac, timingSafeEqual } from "node:crypto";
import type { WrappingAlgorithm } from "@keyward/shared";
import { decryptMaterial, encryptMaterial, type DomainKey } from "../domain-key";

/**
 * Everything the KMS endpoint keeps secret at rest, under the instance's domain key as Key Vault
 * keys are: key material (bound to its key id) and import-token private keys (bound to the token, its
 * key and its algorithm, so a row edited to point elsewhere no longer opens). Fingerprints of
 * external material are HMACs under a key derived from the domain key: comparable, never reversible.
 */
export interface KmsSealing {
  sealMaterial(keyId: string, material: Uint8Array): Buffer;
  openMaterial(keyId: string, sealed: Uint8Array): Buffer;
  sealTokenKey(token: TokenBinding, pkcs8: Uint8Array): Buffer;
  openTokenKey(token: TokenBinding, sealed: Uint8Array): Buffer;
  fingerprint(keyId: string, material: Uint8Array): Buffer;
  sameFingerprint(a: Uint8Array, b: Uint8Array): boolean;
}

export interface TokenBinding {
  tokenHash: Uint8Array;
  keyId: string;
  algorithm: WrappingAlgorithm;
}

const materialAad = (keyId: string) => Buffer.from(`keyward/kms-material/v1\0${keyId}`, "utf8");
const tokenAad = (t: TokenBinding) => Buffer.from(`keyward/kms-import-token/v1\0${Buffer.from(t.tokenHash).toString("hex")}\0${t.keyId}\0${t.algorithm}`, "utf8");

export function kmsSealing(domainKey: DomainKey): KmsSealing {
  // Domain-separated from every other use of the domain key. Derived on first use: a target awaiting
  // the restore of its security domain has no domain key yet.
  let derived: Buffer | undefined;
  const fingerprintKey = () => (derived ??= createHmac("sha256", domainKey.secret).update("keyward kms material fingerprint key v1").digest());
  return {
    sealMaterial: (keyId, material) => encryptMaterial(domainKey, materialAad(keyId), material),
    openMaterial: (keyId, sealed) => decryptMaterial(domainKey, materialAad(keyId), sealed),
    sealTokenKey: (token, pkcs8) => encryptMaterial(domainKey, tokenAad(token), pkcs8),
    openTokenKey: (token, sealed) => decryptMaterial(domainKey, tokenAad(token), sealed),
    // Bound to the key: the same material imported into two keys gives two unrelated fingerprints.
    fingerprint: (keyId, material) => createHmac("sha256", fingerprintKey()).update(`keyward/kms-material-fingerprint/v1\0${keyId}\0`).update(material).digest(),
    sameFingerprint: (a, b) => a.length === b.length && timingSafeEqual(a, b),
  };
}
