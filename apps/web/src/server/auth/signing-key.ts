import { join } from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK } from "jose";
import { z } from "zod";
import { authDir, createSecretFile, readIfExists } from "./files";

/** The development issuer signs with RS256 only (what MSAL and every OIDC library accept). */
export const ISSUER_ALG = "RS256";
export const SIGNING_KEY_FILE = "oidc-signing-key.json";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half, with kid/alg/use, as published at /oidc/jwks. */
  publicJwk: JWK;
}

const PrivateRsaJwk = z
  .object({ kty: z.literal("RSA"), n: z.string(), e: z.string(), d: z.string(), p: z.string(), q: z.string(), dp: z.string(), dq: z.string(), qi: z.string() })
  .loose();

async function fromJwk(jwk: JWK): Promise<SigningKey> {
  const parsed = PrivateRsaJwk.safeParse(jwk);
  if (!parsed.success) throw new Error(`${SIGNING_KEY_FILE} is not an RSA private JWK`);
  // 2048-bit modulus = 256 bytes = 342 base64url characters; refuse a weaker key someone dropped in.
  if (parsed.data.n.length < 342) throw new Error(`${SIGNING_KEY_FILE} holds an RSA key shorter than 2048 bits`);
  const publicJwk: JWK = { kty: "RSA", n: parsed.data.n, e: parsed.data.e };
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateKey = await importJWK(jwk, ISSUER_ALG);
  if (privateKey instanceof Uint8Array) throw new Error(`${SIGNING_KEY_FILE} is not an asymmetric key`);
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: ISSUER_ALG, use: "sig" } };
}

/**
 * The issuer's RSA-2048 signing key: generated on first start into `<dataDir>/auth/oidc-signing-key.json`
 * (0600) and reused afterwards, so tokens survive a restart. If two processes start together, one file wins
 * and both use it.
 */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const path = join(await authDir(dataDir), SIGNING_KEY_FILE);
  const existing = await readIfExists(path);
  if (existing !== undefined) return fromJwk(JSON.parse(existing) as JWK);
  const { privateKey } = await generateKeyPair(ISSUER_ALG, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const created = await createSecretFile(path, JSON.stringify(jwk));
  if (!created) return loadOrCreateSigningKey(dataDir);
  return fromJwk(jwk);
}

export function jwksOf(key: SigningKey): JSONWebKeySet {
  return { keys: [key.publicJwk] };
}
