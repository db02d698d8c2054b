import { generateKeyPairSync } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SignJWT, calculateJwkThumbprint, importJWK, type JWK } from "jose";

/** Signs release responses (RS256, as Key Vault does), with a key kept in `<dataDir>/release-signing-key.json`. */
export interface ReleaseSigner {
  publicJwk: JWK;
  sign(payload: Record<string, unknown>): Promise<string>;
}

export async function loadOrCreateReleaseSigner(dataDir: string): Promise<ReleaseSigner> {
  const path = join(dataDir, "release-signing-key.json");
  let jwk: JWK;
  try {
    jwk = JSON.parse(await readFile(path, "utf8")) as JWK;
  } catch {
    await mkdir(dataDir, { recursive: true });
    const fresh = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }) as JWK;
    try {
      await writeFile(path, JSON.stringify(fresh), { mode: 0o600, flag: "wx" });
    } catch {
      // Another process made it first.
    }
    jwk = JSON.parse(await readFile(path, "utf8")) as JWK;
  }
  const publicJwk: JWK = { kty: "RSA", n: jwk.n, e: jwk.e };
  const kid = await calculateJwkThumbprint(publicJwk);
  const key = await importJWK(jwk, "RS256");
  return {
    publicJwk: { ...publicJwk, kid, alg: "RS256", use: "sig" },
    sign: (payload) => new SignJWT(payload).setProtectedHeader({ alg: "RS256", typ: "JWT", kid }).sign(key),
  };
}
