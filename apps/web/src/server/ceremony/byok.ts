import { createPublicKey } from "node:crypto";
import { CryptographyClient, type KeyClient, type KeyVaultKey } from "@azure/keyvault-keys";
import type { TokenCredential } from "@azure/core-auth";
import type { KeySpec, TokenKey } from "@keyward/shared";
import type { BridgeClient } from "../bridge/client";
import { checkProof, proofChallenge } from "./proof";

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

/** The KEK's public key as SubjectPublicKeyInfo PEM: what `az keyvault key download` writes. */
export function kekPem(kek: KeyVaultKey): string {
  if (!kek.key?.n || !kek.key.e) throw new Error(`${kek.name} has no RSA public key`);
  return createPublicKey({ key: { kty: "RSA", n: Buffer.from(kek.key.n).toString("base64url"), e: Buffer.from(kek.key.e).toString("base64url") }, format: "jwk" })
    .export({ type: "spki", format: "pem" })
    .toString();
}

/** The proof through the official client: the target signs or encrypts the challenge, the HSM's report checks it. */
async function prove(imported: KeyVaultKey, generated: TokenKey, spec: KeySpec, crypto: CryptographyClient): Promise<string> {
  const c = proofChallenge(spec);
  const output =
    c.kind === "encrypt"
      ? (await crypto.encrypt({ algorithm: c.alg, plaintext: c.plaintext, iv: c.iv })).result
      : (await crypto.sign(c.alg, c.digest)).result;
  return checkProof(imported.name, c, output, generated);
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
