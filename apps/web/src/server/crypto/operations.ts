import { checkAlgorithmForKey, checkDigest } from "@keyward/shared";
import type { Algorithm, AlgorithmCheck, KeyOp } from "@keyward/shared";
import { badParameter } from "./errors";
import type { CryptoErrorCode } from "./errors";
import { keySpecOf } from "./material";
import type { KeyMaterial } from "./material";
import { decryptAes, encryptAes } from "./lib/aes-encrypt";
import { aesUnwrap, aesWrap, unwrapInputProblem, wrapInputProblem } from "./lib/aes-kw";
import { isAesEncryption, isAesKeyWrap, isEcSignature, isRsaEncryption, isRsaSignature } from "./lib/algorithm-guards";
import { signEc, verifyEc } from "./lib/ec-sign";
import { ecKeys, octKey, rsaKeys } from "./lib/key-objects";
import { decryptRsa, decryptRsaOffLoop, encryptRsa } from "./lib/rsa-encrypt";
import { signRsa, signRsaOffLoop, verifyRsa } from "./lib/rsa-sign";

/*
 * The key operations of the Key Vault data plane, over key material. Authorization, key_ops,
 * enabled and nbf/exp are the caller's business; this module answers "can this key do this
 * algorithm, and what comes out". Every refusal is a TargetError 400 with a specific inner code.
 */

export interface EncryptParameters {
  /** AES-CBC: required (16 bytes). AES-GCM: optional 12-byte nonce; one is drawn when absent. */
  iv?: Uint8Array | undefined;
  /** AES-GCM only. */
  aad?: Uint8Array | undefined;
}

export interface DecryptParameters extends EncryptParameters {
  /** AES-GCM only: the 16-byte authentication tag. */
  tag?: Uint8Array | undefined;
}

export interface EncryptResult {
  value: Uint8Array;
  /** AES only: the iv used (drawn here for AES-GCM when none was given). */
  iv?: Uint8Array;
  /** AES-GCM only. */
  tag?: Uint8Array;
}

const CHECK_CODES: Record<Exclude<AlgorithmCheck, { ok: true }>["code"], CryptoErrorCode> = {
  ALG_KEY_TYPE: "AlgorithmKeyType",
  ALG_KEY_SIZE: "AlgorithmKeySize",
  ALG_OPERATION: "AlgorithmOperation",
};

function requireAlgorithm(material: KeyMaterial, alg: Algorithm, op: KeyOp): void {
  const check = checkAlgorithmForKey(alg, keySpecOf(material), op);
  if (!check.ok) throw badParameter(CHECK_CODES[check.code], check.message);
}

/** Reached only if shared's algorithm table and the families here disagree: a bug, not a caller error. */
function unreachable(alg: Algorithm, op: KeyOp): never {
  throw new Error(`crypto: no implementation of ${alg} for ${op}`);
}

function refuseAesParameters(alg: Algorithm, p: DecryptParameters): void {
  for (const name of ["iv", "aad", "tag"] as const) {
    if (p[name] !== undefined) throw badParameter("ParameterNotApplicable", `${alg} takes no ${name}; it applies to AES algorithms only`);
  }
}

export function encrypt(material: KeyMaterial, alg: Algorithm, plaintext: Uint8Array, params: EncryptParameters = {}): EncryptResult {
  requireAlgorithm(material, alg, "encrypt");
  if (material.kty === "RSA" && isRsaEncryption(alg)) {
    refuseAesParameters(alg, params);
    return { value: encryptRsa(rsaKeys(material), alg, plaintext) };
  }
  if (material.kty === "oct" && isAesEncryption(alg)) {
    const { ciphertext, iv, tag } = encryptAes(octKey(material), alg, plaintext, params);
    return tag === undefined ? { value: ciphertext, iv } : { value: ciphertext, iv, tag };
  }
  return unreachable(alg, "encrypt");
}

export function decrypt(material: KeyMaterial, alg: Algorithm, ciphertext: Uint8Array, params: DecryptParameters = {}): Uint8Array {
  requireAlgorithm(material, alg, "decrypt");
  if (material.kty === "RSA" && isRsaEncryption(alg)) {
    refuseAesParameters(alg, params);
    return decryptRsa(rsaKeys(material), alg, ciphertext);
  }
  if (material.kty === "oct" && isAesEncryption(alg)) return decryptAes(octKey(material), alg, ciphertext, params);
  return unreachable(alg, "decrypt");
}

const wrapMode = (alg: Algorithm) => (alg === "CKM_AES_KEY_WRAP_PAD" ? "kwp" : "kw");

/** RSA: the encryption schemes. AES: A128/192/256KW and CKM_AES_KEY_WRAP (RFC 3394), CKM_AES_KEY_WRAP_PAD (RFC 5649). */
export function wrapKey(material: KeyMaterial, alg: Algorithm, key: Uint8Array): Uint8Array {
  requireAlgorithm(material, alg, "wrapKey");
  if (material.kty === "RSA" && isRsaEncryption(alg)) return encryptRsa(rsaKeys(material), alg, key);
  if (material.kty === "oct" && isAesKeyWrap(alg)) {
    const problem = wrapInputProblem(wrapMode(alg), key.length);
    if (problem !== undefined) throw badParameter("KeyWrapInputLength", `${alg}: ${problem}`);
    return aesWrap(wrapMode(alg), octKey(material), key);
  }
  return unreachable(alg, "wrapKey");
}

export function unwrapKey(material: KeyMaterial, alg: Algorithm, wrapped: Uint8Array): Uint8Array {
  requireAlgorithm(material, alg, "unwrapKey");
  if (material.kty === "RSA" && isRsaEncryption(alg)) return decryptRsa(rsaKeys(material), alg, wrapped);
  if (material.kty === "oct" && isAesKeyWrap(alg)) {
    const problem = unwrapInputProblem(wrapMode(alg), wrapped.length);
    if (problem !== undefined) throw badParameter("CiphertextLength", `${alg}: ${problem}`);
    const key = aesUnwrap(wrapMode(alg), octKey(material), wrapped);
    if (key === undefined) throw badParameter("KeyUnwrapFailed", `${alg}: the integrity check failed (wrong key or altered wrapped key)`);
    return key;
  }
  return unreachable(alg, "unwrapKey");
}

function requireDigest(alg: Algorithm, digest: Uint8Array): void {
  if (!isRsaSignature(alg) && !isEcSignature(alg)) return;
  const check = checkDigest(alg, digest);
  if (!check.ok) throw badParameter("DigestLength", check.message);
}

/** Signs a digest the caller computed (Key Vault never hashes). Signatures are PKCS#1 bytes or ECDSA r || s. */
export function sign(material: KeyMaterial, alg: Algorithm, digest: Uint8Array): Uint8Array {
  requireAlgorithm(material, alg, "sign");
  requireDigest(alg, digest);
  if (material.kty === "RSA" && isRsaSignature(alg)) return signRsa(rsaKeys(material), alg, digest);
  if (material.kty === "EC" && isEcSignature(alg)) return signEc(ecKeys(material), digest);
  return unreachable(alg, "sign");
}

/** False for any signature that does not verify; throws only for a request that cannot be right (algorithm, digest length). */
export function verify(material: KeyMaterial, alg: Algorithm, digest: Uint8Array, signature: Uint8Array): boolean {
  requireAlgorithm(material, alg, "verify");
  requireDigest(alg, digest);
  if (material.kty === "RSA" && isRsaSignature(alg)) return verifyRsa(rsaKeys(material), alg, digest, signature);
  if (material.kty === "EC" && isEcSignature(alg)) return verifyEc(ecKeys(material), digest, signature);
  return unreachable(alg, "verify");
}

/*
 * What request handlers call: the same operations, with RSA private-key work (sign, decrypt,
 * unwrapKey) on a worker thread so that one slow signature does not hold every other request.
 */

export async function signOffLoop(material: KeyMaterial, alg: Algorithm, digest: Uint8Array): Promise<Uint8Array> {
  requireAlgorithm(material, alg, "sign");
  requireDigest(alg, digest);
  if (material.kty === "RSA" && isRsaSignature(alg)) return signRsaOffLoop(rsaKeys(material), alg, digest);
  return sign(material, alg, digest);
}

export async function decryptOffLoop(material: KeyMaterial, alg: Algorithm, ciphertext: Uint8Array, params: DecryptParameters = {}): Promise<Uint8Array> {
  requireAlgorithm(material, alg, "decrypt");
  if (material.kty === "RSA" && isRsaEncryption(alg)) {
    refuseAesParameters(alg, params);
    return decryptRsaOffLoop(rsaKeys(material), alg, ciphertext);
  }
  return decrypt(material, alg, ciphertext, params);
}

export async function unwrapKeyOffLoop(material: KeyMaterial, alg: Algorithm, wrapped: Uint8Array): Promise<Uint8Array> {
  requireAlgorithm(material, alg, "unwrapKey");
  if (material.kty === "RSA" && isRsaEncryption(alg)) return decryptRsaOffLoop(rsaKeys(material), alg, wrapped);
  return unwrapKey(material, alg, wrapped);
}
