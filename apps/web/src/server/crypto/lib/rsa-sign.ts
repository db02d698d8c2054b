import { constants, privateEncrypt, publicDecrypt, timingSafeEqual } from "node:crypto";
import type { RSA_SIGNATURE_ALGORITHMS } from "@keyward/shared";
import { badParameter } from "../errors";
import { DIGEST_INFO_PREFIX } from "./hashes";
import { emsaPssEncode, emsaPssVerify } from "./emsa-pss";
import type { RsaKeys } from "./key-objects";
import { runRsaPrivate } from "./rsa-private-pool";

export type RsaSignatureAlgorithm = (typeof RSA_SIGNATURE_ALGORITHMS)[number];

type Scheme =
  | { kind: "pkcs1"; hash: keyof typeof DIGEST_INFO_PREFIX }
  | { kind: "pss"; hash: keyof typeof DIGEST_INFO_PREFIX }
  | { kind: "raw" };

const SCHEMES: Readonly<Record<RsaSignatureAlgorithm, Scheme>> = {
  RS256: { kind: "pkcs1", hash: "sha256" },
  RS384: { kind: "pkcs1", hash: "sha384" },
  RS512: { kind: "pkcs1", hash: "sha512" },
  PS256: { kind: "pss", hash: "sha256" },
  PS384: { kind: "pss", hash: "sha384" },
  PS512: { kind: "pss", hash: "sha512" },
  // RSNULL: PKCS#1 v1.5 type-1 padding around the caller's bytes, no DigestInfo (the caller brings its own).
  RSNULL: { kind: "raw" },
};

/** PKCS#1 v1.5 padding takes at least 11 bytes of the modulus. */
const PKCS1_OVERHEAD = 11;

/** The payload RSASSA-PKCS1-v1_5 pads: DigestInfo || digest, or the raw value for RSNULL. */
function pkcs1Payload(scheme: Scheme, digest: Uint8Array): Uint8Array {
  return scheme.kind === "pkcs1" ? Buffer.concat([DIGEST_INFO_PREFIX[scheme.hash], digest]) : digest;
}

/** What the raw private operation signs: the padded PSS encoding, or a PKCS#1 v1.5 payload OpenSSL pads. */
function signatureInput(keys: RsaKeys, alg: RsaSignatureAlgorithm, digest: Uint8Array): { padding: number; input: Uint8Array } {
  const scheme = SCHEMES[alg];
  if (scheme.kind === "pss") {
    const em = emsaPssEncode(scheme.hash, digest, keys.modulusBits - 1);
    // emLen is k - 1 only when the modulus bit length is 1 mod 8; the raw operation wants k bytes.
    const input = em.length < keys.modulusBytes ? Buffer.concat([Buffer.alloc(keys.modulusBytes - em.length), em]) : em;
    return { padding: constants.RSA_NO_PADDING, input };
  }
  if (scheme.kind === "raw" && (digest.length === 0 || digest.length > keys.modulusBytes - PKCS1_OVERHEAD)) {
    throw badParameter(
      "DigestLength",
      `RSNULL signs 1 to ${keys.modulusBytes - PKCS1_OVERHEAD} bytes with this ${keys.modulusBits}-bit key; got ${digest.length}`,
    );
  }
  // privateEncrypt with PKCS#1 padding is exactly the RSASSA-PKCS1-v1_5 signature primitive on a given payload.
  return { padding: constants.RSA_PKCS1_PADDING, input: pkcs1Payload(scheme, digest) };
}

/**
 * Signs a digest. Digest lengths for RS and PS are checked by the caller (checkDigest); RSNULL takes
 * any value that fits the padding.
 */
export function signRsa(keys: RsaKeys, alg: RsaSignatureAlgorithm, digest: Uint8Array): Buffer {
  const { padding, input } = signatureInput(keys, alg, digest);
  return privateEncrypt({ key: keys.privateKey, padding }, input);
}

/** signRsa on a worker thread (see rsa-private-pool.ts). */
export function signRsaOffLoop(keys: RsaKeys, alg: RsaSignatureAlgorithm, digest: Uint8Array): Promise<Buffer> {
  const { padding, input } = signatureInput(keys, alg, digest);
  return runRsaPrivate({ op: "encrypt", key: keys.privateKey, padding, input });
}

/** Never throws for a bad signature: any failure to verify is `false`. */
export function verifyRsa(keys: RsaKeys, alg: RsaSignatureAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== keys.modulusBytes) return false;
  const scheme = SCHEMES[alg];
  try {
    if (scheme.kind === "pss") {
      const raw = publicDecrypt({ key: keys.publicKey, padding: constants.RSA_NO_PADDING }, signature);
      const emBits = keys.modulusBits - 1;
      const emLen = Math.ceil(emBits / 8);
      const leading = raw.subarray(0, raw.length - emLen);
      if (leading.some((b) => b !== 0)) return false;
      return emsaPssVerify(scheme.hash, digest, raw.subarray(raw.length - emLen), emBits);
    }
    const recovered = publicDecrypt({ key: keys.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    const expected = pkcs1Payload(scheme, digest);
    return recovered.length === expected.length && timingSafeEqual(recovered, expected);
  } catch {
    return false;
  }
}
