import { createPrivateKey } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { EC_CURVES, RSA_SIZES, checkAesKeyLength, parseByok, parseByokBytes, splitByokCiphertext, trimPkcs8Padding } from "@keyward/shared";
import type { ByokEnvelope, ByokErrorCode, EcCurve, KeySpec, Pkcs8PaddingErrorCode } from "@keyward/shared";
import { badParameter } from "./errors";
import type { CryptoErrorCode } from "./errors";
import type { KeyMaterial, RsaKeyMaterial } from "./material";
import { asBuffer, toBase64url, wipe } from "./lib/bytes";
import { ecInconsistency, rsaInconsistency } from "./lib/consistency";
import { curveFromNodeName } from "./lib/curves";
import { materialFromKeyObject } from "./lib/from-key-object";
import { rsaKeys } from "./lib/key-objects";
import { unwrapRsaAes } from "./lib/rsa-aes-key-wrap";
import type { RsaAesUnwrapResult } from "./lib/rsa-aes-key-wrap";

/*
 * BYOK import (Key Vault's `PUT /keys/{name}` with `key_hsm`): open a .byok file with the KEK's
 * private key and turn the target into key material. The caller finds the KEK from `kid` (see
 * readByok) and checks it is an enabled, import-only key of this target, in its validity window.
 */

export const BYOK_KEY_TYPES = ["RSA-HSM", "EC-HSM", "oct-HSM"] as const;
export type ByokKeyType = (typeof BYOK_KEY_TYPES)[number];

export interface ByokDeclaration {
  /** The request's `key.kty`: RSA-HSM, EC-HSM or oct-HSM. */
  kty: string;
  /** The request's `key.crv`; for EC-HSM, when present, the target must be on it. */
  crv?: string | undefined;
}

export interface ImportedKey {
  material: KeyMaterial;
  spec: KeySpec;
}

const ENVELOPE_CODES: Record<ByokErrorCode, CryptoErrorCode> = {
  BYOK_TOO_LARGE: "ByokTooLarge",
  BYOK_MALFORMED: "ByokMalformed",
  BYOK_SCHEMA_VERSION: "ByokSchemaVersion",
  BYOK_ALG: "ByokAlg",
  BYOK_ENC: "ByokEnc",
  BYOK_CIPHERTEXT: "ByokCiphertext",
};

const PKCS8_CODES: Record<Pkcs8PaddingErrorCode, CryptoErrorCode> = {
  PKCS8_NOT_SEQUENCE: "ByokPkcs8Invalid",
  PKCS8_BAD_LENGTH: "ByokPkcs8Invalid",
  PKCS8_TRUNCATED: "ByokPkcs8Invalid",
  PKCS8_TRAILING_DATA: "ByokPkcs8TrailingData",
  PKCS8_PADDING: "ByokPkcs8Padding",
};

const UNWRAP_ERRORS: Record<Exclude<RsaAesUnwrapResult, { ok: true }>["code"], [CryptoErrorCode, string]> = {
  LENGTH: ["ByokTruncated", "the ciphertext is not a KEK-sized block followed by an AES key wrap block; the file is truncated or corrupted"],
  // OAEP cannot tell a blob made for another KEK from a damaged one.
  WRAPPED_KEY: ["ByokWrongKek", "the blob was not wrapped for this KEK or is corrupted"],
  AES_KEY_LENGTH: ["ByokTransferKeyLength", "the blob's transfer key is not a 128, 192 or 256-bit AES key"],
  PAYLOAD: ["ByokTargetCorrupted", "the wrapped target key fails its integrity check (AES key wrap with padding); the file is corrupted"],
};

/** Parses a .byok file (bytes as uploaded, or text). Throws a 400 naming what is wrong with it. */
export function readByok(file: Uint8Array | string): ByokEnvelope {
  const parsed = typeof file === "string" ? parseByok(file) : parseByokBytes(file);
  if (!parsed.ok) throw badParameter(ENVELOPE_CODES[parsed.code], `.byok file: ${parsed.message}`);
  return parsed.value;
}

function declaredType(declared: ByokDeclaration): { kty: ByokKeyType; crv: EcCurve | undefined } {
  const kty = BYOK_KEY_TYPES.find((t) => t === declared.kty);
  if (kty === undefined) {
    throw badParameter("ByokKeyType", `a .byok import declares kty ${JSON.stringify(declared.kty)}; use ${BYOK_KEY_TYPES.join(", ")}`);
  }
  if (declared.crv === undefined) return { kty, crv: undefined };
  if (kty !== "EC-HSM") throw badParameter("ByokTypeMismatch", `crv applies to EC-HSM keys; this import declares ${kty}`);
  const crv = EC_CURVES.find((c) => c === declared.crv);
  if (crv === undefined) {
    throw badParameter("ByokUnsupportedCurve", `curve ${JSON.stringify(declared.crv)} is not supported; use ${EC_CURVES.join(", ")}`);
  }
  return { kty, crv };
}

/**
 * Opens a .byok file for `kek` and returns the target's material, refusing (400, distinct inner
 * codes) a malformed file, another KEK's or a damaged blob, and a target that is not what the
 * request declares or not a size/curve Keyward holds. Secret intermediates are wiped.
 */
export function importByok(file: Uint8Array | string | ByokEnvelope, kek: RsaKeyMaterial, declared: ByokDeclaration): ImportedKey {
  const envelope = typeof file === "string" || file instanceof Uint8Array ? readByok(file) : file;
  const { kty, crv } = declaredType(declared);

  const split = splitByokCiphertext(envelope.ciphertext, rsaKeys(kek).modulusBytes);
  if (!split.ok) {
    throw badParameter(split.code === "BYOK_KEK_SIZE" ? "ByokKekInvalid" : "ByokTruncated", `.byok file: ${split.message}`);
  }
  const opened = unwrapRsaAes(envelope.ciphertext, kek, "CKM_RSA_AES_KEY_WRAP");
  if (!opened.ok) {
    const [code, message] = UNWRAP_ERRORS[opened.code];
    throw badParameter(code, message);
  }
  try {
    return kty === "oct-HSM" ? octTarget(opened.plaintext) : asymmetricTarget(opened.plaintext, kty, crv);
  } finally {
    wipe(opened.plaintext);
  }
}

function octTarget(raw: Uint8Array): ImportedKey {
  const checked = checkAesKeyLength(raw);
  if (!checked.ok) {
    // A private key sent as oct-HSM is a declaration mistake, worth naming as such.
    const actual = pkcs8KeyType(raw);
    if (actual !== undefined) throw badParameter("ByokTypeMismatch", `the wrapped target is ${describe(actual)}; the request declares oct-HSM`);
    throw badParameter("ByokAesKeyLength", `the wrapped target: ${checked.message}`);
  }
  return { material: { kty: "oct", k: toBase64url(raw) }, spec: { kty: "oct", size: checked.size } };
}

function asymmetricTarget(plaintext: Uint8Array, kty: "RSA-HSM" | "EC-HSM", declaredCrv: EcCurve | undefined): ImportedKey {
  const trimmed = trimPkcs8Padding(plaintext);
  if (!trimmed.ok) throw badParameter(PKCS8_CODES[trimmed.code], `the wrapped target is not a PKCS#8 private key: ${trimmed.message}`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: asBuffer(trimmed.der), format: "der", type: "pkcs8" });
  } catch {
    throw badParameter("ByokPkcs8Invalid", "the wrapped target is not a PKCS#8 private key OpenSSL can parse");
  }
  const actual = key.asymmetricKeyType ?? "unknown";
  const expected = kty === "RSA-HSM" ? "rsa" : "ec";
  if (actual !== expected) {
    throw badParameter("ByokTypeMismatch", `the wrapped target is ${describe(actual)}; the request declares ${kty}`);
  }
  if (kty === "RSA-HSM") {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    const size = RSA_SIZES.find((s) => s === bits);
    if (size === undefined) {
      throw badParameter("ByokUnsupportedKeySize", `the wrapped target is RSA-${bits}; supported sizes are ${RSA_SIZES.join(", ")}`);
    }
    const material = materialFromKeyObject(key);
    if (material.kty !== "RSA") throw new Error("crypto: RSA key exported as another type");
    const problem = rsaInconsistency(material);
    if (problem !== undefined) throw badParameter("ByokKeyInconsistent", `the wrapped RSA key is inconsistent: ${problem}`);
    return { material, spec: { kty: "RSA", size } };
  }
  const named = key.asymmetricKeyDetails?.namedCurve;
  const crv = curveFromNodeName(named);
  if (crv === undefined) {
    throw badParameter("ByokUnsupportedCurve", `the wrapped target is on curve ${named ?? "(explicit parameters)"}; supported curves are ${EC_CURVES.join(", ")}`);
  }
  if (declaredCrv !== undefined && declaredCrv !== crv) {
    throw badParameter("ByokTypeMismatch", `the wrapped target is on ${crv}; the request declares ${declaredCrv}`);
  }
  const material = materialFromKeyObject(key, crv);
  if (material.kty !== "EC") throw new Error("crypto: EC key exported as another type");
  const problem = ecInconsistency(material);
  if (problem !== undefined) throw badParameter("ByokKeyInconsistent", `the wrapped EC key is inconsistent: ${problem}`);
  return { material, spec: { kty: "EC", crv } };
}

function pkcs8KeyType(bytes: Uint8Array): string | undefined {
  const trimmed = trimPkcs8Padding(bytes);
  if (!trimmed.ok) return undefined;
  try {
    return createPrivateKey({ key: asBuffer(trimmed.der), format: "der", type: "pkcs8" }).asymmetricKeyType;
  } catch {
    return undefined;
  }
}

function describe(keyType: string): string {
  if (keyType === "rsa") return "an RSA key";
  if (keyType === "ec") return "an EC key";
  if (keyType === "rsa-pss") return "an RSASSA-PSS-only RSA key";
  return `a ${keyType} key`;
}
