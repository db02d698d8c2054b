import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { CipherGCMTypes } from "node:crypto";
import type { AES_ENCRYPTION_ALGORITHMS } from "@keyward/shared";
import { badParameter } from "../errors";

export type AesEncryptionAlgorithm = (typeof AES_ENCRYPTION_ALGORITHMS)[number];

export interface AesParameters {
  iv?: Uint8Array | undefined;
  aad?: Uint8Array | undefined;
  tag?: Uint8Array | undefined;
}

export interface AesEncryptResult {
  ciphertext: Buffer;
  iv: Buffer;
  /** AES-GCM only. */
  tag?: Buffer;
}

const GCM_IV_BYTES = 12;
const GCM_TAG_BYTES = 16;
const BLOCK = 16;

type Mode = "gcm" | "cbc" | "cbcpad";

function modeOf(alg: AesEncryptionAlgorithm): Mode {
  if (alg.endsWith("GCM")) return "gcm";
  return alg.endsWith("CBCPAD") ? "cbcpad" : "cbc";
}

/** Parameters a mode does not use are refused rather than ignored: an ignored aad reads as authenticated. */
function checkParameters(alg: AesEncryptionAlgorithm, mode: Mode, p: AesParameters, decrypting: boolean): void {
  if (mode !== "gcm" && p.aad !== undefined) throw badParameter("ParameterNotApplicable", `${alg} does not authenticate data; aad applies to AES-GCM only`);
  if (mode !== "gcm" && p.tag !== undefined) throw badParameter("ParameterNotApplicable", `${alg} has no authentication tag; tag applies to AES-GCM only`);
  if (mode === "gcm" && !decrypting && p.tag !== undefined) throw badParameter("ParameterNotApplicable", `${alg} encryption produces the tag; do not send one`);
  if (p.iv === undefined) {
    // AES-GCM encryption draws its own nonce; every other case needs the caller's.
    if (mode !== "gcm" || decrypting) throw badParameter("IvRequired", `${alg} ${decrypting ? "decryption" : "encryption"} needs an iv`);
    return;
  }
  const ivBytes = mode === "gcm" ? GCM_IV_BYTES : BLOCK;
  if (p.iv.length !== ivBytes) throw badParameter("IvLength", `${alg} takes a ${ivBytes}-byte iv; got ${p.iv.length}`);
}

// Literal cipher names, so Node's typings pick the GCM overloads (authTagLength, setAAD).
const GCM: Record<number, CipherGCMTypes> = { 16: "aes-128-gcm", 24: "aes-192-gcm", 32: "aes-256-gcm" };
const CBC: Record<number, string> = { 16: "aes-128-cbc", 24: "aes-192-cbc", 32: "aes-256-cbc" };

function cipherName<T>(table: Record<number, T>, key: Uint8Array): T {
  const name = table[key.length];
  // Key sizes are checked against the algorithm before any cipher is made.
  if (name === undefined) throw new Error(`crypto: no AES cipher for a ${key.length}-byte key`);
  return name;
}

export function encryptAes(key: Uint8Array, alg: AesEncryptionAlgorithm, plaintext: Uint8Array, p: AesParameters): AesEncryptResult {
  const mode = modeOf(alg);
  checkParameters(alg, mode, p, false);
  if (mode === "cbc" && plaintext.length % BLOCK !== 0) {
    throw badParameter("PlaintextLength", `${alg} does not pad: the plaintext must be a multiple of ${BLOCK} bytes; got ${plaintext.length}. Use ${alg}PAD to pad`);
  }
  const iv = Buffer.from(p.iv ?? randomBytes(GCM_IV_BYTES));
  if (mode === "gcm") {
    const cipher = createCipheriv(cipherName(GCM, key), key, iv, { authTagLength: GCM_TAG_BYTES });
    if (p.aad !== undefined) cipher.setAAD(p.aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { ciphertext, iv, tag: cipher.getAuthTag() };
  }
  const cipher = createCipheriv(cipherName(CBC, key), key, iv);
  cipher.setAutoPadding(mode === "cbcpad");
  return { ciphertext: Buffer.concat([cipher.update(plaintext), cipher.final()]), iv };
}

/** Authentication and padding failures give one message: the tag or the padding is what a wrong key breaks. */
export function decryptAes(key: Uint8Array, alg: AesEncryptionAlgorithm, ciphertext: Uint8Array, p: AesParameters): Buffer {
  const mode = modeOf(alg);
  checkParameters(alg, mode, p, true);
  const iv = p.iv ?? Buffer.alloc(0);
  if (mode === "gcm") {
    if (p.tag === undefined) throw badParameter("TagRequired", `${alg} decryption needs the authentication tag`);
    if (p.tag.length !== GCM_TAG_BYTES) throw badParameter("TagLength", `${alg} takes a ${GCM_TAG_BYTES}-byte tag; got ${p.tag.length}`);
    const decipher = createDecipheriv(cipherName(GCM, key), key, iv, { authTagLength: GCM_TAG_BYTES });
    decipher.setAuthTag(p.tag);
    if (p.aad !== undefined) decipher.setAAD(p.aad);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    } catch {
      throw badParameter("DecryptionFailed", `${alg} authentication failed: wrong key, iv, aad or tag, or altered ciphertext`);
    }
  }
  if (ciphertext.length % BLOCK !== 0 || (mode === "cbcpad" && ciphertext.length === 0)) {
    throw badParameter("CiphertextLength", `${alg} ciphertext is a ${mode === "cbcpad" ? "non-empty " : ""}multiple of ${BLOCK} bytes; got ${ciphertext.length}`);
  }
  const decipher = createDecipheriv(cipherName(CBC, key), key, iv);
  decipher.setAutoPadding(mode === "cbcpad");
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw badParameter("DecryptionFailed", `${alg} decryption failed: the padding is invalid (wrong key or iv, or altered ciphertext)`);
  }
}
