import { constants, privateDecrypt, publicEncrypt, randomBytes } from "node:crypto";
import type { KeyObject } from "node:crypto";
import type { RsaKeyMaterial } from "../material";
import { aesUnwrap, aesWrap } from "./aes-kw";
import { wipe } from "./bytes";
import { rsaKeys } from "./key-objects";

/*
 * CKM_RSA_AES_KEY_WRAP (PKCS#11 v2.40 §2.1.21) and its SHA-2 variants: a fresh AES key is
 * RSA-OAEP-encrypted under the recipient's public key and wraps the payload with RFC 5649.
 * Output = OAEP(aesKey) || KWP(aesKey, payload); the first part is exactly the modulus length.
 * The same construction carries a .byok target (always SHA-1) and a secure-key-release payload.
 */

export const RSA_AES_KEY_WRAP_ALGORITHMS = ["CKM_RSA_AES_KEY_WRAP", "RSA_AES_KEY_WRAP_256", "RSA_AES_KEY_WRAP_384"] as const;
export type RsaAesKeyWrapAlgorithm = (typeof RSA_AES_KEY_WRAP_ALGORITHMS)[number];

// OAEP label hash and MGF1 hash are the same (Node sets both from oaepHash), as Key Vault and its sidecar use.
const OAEP_HASH = { CKM_RSA_AES_KEY_WRAP: "sha1", RSA_AES_KEY_WRAP_256: "sha256", RSA_AES_KEY_WRAP_384: "sha384" } as const;

const TRANSFER_KEY_BYTES = 32;
const AES_KEY_BYTES: readonly number[] = [16, 24, 32];
const MIN_KWP_BYTES = 16;

export function wrapRsaAes(publicKey: KeyObject, alg: RsaAesKeyWrapAlgorithm, payload: Uint8Array): Buffer {
  const aesKey = randomBytes(TRANSFER_KEY_BYTES);
  try {
    const wrappedKey = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[alg] }, aesKey);
    return Buffer.concat([wrappedKey, aesWrap("kwp", aesKey, payload)]);
  } finally {
    wipe(aesKey);
  }
}

export type RsaAesUnwrapResult =
  | { ok: true; plaintext: Buffer }
  | {
      ok: false;
      /** LENGTH: not modulus + a KWP block. WRAPPED_KEY: OAEP failed. AES_KEY_LENGTH: not 128/192/256. PAYLOAD: KWP integrity failed. */
      code: "LENGTH" | "WRAPPED_KEY" | "AES_KEY_LENGTH" | "PAYLOAD";
      message: string;
    };

/** The inverse, with the recipient's private key. Messages give lengths only. */
export function unwrapRsaAes(ciphertext: Uint8Array, key: RsaKeyMaterial, alg: RsaAesKeyWrapAlgorithm): RsaAesUnwrapResult {
  const { privateKey, modulusBytes, modulusBits } = rsaKeys(key);
  const rest = ciphertext.length - modulusBytes;
  if (rest < MIN_KWP_BYTES || rest % 8 !== 0) {
    return {
      ok: false,
      code: "LENGTH",
      message: `the ciphertext is ${ciphertext.length} bytes; for a ${modulusBits}-bit key it is ${modulusBytes} bytes plus a multiple of 8, at least ${MIN_KWP_BYTES}`,
    };
  }
  let aesKey: Buffer;
  try {
    aesKey = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[alg] },
      ciphertext.subarray(0, modulusBytes),
    );
  } catch {
    return { ok: false, code: "WRAPPED_KEY", message: "the wrapped AES key does not decrypt with this RSA key" };
  }
  try {
    if (!AES_KEY_BYTES.includes(aesKey.length)) {
      return { ok: false, code: "AES_KEY_LENGTH", message: `the wrapped AES key is ${aesKey.length} bytes; expected 16, 24 or 32` };
    }
    const plaintext = aesUnwrap("kwp", aesKey, ciphertext.subarray(modulusBytes));
    if (plaintext === undefined) {
      return { ok: false, code: "PAYLOAD", message: "the wrapped payload fails its integrity check" };
    }
    return { ok: true, plaintext };
  } finally {
    wipe(aesKey);
  }
}
