import { constants, generateKeyPairSync, publicEncrypt, randomBytes } from "node:crypto";
import pkcs11js from "pkcs11js";
import type { Session } from "../pkcs11/token.js";
import { isPkcs11Error } from "../pkcs11/errors.js";
import { stripZeros } from "./objects.js";
import { decodeOaepSha256, OaepDecodingError } from "./oaep-sha256.js";
import { oaepMechanism } from "./oaep.js";
import { destroyQuietly } from "./wrap.js";

/**
 * RSA-OAEP-256 decryption with a private key that stays in the token. Where the token implements
 * CKM_RSA_PKCS_OAEP with SHA-256 it does all of it ("token"); where it does not (SoftHSM 2.6.1 answers
 * CKR_ARGUMENTS_BAD), it does the raw RSA private operation, CKM_RSA_X_509, and the bridge removes
 * the OAEP padding ("raw-rsa"). Which one is decided once per token, at start, by trying.
 */
export type OaepSha256Path = "token" | "raw-rsa";

/** A private key in the token and its modulus (public, read from the key). */
export interface TokenRsaKey {
  handle: Buffer;
  modulus: Buffer;
}

// What a token answers for a ciphertext it cannot decrypt (as opposed to a fault of the token).
const CKR_DATA_INVALID = 0x20;
const CKR_DATA_LEN_RANGE = 0x21;
const CKR_ENCRYPTED_DATA_INVALID = 0x40;
const CKR_ENCRYPTED_DATA_LEN_RANGE = 0x41;
const UNDECRYPTABLE = new Set([CKR_DATA_INVALID, CKR_DATA_LEN_RANGE, CKR_ENCRYPTED_DATA_INVALID, CKR_ENCRYPTED_DATA_LEN_RANGE]);

/**
 * The plaintext of `ciphertext`, or OaepDecodingError when it is not a valid RSA-OAEP-256 block for
 * this key. PKCS#11 faults other than "cannot decrypt this" are thrown as they are (an HSM fault must
 * not look like a bad ciphertext).
 */
export async function decryptOaepSha256(s: Session, path: OaepSha256Path, key: TokenRsaKey, ciphertext: Uint8Array): Promise<Buffer> {
  const modulus = stripZeros(key.modulus);
  const k = modulus.length;
  // Public checks (length, c < n): a token fails these with vague codes (SoftHSM: CKR_GENERAL_ERROR).
  if (ciphertext.length !== k || Buffer.compare(Buffer.from(ciphertext), modulus) >= 0) throw new OaepDecodingError();
  if (path === "token") {
    try {
      s.p11.C_DecryptInit(s.handle, oaepMechanism("SHA-256"), key.handle);
      return await s.p11.C_DecryptAsync(s.handle, Buffer.from(ciphertext), Buffer.alloc(k));
    } catch (err) {
      if (isPkcs11Error(err) && UNDECRYPTABLE.has(err.code)) throw new OaepDecodingError();
      throw err;
    }
  }
  s.p11.C_DecryptInit(s.handle, { mechanism: pkcs11js.CKM_RSA_X_509 }, key.handle);
  const raw = await s.p11.C_DecryptAsync(s.handle, Buffer.from(ciphertext), Buffer.alloc(k));
  // Some tokens drop the leading zero bytes of the result; EME-OAEP needs the full k bytes.
  const em = Buffer.alloc(k);
  raw.copy(em, k - raw.length);
  try {
    return decodeOaepSha256(em);
  } finally {
    raw.fill(0);
    em.fill(0);
  }
}

/**
 * Which path this token takes, found by decrypting in the token a block Node encrypted with
 * RSA-OAEP-256 to a throwaway key imported as a session object. Null: the token can do neither.
 */
export async function probeOaepSha256Path(s: Session): Promise<OaepSha256Path | null> {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" });
  const part = (v: string | undefined) => Buffer.from(v ?? "", "base64url");
  const modulus = part(jwk.n);
  let handle: Buffer;
  try {
    handle = s.p11.C_CreateObject(s.handle, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
      { type: pkcs11js.CKA_TOKEN, value: false },
      { type: pkcs11js.CKA_DECRYPT, value: true },
      { type: pkcs11js.CKA_MODULUS, value: modulus },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: part(jwk.e) },
      { type: pkcs11js.CKA_PRIVATE_EXPONENT, value: part(jwk.d) },
      { type: pkcs11js.CKA_PRIME_1, value: part(jwk.p) },
      { type: pkcs11js.CKA_PRIME_2, value: part(jwk.q) },
      { type: pkcs11js.CKA_EXPONENT_1, value: part(jwk.dp) },
      { type: pkcs11js.CKA_EXPONENT_2, value: part(jwk.dq) },
      { type: pkcs11js.CKA_COEFFICIENT, value: part(jwk.qi) },
    ]);
  } catch {
    return null;
  }
  try {
    const expected = randomBytes(64);
    const ciphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, expected);
    for (const path of ["token", "raw-rsa"] as const) {
      try {
        if ((await decryptOaepSha256(s, path, { handle, modulus }, ciphertext)).equals(expected)) return path;
      } catch {
        // This path does not work on this token; try the next.
      }
    }
    return null;
  } finally {
    destroyQuietly(s, handle);
  }
}
