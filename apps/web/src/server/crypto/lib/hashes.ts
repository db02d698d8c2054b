import { createHash } from "node:crypto";

export const HASHES = {
  sha1: { bytes: 20 },
  sha256: { bytes: 32 },
  sha384: { bytes: 48 },
  sha512: { bytes: 64 },
} as const;
export type HashName = keyof typeof HASHES;

export function hash(name: HashName, ...parts: Uint8Array[]): Buffer {
  const h = createHash(name);
  for (const part of parts) h.update(part);
  return h.digest();
}

/** MGF1 (RFC 8017 B.2.1): the mask generator of OAEP and PSS. */
export function mgf1(name: HashName, seed: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  const counter = Buffer.alloc(4);
  for (let offset = 0, i = 0; offset < length; i++) {
    counter.writeUInt32BE(i);
    offset += hash(name, seed, counter).copy(out, offset);
  }
  return out;
}

/**
 * DER DigestInfo prefixes (RFC 8017 §9.2 note 1): what RSASSA-PKCS1-v1_5 puts before the digest.
 * Key Vault hands us the digest, so we build the DigestInfo ourselves.
 */
export const DIGEST_INFO_PREFIX = {
  sha256: Buffer.from("3031300d060960864801650304020105000420", "hex"),
  sha384: Buffer.from("3041300d060960864801650304020205000430", "hex"),
  sha512: Buffer.from("3051300d060960864801650304020305000440", "hex"),
} as const;
