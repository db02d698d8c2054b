import pkcs11js from "pkcs11js";
import { CKZ_DATA_SPECIFIED } from "../pkcs11/constants.js";

/** RSA-OAEP with each hash, MGF1 over the same hash (as Key Vault, the KMSes and OpenSSL pair them). */
export const OAEP_HASHES = [
  { name: "SHA-1", hash: pkcs11js.CKM_SHA_1, mgf: pkcs11js.CKG_MGF1_SHA1 },
  { name: "SHA-256", hash: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256 },
  { name: "SHA-384", hash: pkcs11js.CKM_SHA384, mgf: pkcs11js.CKG_MGF1_SHA384 },
  { name: "SHA-512", hash: pkcs11js.CKM_SHA512, mgf: pkcs11js.CKG_MGF1_SHA512 },
] as const;

export type OaepHash = (typeof OAEP_HASHES)[number]["name"];

export function oaepMechanism(hash: OaepHash): pkcs11js.Mechanism {
  const h = OAEP_HASHES.find((x) => x.name === hash) ?? OAEP_HASHES[0];
  return { mechanism: pkcs11js.CKM_RSA_PKCS_OAEP, parameter: { type: pkcs11js.CK_PARAMS_RSA_OAEP, hashAlg: h.hash, mgf: h.mgf, source: CKZ_DATA_SPECIFIED } as pkcs11js.RsaOAEP };
}
