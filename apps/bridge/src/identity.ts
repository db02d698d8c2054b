import { generateKeyPairSync } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { calculateJwkThumbprint, importJWK, type JWK } from "jose";
import { SIGNING_ALG, type ResultSigner } from "@keyward/shared";

/** The bridge's own signing identity: an Ed25519 key in its home directory (mode 0600). */
export interface Identity {
  signer: ResultSigner;
  publicJwk: JWK;
  thumbprint: string;
}

export async function createIdentity(path: string): Promise<string> {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  // "wx": never overwrite an existing identity; the portal has pinned it.
  await writeFile(path, JSON.stringify(jwk), { mode: 0o600, flag: "wx" });
  return calculateJwkThumbprint({ kty: jwk.kty ?? "OKP", crv: jwk.crv ?? "Ed25519", x: jwk.x ?? "" });
}

export async function loadIdentity(path: string, bridgeId: string): Promise<Identity> {
  const jwk = JSON.parse(await readFile(path, "utf8")) as JWK;
  const publicJwk: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  const thumbprint = await calculateJwkThumbprint(publicJwk);
  // A CryptoKey, imported once: jose would otherwise convert a KeyObject on every signature.
  const key = await importJWK(jwk, SIGNING_ALG);
  if (key instanceof Uint8Array) throw new Error("the bridge identity is not an Ed25519 key");
  return { signer: { key, kid: thumbprint, issuer: bridgeId }, publicJwk: { ...publicJwk, kid: thumbprint }, thumbprint };
}
