import { generateKeyPairSync } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { SIGNING_ALG, type CommandSigner } from "@keyward/shared";
import { calculateJwkThumbprint, importJWK, type JWK } from "jose";

export const COMMAND_KEY_FILE = "command-key.jwk";
/** The public half, for `keyward-bridge init --trust-portal-key`. */
export const COMMAND_PUBLIC_KEY_FILE = "command-key.pub.jwk";

export interface CommandKey {
  signer: CommandSigner;
  /** What a bridge pins (`keyward-bridge init --trust-portal-key`). */
  publicJwk: JWK & { kid: string };
}

/**
 * The portal's command-signing key (Ed25519) in `<dataDir>/bridge/command-key.jwk` (0600), made on
 * first use and never replaced: every bridge has pinned its public half.
 */
export async function loadOrCreateCommandKey(dataDir: string, issuer: string): Promise<CommandKey> {
  const path = join(dataDir, "bridge", COMMAND_KEY_FILE);
  let jwk: JWK;
  try {
    jwk = JSON.parse(await readFile(path, "utf8")) as JWK;
  } catch {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync("ed25519");
    const fresh = privateKey.export({ format: "jwk" }) as JWK;
    fresh.kid = await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: fresh.x ?? "" });
    try {
      await writeFile(path, JSON.stringify(fresh), { mode: 0o600, flag: "wx" });
    } catch {
      // Another process made it first: use theirs.
    }
    jwk = JSON.parse(await readFile(path, "utf8")) as JWK;
  }
  const kid = jwk.kid ?? (await calculateJwkThumbprint({ kty: "OKP", crv: "Ed25519", x: jwk.x ?? "" }));
  const key = await importJWK(jwk, SIGNING_ALG);
  if (key instanceof Uint8Array) throw new Error("the portal command key is not an Ed25519 key");
  const publicJwk = { kty: "OKP", crv: "Ed25519", x: jwk.x ?? "", kid };
  await writeFile(join(dirname(path), COMMAND_PUBLIC_KEY_FILE), `${JSON.stringify(publicJwk)}\n`);
  return { signer: { key, kid, issuer }, publicJwk };
}
