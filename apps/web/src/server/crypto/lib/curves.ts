import { p256, p384, p521 } from "@noble/curves/nist.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { ECDSA } from "@noble/curves/abstract/weierstrass.js";
import type { EcCurve } from "@keyward/shared";

export interface CurveInfo {
  /** OpenSSL's name: `createECDH`, `generateKeyPair`, and `asymmetricKeyDetails.namedCurve`. */
  openssl: string;
  /** Node's JWK `crv` (RFC 8812 names secp256k1 where Key Vault says P-256K). */
  nodeJwk: string;
  /** Byte length of a coordinate and of the private scalar. */
  bytes: number;
  noble: ECDSA;
}

export const CURVES: Readonly<Record<EcCurve, CurveInfo>> = {
  "P-256": { openssl: "prime256v1", nodeJwk: "P-256", bytes: 32, noble: p256 },
  "P-256K": { openssl: "secp256k1", nodeJwk: "secp256k1", bytes: 32, noble: secp256k1 },
  "P-384": { openssl: "secp384r1", nodeJwk: "P-384", bytes: 48, noble: p384 },
  "P-521": { openssl: "secp521r1", nodeJwk: "P-521", bytes: 66, noble: p521 },
};

/** Key Vault curve name for an OpenSSL or Node JWK curve name, if Keyward supports it. */
export function curveFromNodeName(name: string | undefined): EcCurve | undefined {
  for (const [crv, info] of Object.entries(CURVES) as [EcCurve, CurveInfo][]) {
    if (name === info.openssl || name === info.nodeJwk) return crv;
  }
  return undefined;
}
