import { TargetError } from "@keyward/shared";

/**
 * The `innererror.code` values this module reports. Every refusal is a 400 BadParameter: the
 * caller sent something the key cannot do, or a blob that does not open. One code per cause, so a
 * client (and a test) can tell them apart without reading the message.
 */
export const CRYPTO_ERROR_CODES = [
  // Algorithm and parameters
  "AlgorithmKeyType",
  "AlgorithmKeySize",
  "AlgorithmOperation",
  "DigestLength",
  "PlaintextLength",
  "CiphertextLength",
  "DecryptionFailed",
  "IvRequired",
  "IvLength",
  "TagRequired",
  "TagLength",
  "ParameterNotApplicable",
  "KeyWrapInputLength",
  "KeyUnwrapFailed",
  "RngCount",
  // Key material handed in as a JWK
  "KeyMaterialInvalid",
  "KeyMaterialUnsupported",
  "KeyMaterialInconsistent",
  // Secure key release
  "ReleaseWrappingKey",
  // .byok import
  "ByokTooLarge",
  "ByokMalformed",
  "ByokSchemaVersion",
  "ByokAlg",
  "ByokEnc",
  "ByokCiphertext",
  "ByokTruncated",
  "ByokKekInvalid",
  "ByokWrongKek",
  "ByokTransferKeyLength",
  "ByokTargetCorrupted",
  "ByokKeyType",
  "ByokTypeMismatch",
  "ByokUnsupportedKeySize",
  "ByokUnsupportedCurve",
  "ByokAesKeyLength",
  "ByokPkcs8Invalid",
  "ByokPkcs8Padding",
  "ByokPkcs8TrailingData",
  "ByokKeyInconsistent",
] as const;
export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[number];

/** A caller error: 400 BadParameter with a specific inner code. Messages never carry key bytes. */
export function badParameter(inner: CryptoErrorCode, message: string): TargetError {
  return new TargetError("BadParameter", message, inner);
}
