import { createHash, createPublicKey, randomBytes, verify as nodeVerify } from "node:crypto";
import type { KeySpec, PublicJwk, TokenKey } from "@keyward/shared";

/**
 * Show that an imported key is the one the HSM generated, without ever seeing it: RSA/EC sign a fresh
 * challenge in the target and verify with the public key the bridge reported; AES encrypt a zero block
 * with a zero IV (CBC of one block = ECB) and compare with the key check value the HSM reported.
 */
export type ProofChallenge =
  | { kind: "sign"; alg: "RS256" | "ES256" | "ES256K" | "ES384" | "ES512"; hash: "sha256" | "sha384" | "sha512"; challenge: Buffer; digest: Buffer }
  | { kind: "encrypt"; alg: "A128CBC" | "A192CBC" | "A256CBC"; plaintext: Buffer; iv: Buffer };

const CURVE_ALG = { "P-256": ["ES256", "sha256"], "P-256K": ["ES256K", "sha256"], "P-384": ["ES384", "sha384"], "P-521": ["ES512", "sha512"] } as const;

export function proofChallenge(spec: KeySpec): ProofChallenge {
  if (spec.kty === "oct") return { kind: "encrypt", alg: `A${spec.size}CBC`, plaintext: Buffer.alloc(16), iv: Buffer.alloc(16) };
  const [alg, hash] = spec.kty === "RSA" ? (["RS256", "sha256"] as const) : CURVE_ALG[spec.crv];
  const challenge = randomBytes(32);
  return { kind: "sign", alg, hash, challenge, digest: createHash(hash).update(challenge).digest() };
}

/** The imported key is not the HSM's, or the HSM reported nothing to compare with. */
export class ProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProofError";
  }
}

function nodePublicKey(jwk: PublicJwk) {
  // Node names secp256k1 by its SEC name; Key Vault says P-256K.
  const key = jwk.kty === "EC" && jwk.crv === "P-256K" ? { ...jwk, crv: "secp256k1" } : jwk;
  return createPublicKey({ key, format: "jwk" });
}

/** Check what the target answered to the challenge against the HSM's report; the proof in words, or a throw. */
export function checkProof(name: string, c: ProofChallenge, output: Uint8Array, hsm: TokenKey): string {
  if (c.kind === "encrypt") {
    const kcv = Buffer.from(output).subarray(0, 3).toString("hex");
    if (kcv !== hsm.kcv) throw new ProofError(`${name}: key check value ${kcv} differs from the HSM's ${hsm.kcv ?? "(none)"}`);
    return `KCV ${kcv} matches the HSM's`;
  }
  if (!hsm.publicJwk) throw new ProofError(`the bridge reported no public key for ${hsm.label}`);
  const key = nodePublicKey(hsm.publicJwk);
  const ok = nodeVerify(c.hash, c.challenge, c.alg === "RS256" ? key : { key, dsaEncoding: "ieee-p1363" }, output);
  if (!ok) throw new ProofError(`${name}: a signature made in the target does not verify with the HSM's public key`);
  return `${c.alg} signature from the target verifies with the HSM's public key`;
}
