import { createPublicKey, randomBytes } from "node:crypto";
import {
  BridgeError,
  CBC_HS512_KEY_BYTES,
  decryptRsaJwe,
  RSA_SIZES,
  SecurityDomainError,
  SECURITY_DOMAIN_JWE_ENC,
  SHARE_JWE_ALG,
  splitCompactJwe,
  type RsaPublicJwk,
} from "@keyward/shared";
import type { Session } from "../pkcs11/token.js";
import { decryptOaepSha256, type OaepSha256Path, type TokenRsaKey } from "./oaep-decrypt.js";
import { OaepDecodingError } from "./oaep-sha256.js";

/** A token key that opens RSA-OAEP-256 JWEs, and the path the token takes for it. */
export interface JweKey {
  session: Session;
  path: OaepSha256Path | null;
  key: TokenRsaKey;
}

/**
 * Opens an RSA-OAEP-256 / A256CBC-HS512 JWE (a share) with a private key in the token. `refusal` makes
 * the error for a JWE this key cannot open; `detail` is given only for problems of form, found before
 * any decryption. Everything after that ends in one and the same refusal: a content key that does not
 * decrypt (or is not 64 bytes) is replaced by a random one, as RFC 7516 §11.5 advises, so that a bad
 * RSA block and an altered ciphertext fail alike — in the same place, at the authentication tag.
 */
export async function openJweInToken(jweKey: JweKey, jwe: string, refusal: (detail?: string) => BridgeError): Promise<Uint8Array> {
  if (jweKey.path === null) {
    throw new BridgeError("MECHANISM_UNSUPPORTED", "this token can do neither CKM_RSA_PKCS_OAEP with SHA-256 nor CKM_RSA_X_509: it cannot open RSA-OAEP-256 shares");
  }
  const path = jweKey.path;
  try {
    const { header } = splitCompactJwe(jwe);
    if (header.alg !== SHARE_JWE_ALG || header.enc !== SECURITY_DOMAIN_JWE_ENC) {
      throw refusal(`expected a ${SHARE_JWE_ALG} / ${SECURITY_DOMAIN_JWE_ENC} JWE; got ${JSON.stringify(header.alg)} / ${JSON.stringify(header.enc)}`);
    }
  } catch (err) {
    if (err instanceof SecurityDomainError) throw refusal(err.message);
    throw err;
  }
  const unwrap = async (encryptedKey: Uint8Array): Promise<Uint8Array> => {
    try {
      const cek = await decryptOaepSha256(jweKey.session, path, jweKey.key, encryptedKey);
      if (cek.length === CBC_HS512_KEY_BYTES) return cek;
      cek.fill(0);
    } catch (err) {
      if (!(err instanceof OaepDecodingError)) throw err;
    }
    return randomBytes(CBC_HS512_KEY_BYTES);
  };
  try {
    return await decryptRsaJwe(jwe, unwrap);
  } catch (err) {
    if (err instanceof SecurityDomainError) throw refusal();
    throw err;
  }
}

/** A key shares or master keys are encrypted to must be RSA 2048, 3072 or 4096 with exponent 65537. */
export function requireRsaRecipient(jwk: RsaPublicJwk, what: string): void {
  let bits = 0;
  try {
    bits = createPublicKey({ key: { kty: "RSA", n: jwk.n, e: jwk.e }, format: "jwk" }).asymmetricKeyDetails?.modulusLength ?? 0;
  } catch {
    throw new BridgeError("INVALID_COMMAND", `${what} is not a readable RSA public key`);
  }
  if (!(RSA_SIZES as readonly number[]).includes(bits) || jwk.e !== "AQAB") {
    throw new BridgeError("INVALID_COMMAND", `${what} is RSA-${bits} with exponent ${jwk.e}; it must be RSA 2048, 3072 or 4096 with exponent 65537`);
  }
}
