import { createHash, createPublicKey, randomBytes, verify as nodeVerify } from "node:crypto";
import { CryptographyClient, type KeyClient, type KeyVaultKey } from "@azure/keyvault-keys";
import type { TokenCredential } from "@azure/core-auth";
import type { KeySpec, PublicJwk, TokenKey } from "@keyward/shared";
import type { BridgeClient } from "../bridge/client";

export interface CeremonyTarget {
  /** The key's name in the target. */
  name: string;
  /** Its label in the HSM. */
  label: string;
  spec: KeySpec;
}

export interface CeremonyResult {
  name: string;
  kid: string;
  byokSha256: string;
  /** How the imported key was shown to be the HSM's. */
  proof: string;
}

export type CeremonyStep = { step: "kek"; kid: string } | { step: "generated" | "wrapped" | "imported" | "proven"; name: string; detail?: string };

const CURVE_ALG = { "P-256": ["ES256", "sha256"], "P-256K": ["ES256K", "sha256"], "P-384": ["ES384", "sha384"], "P-521": ["ES512", "sha512"] } as const;

function nodePublicKey(jwk: PublicJwk) {
  // Node names secp256k1 by its SEC name; Key Vault says P-256K.
  const key = jwk.kty === "EC" && jwk.crv === "P-256K" ? { ...jwk, crv: "secp256k1" } : jwk;
  return createPublicKey({ key, format: "jwk" });
}

/** The KEK's public key as SubjectPublicKeyInfo PEM: what `az keyvault key download` writes. */
export function kekPem(kek: KeyVaultKey): string {
  if (!kek.key?.n || !kek.key.e) throw new Error(`${kek.name} has no RSA public key`);
  return createPublicKey({ key: { kty: "RSA", n: Buffer.from(kek.key.n).toString("base64url"), e: Buffer.from(kek.key.e).toString("base64url") }, format: "jwk" })
    .export({ type: "spki", format: "pem" })
    .toString();
}

/**
 * Show that the imported key is the one the HSM generated, without ever seeing it: RSA/EC sign in the
 * target and verify with the public key the bridge reported; AES encrypt a zero block with a zero IV
 * (CBC of one block = ECB) and compare with the key check value the HSM reported.
 */
async function prove(imported: KeyVaultKey, generated: TokenKey, spec: KeySpec, crypto: CryptographyClient): Promise<string> {
  if (spec.kty === "oct") {
    const alg = `A${spec.size}CBC` as "A128CBC" | "A192CBC" | "A256CBC";
    const r = await crypto.encrypt({ algorithm: alg, plaintext: Buffer.alloc(16), iv: Buffer.alloc(16) });
    const kcv = Buffer.from(r.result).subarray(0, 3).toString("hex");
    if (kcv !== generated.kcv) throw new Error(`${imported.name}: key check value ${kcv} differs from the HSM's ${generated.kcv ?? "(none)"}`);
    return `KCV ${kcv} matches the HSM's`;
  }
  if (!generated.publicJwk) throw new Error(`the bridge reported no public key for ${generated.label}`);
  const challenge = randomBytes(32);
  const [alg, hash] = spec.kty === "RSA" ? (["RS256", "sha256"] as const) : CURVE_ALG[spec.crv];
  const signature = (await crypto.sign(alg, createHash(hash).update(challenge).digest())).result;
  const ok = nodeVerify(hash, challenge, spec.kty === "EC" ? { key: nodePublicKey(generated.publicJwk), dsaEncoding: "ieee-p1363" } : nodePublicKey(generated.publicJwk), signature);
  if (!ok) throw new Error(`${imported.name}: a signature made in the target does not verify with the HSM's public key`);
  return `${alg} signature from the target verifies with the HSM's public key`;
}

/**
 * A whole BYOK ceremony against a Key Vault–compatible target: an import-only KEK in the target, its
 * public key to the bridge, each target generated and wrapped inside the HSM, the `.byok` imported,
 * and the result proven. The plaintext of no target key exists outside the HSM at any point.
 */
export async function runByokCeremony(opts: {
  keys: KeyClient;
  credential: TokenCredential;
  clientOptions?: object;
  bridge: BridgeClient;
  kekName: string;
  kekSize?: 2048 | 3072 | 4096;
  targets: readonly CeremonyTarget[];
  onStep?: (s: CeremonyStep) => void;
}): Promise<{ kekKid: string; results: CeremonyResult[] }> {
  const kek = await opts.keys.createKey(opts.kekName, "RSA-HSM", { keySize: opts.kekSize ?? 2048, keyOps: ["import"] });
  opts.onStep?.({ step: "kek", kid: kek.id ?? "" });
  const pem = kekPem(kek);
  const results: CeremonyResult[] = [];
  for (const t of opts.targets) {
    const generated = await opts.bridge.run({ type: "key.generate", label: t.label, key: t.spec });
    opts.onStep?.({ step: "generated", name: t.name, detail: t.label });
    const wrapped = await opts.bridge.run({ type: "byok.wrap", target: t.label, kek: { kid: kek.id ?? "", publicKeyPem: pem } });
    opts.onStep?.({ step: "wrapped", name: t.name, detail: wrapped.sha256 });
    const imported = await opts.keys.importKey(t.name, {
      kty: `${t.spec.kty}-HSM`,
      ...(t.spec.kty === "EC" ? { crv: t.spec.crv } : {}),
      t: new TextEncoder().encode(wrapped.byok),
    });
    opts.onStep?.({ step: "imported", name: t.name, detail: imported.id });
    const proof = await prove(imported, generated, t.spec, new CryptographyClient(imported, opts.credential, opts.clientOptions));
    opts.onStep?.({ step: "proven", name: t.name, detail: proof });
    results.push({ name: t.name, kid: imported.id ?? "", byokSha256: wrapped.sha256, proof });
  }
  return { kekKid: kek.id ?? "", results };
}
