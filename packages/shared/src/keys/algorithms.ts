import { z } from "zod";
import type { KeyOp } from "./key-ops.js";
import { describeKeySpec } from "./spec.js";
import type { AesSize, EcCurve, KeyFamily, KeySpec } from "./spec.js";

export const EC_SIGNATURE_ALGORITHMS = ["ES256", "ES256K", "ES384", "ES512"] as const;
export const RSA_ENCRYPTION_ALGORITHMS = ["RSA1_5", "RSA-OAEP", "RSA-OAEP-256"] as const;
export const RSA_SIGNATURE_ALGORITHMS = ["PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "RSNULL"] as const;
export const AES_KEY_WRAP_ALGORITHMS = ["A128KW", "A192KW", "A256KW", "CKM_AES_KEY_WRAP", "CKM_AES_KEY_WRAP_PAD"] as const;
export const AES_ENCRYPTION_ALGORITHMS = [
  "A128GCM", "A192GCM", "A256GCM",
  "A128CBC", "A192CBC", "A256CBC",
  "A128CBCPAD", "A192CBCPAD", "A256CBCPAD",
] as const;

export const SIGNATURE_ALGORITHMS = [...EC_SIGNATURE_ALGORITHMS, ...RSA_SIGNATURE_ALGORITHMS] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

export const ALGORITHMS = [
  ...SIGNATURE_ALGORITHMS,
  ...RSA_ENCRYPTION_ALGORITHMS,
  ...AES_KEY_WRAP_ALGORITHMS,
  ...AES_ENCRYPTION_ALGORITHMS,
] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/** The three operation classes an algorithm can serve. */
export const ALGORITHM_USES = ["signature", "encryption", "keyWrap"] as const;
export type AlgorithmUse = (typeof ALGORITHM_USES)[number];

export const USE_KEY_OPS = {
  signature: ["sign", "verify"],
  encryption: ["encrypt", "decrypt"],
  keyWrap: ["wrapKey", "unwrapKey"],
} as const satisfies Record<AlgorithmUse, readonly KeyOp[]>;

export interface AlgorithmProfile {
  family: KeyFamily;
  uses: readonly AlgorithmUse[];
  /** Set when the algorithm is bound to one curve (ES384 only on P-384). */
  curve?: EcCurve;
  /** Set when the algorithm is bound to one AES size (A256GCM only with AES-256). */
  aesSize?: AesSize;
  /** Digest length the caller must supply to sign/verify; absent for RSNULL, which takes any. */
  digestBytes?: 32 | 48 | 64;
}

const SIGN = ["signature"] as const;
const ENCRYPT = ["encryption"] as const;
const WRAP = ["keyWrap"] as const;
// For RSA, wrapKey is the same primitive as encrypt; Key Vault keeps both ops apart only for authorization.
const ENCRYPT_OR_WRAP = ["encryption", "keyWrap"] as const;

export const ALGORITHM_PROFILES: Readonly<Record<Algorithm, AlgorithmProfile>> = {
  ES256: { family: "EC", uses: SIGN, curve: "P-256", digestBytes: 32 },
  ES256K: { family: "EC", uses: SIGN, curve: "P-256K", digestBytes: 32 },
  ES384: { family: "EC", uses: SIGN, curve: "P-384", digestBytes: 48 },
  ES512: { family: "EC", uses: SIGN, curve: "P-521", digestBytes: 64 },
  PS256: { family: "RSA", uses: SIGN, digestBytes: 32 },
  PS384: { family: "RSA", uses: SIGN, digestBytes: 48 },
  PS512: { family: "RSA", uses: SIGN, digestBytes: 64 },
  RS256: { family: "RSA", uses: SIGN, digestBytes: 32 },
  RS384: { family: "RSA", uses: SIGN, digestBytes: 48 },
  RS512: { family: "RSA", uses: SIGN, digestBytes: 64 },
  RSNULL: { family: "RSA", uses: SIGN },
  RSA1_5: { family: "RSA", uses: ENCRYPT_OR_WRAP },
  "RSA-OAEP": { family: "RSA", uses: ENCRYPT_OR_WRAP },
  "RSA-OAEP-256": { family: "RSA", uses: ENCRYPT_OR_WRAP },
  A128KW: { family: "oct", uses: WRAP, aesSize: 128 },
  A192KW: { family: "oct", uses: WRAP, aesSize: 192 },
  A256KW: { family: "oct", uses: WRAP, aesSize: 256 },
  CKM_AES_KEY_WRAP: { family: "oct", uses: WRAP },
  CKM_AES_KEY_WRAP_PAD: { family: "oct", uses: WRAP },
  A128GCM: { family: "oct", uses: ENCRYPT, aesSize: 128 },
  A192GCM: { family: "oct", uses: ENCRYPT, aesSize: 192 },
  A256GCM: { family: "oct", uses: ENCRYPT, aesSize: 256 },
  A128CBC: { family: "oct", uses: ENCRYPT, aesSize: 128 },
  A192CBC: { family: "oct", uses: ENCRYPT, aesSize: 192 },
  A256CBC: { family: "oct", uses: ENCRYPT, aesSize: 256 },
  A128CBCPAD: { family: "oct", uses: ENCRYPT, aesSize: 128 },
  A192CBCPAD: { family: "oct", uses: ENCRYPT, aesSize: 192 },
  A256CBCPAD: { family: "oct", uses: ENCRYPT, aesSize: 256 },
};

const HASH_NAMES = { 32: "SHA-256", 48: "SHA-384", 64: "SHA-512" } as const;

export const AlgorithmSchema = z.enum(ALGORITHMS, {
  error: (i) => `algorithm ${JSON.stringify(i.input)} is not supported; use ${ALGORITHMS.join(", ")}`,
});

export function isAlgorithm(value: unknown): value is Algorithm {
  return (ALGORITHMS as readonly unknown[]).includes(value);
}

export function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return (SIGNATURE_ALGORITHMS as readonly unknown[]).includes(value);
}

/** The key_ops an algorithm can be used under (RSA-OAEP: encrypt, decrypt, wrapKey, unwrapKey). */
export function keyOpsForAlgorithm(alg: Algorithm): readonly KeyOp[] {
  return ALGORITHM_PROFILES[alg].uses.flatMap((use) => USE_KEY_OPS[use]);
}

export function algorithmServesOp(alg: Algorithm, op: KeyOp): boolean {
  return keyOpsForAlgorithm(alg).includes(op);
}

export type AlgorithmCheck =
  | { ok: true }
  | { ok: false; code: "ALG_KEY_TYPE" | "ALG_KEY_SIZE" | "ALG_OPERATION"; message: string };

/** Whether `alg` may be used with a key of this spec, and why not. Pass `op` to also check the operation class. */
export function checkAlgorithmForKey(alg: Algorithm, spec: KeySpec, op?: KeyOp): AlgorithmCheck {
  const profile = ALGORITHM_PROFILES[alg];
  const key = describeKeySpec(spec);
  if (profile.family !== spec.kty) {
    return { ok: false, code: "ALG_KEY_TYPE", message: `${alg} is for ${profile.family} keys; this key is ${key}` };
  }
  if (spec.kty === "EC" && profile.curve !== undefined && profile.curve !== spec.crv) {
    return { ok: false, code: "ALG_KEY_SIZE", message: `${alg} needs curve ${profile.curve}; this key is ${key}` };
  }
  if (spec.kty === "oct" && profile.aesSize !== undefined && profile.aesSize !== spec.size) {
    return { ok: false, code: "ALG_KEY_SIZE", message: `${alg} needs an AES-${profile.aesSize} key; this key is ${key}` };
  }
  if (op !== undefined && !algorithmServesOp(alg, op)) {
    return { ok: false, code: "ALG_OPERATION", message: `${alg} cannot be used to ${op}; it serves ${keyOpsForAlgorithm(alg).join(", ")}` };
  }
  return { ok: true };
}

/** All algorithms usable with a key of this spec, in vocabulary order. */
export function algorithmsFor(spec: KeySpec): Algorithm[] {
  return ALGORITHMS.filter((alg) => checkAlgorithmForKey(alg, spec).ok);
}

/** Required digest length in bytes, or undefined when any length is accepted (RSNULL). */
export function digestLengthFor(alg: SignatureAlgorithm): number | undefined {
  return ALGORITHM_PROFILES[alg].digestBytes;
}

export type DigestCheck = { ok: true } | { ok: false; code: "DIGEST_LENGTH"; message: string };

/** Key Vault signs a digest, not a message: the caller hashes first, so the length must match the algorithm. */
export function checkDigest(alg: SignatureAlgorithm, digest: Uint8Array): DigestCheck {
  const expected = ALGORITHM_PROFILES[alg].digestBytes;
  if (expected === undefined || digest.length === expected) return { ok: true };
  return {
    ok: false,
    code: "DIGEST_LENGTH",
    message: `${alg} signs a ${expected}-byte ${HASH_NAMES[expected]} digest; got ${digest.length} bytes`,
  };
}
