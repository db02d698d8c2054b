import { createPublicKey } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { badParameter } from "./errors";
import type { KeyMaterial } from "./material";
import type { RsaPublicJwk } from "./public-key";
import { wipe } from "./lib/bytes";
import { octKey, privateKeyObject } from "./lib/key-objects";
import { wrapRsaAes } from "./lib/rsa-aes-key-wrap";
import type { RsaAesKeyWrapAlgorithm } from "./lib/rsa-aes-key-wrap";

export { RSA_AES_KEY_WRAP_ALGORITHMS, unwrapRsaAes } from "./lib/rsa-aes-key-wrap";
export type { RsaAesKeyWrapAlgorithm, RsaAesUnwrapResult } from "./lib/rsa-aes-key-wrap";

/** A release must not be weaker than the key it carries out; 2048 bits is also Key Vault's floor for RSA. */
const MIN_WRAPPING_KEY_BITS = 2048;

function wrappingKeyObject(jwk: RsaPublicJwk): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e }, format: "jwk" });
  } catch {
    throw badParameter("ReleaseWrappingKey", "the attestation's runtime key is not a valid RSA public JWK");
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_WRAPPING_KEY_BITS) {
    throw badParameter("ReleaseWrappingKey", `the attestation's runtime key is RSA-${bits}; at least ${MIN_WRAPPING_KEY_BITS} bits are required`);
  }
  return key;
}

/**
 * Secure key release: the key's material — PKCS#8 DER for RSA and EC, raw bytes for AES — wrapped
 * for the attested runtime key with CKM_RSA_AES_KEY_WRAP (OAEP-SHA1), RSA_AES_KEY_WRAP_256 or
 * RSA_AES_KEY_WRAP_384. Returns the ciphertext that goes into the released `key_hsm` envelope.
 */
export function releaseKeyMaterial(material: KeyMaterial, wrappingKey: RsaPublicJwk, alg: RsaAesKeyWrapAlgorithm): Uint8Array {
  const recipient = wrappingKeyObject(wrappingKey);
  if (material.kty === "oct") return wrapRsaAes(recipient, alg, octKey(material));
  const der = privateKeyObject(material).export({ format: "der", type: "pkcs8" });
  try {
    return wrapRsaAes(recipient, alg, der);
  } finally {
    wipe(der);
  }
}
