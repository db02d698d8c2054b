import { bigIntToBytes, bytesToBigInt } from "./bytes";
import { takeNonce } from "./ec-nonces";
import type { EcKeys } from "./key-objects";

/*
 * ECDSA over a digest (Key Vault's ES256/ES256K/ES384/ES512 take the digest, not the message).
 *
 * Why not noble's sign alone: on the reference machine it makes about 1,000 P-256 signatures/s
 * against OpenSSL's ~40,000, and the local target is benchmarked against OpenSSL. So the expensive,
 * secret-dependent step (k·G) is OpenSSL's and the inversion is batched (see ec-nonces.ts); what
 * remains here is s = k⁻¹(z + r·d) mod n with noble's field. Verification (public data) is noble's.
 */

/** bits2int (RFC 6979 §2.3.2): the leftmost bit-length-of-n bits of the digest, as an integer. */
function bits2int(digest: Uint8Array, orderBits: number): bigint {
  const value = bytesToBigInt(digest);
  const excess = digest.length * 8 - orderBits;
  return excess > 0 ? value >> BigInt(excess) : value;
}

/** Returns r || s, each as long as the group order (the JWS and Key Vault form). */
export function signEc(keys: EcKeys, digest: Uint8Array): Buffer {
  const Fn = keys.curve.noble.Point.Fn;
  const z = Fn.create(bits2int(digest, Fn.BITS));
  for (;;) {
    const { r, kInverse } = takeNonce(keys.curve);
    const s = Fn.mul(kInverse, Fn.add(z, Fn.mul(r, keys.d)));
    if (s === 0n) continue;
    return Buffer.concat([bigIntToBytes(r, Fn.BYTES), bigIntToBytes(s, Fn.BYTES)]);
  }
}

/** Never throws for a bad signature. Accepts high-S signatures: ECDSA as OpenSSL and Key Vault define it. */
export function verifyEc(keys: EcKeys, digest: Uint8Array, signature: Uint8Array): boolean {
  const { noble } = keys.curve;
  if (signature.length !== 2 * noble.Point.Fn.BYTES) return false;
  try {
    return noble.verify(signature, digest, keys.publicPoint, { prehash: false, lowS: false, format: "compact" });
  } catch {
    return false;
  }
}
