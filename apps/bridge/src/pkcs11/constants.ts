import pkcs11js from "pkcs11js";

/** Mechanisms and constants pkcs11js does not export (values from PKCS#11 v2.40 / v3.0). */
export const CKM_RSA_AES_KEY_WRAP = 0x1054;
/** RFC 5649 AES key wrap with padding, the v2.40 id SoftHSM 2.6.1 implements. */
export const CKM_AES_KEY_WRAP_PAD = 0x210a;
/** The PKCS#11 v3.0 id of RFC 5649 (CKM_AES_KEY_WRAP_KWP); SoftHSM 2.6.1 does not have it. */
export const CKM_AES_KEY_WRAP_KWP = 0x210b;
export const CKZ_DATA_SPECIFIED = 1;

/** Names for the mechanisms a custodian cares about in a capability report. */
export const MECHANISM_NAMES: ReadonlyMap<number, string> = new Map([
  [pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN, "CKM_RSA_PKCS_KEY_PAIR_GEN"],
  [pkcs11js.CKM_RSA_PKCS, "CKM_RSA_PKCS"],
  [pkcs11js.CKM_RSA_X_509, "CKM_RSA_X_509"],
  [pkcs11js.CKM_RSA_PKCS_OAEP, "CKM_RSA_PKCS_OAEP"],
  [pkcs11js.CKM_RSA_PKCS_PSS, "CKM_RSA_PKCS_PSS"],
  [pkcs11js.CKM_SHA256_RSA_PKCS, "CKM_SHA256_RSA_PKCS"],
  [pkcs11js.CKM_EC_KEY_PAIR_GEN, "CKM_EC_KEY_PAIR_GEN"],
  [pkcs11js.CKM_ECDSA, "CKM_ECDSA"],
  [pkcs11js.CKM_ECDH1_DERIVE, "CKM_ECDH1_DERIVE"],
  [pkcs11js.CKM_AES_KEY_GEN, "CKM_AES_KEY_GEN"],
  [pkcs11js.CKM_AES_ECB, "CKM_AES_ECB"],
  [pkcs11js.CKM_AES_CBC, "CKM_AES_CBC"],
  [pkcs11js.CKM_AES_GCM, "CKM_AES_GCM"],
  [pkcs11js.CKM_AES_KEY_WRAP, "CKM_AES_KEY_WRAP"],
  [CKM_AES_KEY_WRAP_PAD, "CKM_AES_KEY_WRAP_PAD"],
  [CKM_AES_KEY_WRAP_KWP, "CKM_AES_KEY_WRAP_KWP"],
  [CKM_RSA_AES_KEY_WRAP, "CKM_RSA_AES_KEY_WRAP"],
  [pkcs11js.CKM_SHA_1, "CKM_SHA_1"],
  [pkcs11js.CKM_SHA256, "CKM_SHA256"],
  [pkcs11js.CKM_SHA384, "CKM_SHA384"],
  [pkcs11js.CKM_SHA512, "CKM_SHA512"],
]);

export function mechanismHex(id: number): string {
  return `0x${id.toString(16).padStart(8, "0")}`;
}
