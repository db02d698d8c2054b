import { constants, privateDecrypt, publicEncrypt } from "node:crypto";
import type { RSA_ENCRYPTION_ALGORITHMS } from "@keyward/shared";
import { badParameter } from "../errors";
import { HASHES } from "./hashes";
import { decodeEmePkcs1 } from "./eme-pkcs1";
import type { RsaKeys } from "./key-objects";
import { RsaPrivateOperationFailed, runRsaPrivate, type RsaPrivateJob } from "./rsa-private-pool";

export type RsaEncryptionAlgorithm = (typeof RSA_ENCRYPTION_ALGORITHMS)[number];

// OAEP hashes the label and masks with MGF1 over the same hash (Node sets both from oaepHash).
const OAEP_HASH = { "RSA-OAEP": "sha1", "RSA-OAEP-256": "sha256" } as const;

/** Longest plaintext the padding leaves room for (RFC 8017 §7.1.1, §7.2.1). */
function maxPlaintext(alg: RsaEncryptionAlgorithm, modulusBytes: number): number {
  return alg === "RSA1_5" ? modulusBytes - 11 : modulusBytes - 2 * HASHES[OAEP_HASH[alg]].bytes - 2;
}

/** Encrypt and wrapKey are the same primitive for RSA. */
export function encryptRsa(keys: RsaKeys, alg: RsaEncryptionAlgorithm, plaintext: Uint8Array): Buffer {
  const max = maxPlaintext(alg, keys.modulusBytes);
  if (plaintext.length > max) {
    throw badParameter("PlaintextLength", `${alg} with this ${keys.modulusBits}-bit key encrypts at most ${max} bytes; got ${plaintext.length}`);
  }
  if (alg === "RSA1_5") return publicEncrypt({ key: keys.publicKey, padding: constants.RSA_PKCS1_PADDING }, plaintext);
  return publicEncrypt({ key: keys.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[alg] }, plaintext);
}

const FAILED = "the ciphertext could not be decrypted with this key and algorithm";

/**
 * RSA1_5 is decrypted raw and unpadded here, so that a padding failure takes the same path as any
 * other; OAEP is OpenSSL's.
 */
function decryptionJob(keys: RsaKeys, alg: RsaEncryptionAlgorithm, ciphertext: Uint8Array): RsaPrivateJob {
  if (ciphertext.length !== keys.modulusBytes) {
    throw badParameter("CiphertextLength", `${alg} ciphertext for this ${keys.modulusBits}-bit key is ${keys.modulusBytes} bytes; got ${ciphertext.length}`);
  }
  if (alg === "RSA1_5") return { op: "decrypt", key: keys.privateKey, padding: constants.RSA_NO_PADDING, input: ciphertext };
  return { op: "decrypt", key: keys.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[alg], input: ciphertext };
}

/**
 * Every padding failure gives the same error. For RSA1_5 that error still tells a caller whether a
 * chosen ciphertext was PKCS#1-conformant (Bleichenbacher); callers allowed to decrypt learn
 * nothing they could not decrypt anyway, but RSA-OAEP should be preferred.
 */
function plaintextOf(alg: RsaEncryptionAlgorithm, output: Buffer): Buffer {
  if (alg !== "RSA1_5") return output;
  const message = decodeEmePkcs1(output);
  const plaintext = message === undefined ? undefined : Buffer.from(message);
  output.fill(0);
  if (plaintext === undefined) throw badParameter("DecryptionFailed", FAILED);
  return plaintext;
}

export function decryptRsa(keys: RsaKeys, alg: RsaEncryptionAlgorithm, ciphertext: Uint8Array): Buffer {
  const job = decryptionJob(keys, alg, ciphertext);
  let output: Buffer;
  try {
    output = privateDecrypt({ key: job.key, padding: job.padding, ...(job.oaepHash ? { oaepHash: job.oaepHash } : {}) }, job.input);
  } catch {
    throw badParameter("DecryptionFailed", FAILED);
  }
  return plaintextOf(alg, output);
}

/** decryptRsa on a worker thread (see rsa-private-pool.ts). */
export async function decryptRsaOffLoop(keys: RsaKeys, alg: RsaEncryptionAlgorithm, ciphertext: Uint8Array): Promise<Buffer> {
  const job = decryptionJob(keys, alg, ciphertext);
  let output: Buffer;
  try {
    output = await runRsaPrivate(job);
  } catch (err) {
    if (err instanceof RsaPrivateOperationFailed) throw badParameter("DecryptionFailed", FAILED);
    throw err;
  }
  return plaintextOf(alg, output);
}
