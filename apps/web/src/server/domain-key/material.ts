import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { DomainKey } from "./domain-key";

/**
 * Sealed material layout, version 1:  0x01 | IV (12) | ciphertext | GCM tag (16).
 * The leading byte is authenticated with the caller's AAD, so a blob cannot be passed off as another format.
 */
const FORMAT_V1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Fixed wording: a failure to open key material must say nothing about the material or the key. */
export class MaterialDecryptionError extends Error {
  constructor() {
    super("key material could not be decrypted");
    this.name = "MaterialDecryptionError";
  }
}

export function encryptMaterial(domainKey: DomainKey, aad: Uint8Array, plaintext: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const header = Buffer.of(FORMAT_V1);
  const cipher = createCipheriv("aes-256-gcm", domainKey.secret, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([header, aad]));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, ciphertext, cipher.getAuthTag()]);
}

export function decryptMaterial(domainKey: DomainKey, aad: Uint8Array, sealed: Uint8Array): Buffer {
  const blob = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== FORMAT_V1) throw new MaterialDecryptionError();
  const iv = blob.subarray(1, 1 + IV_BYTES);
  const ciphertext = blob.subarray(1 + IV_BYTES, blob.length - TAG_BYTES);
  const tag = blob.subarray(blob.length - TAG_BYTES);
  // Outside the try: a domain key still awaiting restore must say so, not pass for damaged material.
  const secret = domainKey.secret;
  try {
    const decipher = createDecipheriv("aes-256-gcm", secret, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.concat([blob.subarray(0, 1), aad]));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    // Node's message ("Unsupported state or unable to authenticate data") adds nothing a caller may act on.
    throw new MaterialDecryptionError();
  }
}

/**
 * The AAD that binds material to one key version. Names are folded because Key Vault names are
 * case-insensitive: `MyKey` and `mykey` are the same key.
 */
export function materialAad(name: string, version: string): Buffer {
  return Buffer.from(`keyward/key-material/v1\0${name.toLowerCase()}\0${version}`, "utf8");
}

/** What the key store needs to keep material encrypted at rest, whatever holds the domain key. */
export interface MaterialCipher {
  seal(name: string, version: string, plaintext: Uint8Array): Buffer;
  open(name: string, version: string, sealed: Uint8Array): Buffer;
}

export function materialCipher(domainKey: DomainKey): MaterialCipher {
  return {
    seal: (name, version, plaintext) => encryptMaterial(domainKey, materialAad(name, version), plaintext),
    open: (name, version, sealed) => decryptMaterial(domainKey, materialAad(name, version), sealed),
  };
}
