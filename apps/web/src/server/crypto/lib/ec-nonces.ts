import { createECDH, randomBytes } from "node:crypto";
import { bytesToBigInt } from "./bytes";
import type { CurveInfo } from "./curves";

/*
 * ECDSA per-signature values, precomputed in batches: r = x(k·G) mod n and k⁻¹ mod n for a fresh
 * random k. k·G is OpenSSL's (ECDH.generateKeys draws k uniformly in [1, n-1] from its DRBG and
 * multiplies in constant time); the inverses come from noble's batch inversion, so one modular
 * inversion (the costliest step in JavaScript) serves a whole batch. The batch is multiplied by a
 * random blinding factor first, so the inversion's variable running time says nothing about any k.
 * Each pair is handed out once and dropped; the pool lives in this process only (a forked or
 * worker process starts with its own empty pool).
 */

export interface Nonce {
  r: bigint;
  kInverse: bigint;
}

const BATCH = 32;
const pools = new Map<string, Nonce[]>();

function refill(curve: CurveInfo, pool: Nonce[]): void {
  const Fn = curve.noble.Point.Fn;
  const ecdh = createECDH(curve.openssl);
  const ks: bigint[] = [];
  const rs: bigint[] = [];
  while (ks.length < BATCH) {
    ecdh.generateKeys();
    const r = Fn.create(bytesToBigInt(ecdh.getPublicKey().subarray(1, 1 + curve.bytes)));
    if (r === 0n) continue;
    ks.push(bytesToBigInt(ecdh.getPrivateKey()));
    rs.push(r);
  }
  // 64 extra random bits make the reduction's bias negligible; + 1 keeps the factor non-zero.
  const blind = (bytesToBigInt(randomBytes(Fn.BYTES + 8)) % (Fn.ORDER - 1n)) + 1n;
  const inverses = Fn.invertBatch(ks.map((k) => Fn.mul(k, blind)));
  inverses.forEach((inverse, i) => pool.push({ r: rs[i] ?? 0n, kInverse: Fn.mul(inverse, blind) }));
}

export function takeNonce(curve: CurveInfo): Nonce {
  let pool = pools.get(curve.openssl);
  if (pool === undefined) {
    pool = [];
    pools.set(curve.openssl, pool);
  }
  for (;;) {
    const nonce = pool.pop();
    if (nonce !== undefined) return nonce;
    refill(curve, pool);
  }
}
