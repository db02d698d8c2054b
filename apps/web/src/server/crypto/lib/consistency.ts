import { createECDH, timingSafeEqual } from "node:crypto";
import type { EcKeyMaterial, RsaKeyMaterial } from "../material";
import { bytesToBigInt, fromBase64url } from "./bytes";
import { ecKeys } from "./key-objects";

/*
 * Imported material is checked before it is stored: a key whose private and public halves disagree
 * would sign things its published public key does not verify, and inconsistent RSA CRT values are
 * what fault attacks feed on. Messages name the failed relation, never a value.
 */

const gcd = (a: bigint, b: bigint): bigint => {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
};

export function rsaInconsistency(m: RsaKeyMaterial): string | undefined {
  const [n, e, d, p, q, dp, dq, qi] = [m.n, m.e, m.d, m.p, m.q, m.dp, m.dq, m.qi].map((v) => bytesToBigInt(fromBase64url(v))) as [
    bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint,
  ];
  if (p <= 1n || q <= 1n || p * q !== n) return "p × q is not the modulus";
  if (e < 3n || e % 2n === 0n) return "the public exponent is not an odd number ≥ 3";
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  if ((e * d) % lambda !== 1n) return "the private exponent is not the inverse of the public exponent";
  if (dp !== d % (p - 1n) || dq !== d % (q - 1n)) return "the CRT exponents do not match the private exponent";
  if ((qi * q) % p !== 1n) return "the CRT coefficient is not q⁻¹ mod p";
  return undefined;
}

/** d must be in [1, n-1] and d·G must be the stated public point (computed by OpenSSL). */
export function ecInconsistency(m: EcKeyMaterial): string | undefined {
  const keys = ecKeys(m);
  const ecdh = createECDH(keys.curve.openssl);
  try {
    ecdh.setPrivateKey(fromBase64url(m.d));
  } catch {
    return "the private scalar is out of range for the curve";
  }
  const computed = ecdh.getPublicKey();
  const stated = Buffer.from(keys.publicPoint);
  return computed.length === stated.length && timingSafeEqual(computed, stated) ? undefined : "the public point is not d·G";
}
