import { createHmac, createSecretKey, randomBytes, type KeyObject } from "node:crypto";

export const DOMAIN_KEY_BYTES = 32;

/**
 * The instance's root secret: every key's material at rest is encrypted under it. Held as a
 * KeyObject so that logging or serialising it by mistake prints no bytes.
 */
export interface DomainKey {
  readonly secret: KeyObject;
  /** Names this domain key in logs and backups without revealing it. */
  readonly fingerprint: string;
}

export function domainKeyFromBytes(bytes: Uint8Array): DomainKey {
  if (bytes.length !== DOMAIN_KEY_BYTES) throw new Error(`a domain key is ${DOMAIN_KEY_BYTES} bytes`);
  const secret = createSecretKey(Buffer.from(bytes));
  return { secret, fingerprint: fingerprintOf(secret) };
}

export function generateDomainKeyBytes(): Buffer {
  return randomBytes(DOMAIN_KEY_BYTES);
}

// A one-way, domain-separated derivation: knowing the fingerprint says nothing about the key.
function fingerprintOf(secret: KeyObject): string {
  return createHmac("sha256", secret).update("keyward domain key fingerprint v1").digest("hex").slice(0, 32);
}
