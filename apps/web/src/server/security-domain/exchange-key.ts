// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { createSecretKey, randomBytes, webcrypto, X509Certificate } from "node:crypto";
import { readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import { z } from "zod";
import { RsaJwkSchema, type ExchangeKey, type TransferKeyJwk } from "@keyward/shared";
import { decryptMaterial, encryptMaterial, writeNewPrivateFile, type DomainKey, type DomainKeySealer } from "../domain-key";
import { sha256Thumbprint } from "./certificates";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/**
 * The target's exchange (transfer) key: an RSA-3072 key pair with a self-signed certificate that a
 * restore blob's master key is wrapped to (facts §4.4). It is kept in `<dataDir>/security-domain/` so
 * that a recovery ceremony survives a restart of the portal: the private key encrypted (AES-256-GCM)
 * under 32 random bytes sealed with the domain key's sealer — in the HSM when the domain key is — since
 * the domain key itself is what is being recovered. Mode 0600, written whole or not at all. It is
 * replaced after a successful restore and when its certificate expires: a blob made for an older one
 * is refused, and the ceremony asks for the current key again.
 */

const FILE_NAME = "exchange-key.json";
const VALIDITY_DAYS = 30;
const DAY_MS = 86_400_000;
const SIGNING = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]) } as const;
const UNWRAPPING = { name: "RSA-OAEP", hash: "SHA-256" } as const;
const AAD = Buffer.from("keyward/security-domain/exchange-key/v1", "utf8");

const FileSchema = z.strictObject({
  format: z.literal("keyward-sd-exchange-key"),
  version: z.literal(1),
  sealer: z.enum(["key-file", "pkcs11"]),
  /** 32 random bytes, sealed: the key of `privateKey`. */
  sealedKey: z.base64url(),
  /** PKCS#8 DER under the sealed key (the domain-key material layout). */
  privateKey: z.base64url(),
  /** base64 DER. */
  certificate: z.base64(),
});
type ExchangeKeyFile = z.infer<typeof FileSchema>;

export interface ExchangeKeyPair extends ExchangeKey {
  certificate: X509Certificate;
  /** For `unwrapWithPrivateKey`: RSA-OAEP with SHA-256, not extractable. */
  privateKey: CryptoKey;
}

export const exchangeKeyDir = (dataDir: string) => join(dataDir, "security-domain");
const filePath = (dataDir: string) => join(exchangeKeyDir(dataDir), FILE_NAME);

/** The JWK `GET /securitydomain/upload` serves (spec `SecurityDomainJsonWebKey`). */
export function transferKeyJwk(pair: ExchangeKeyPair): TransferKeyJwk {
  return {
    kid: `keyward-exchange-key-${pair.thumbprintSha256}`,
    kty: "RSA",
    key_ops: ["wrapKey", "encrypt"],
    alg: "RSA-OAEP-256",
    n: pair.publicJwk.n,
    e: pair.publicJwk.e,
    x5c: [pair.certificate.raw.toString("base64")],
    "x5t#S256": pair.thumbprintSha256,
  };
}

/** A 32-byte key as the material cipher takes it. */
const cipherKey = (bytes: Uint8Array): DomainKey => ({ secret: createSecretKey(Buffer.from(bytes)), fingerprint: "exchange-key" });

/** The current exchange key, or null when there is none usable. */
export async function loadExchangeKey(dataDir: string, sealer: DomainKeySealer, nowMs: number): Promise<ExchangeKeyPair | null> {
  const found = await readExchangeKey(dataDir, sealer, nowMs);
  return typeof found === "string" ? null : found;
}

/** "stale": a file that expired, was sealed otherwise, or is not one — replaced by the next `ensureExchangeKey`. */
async function readExchangeKey(dataDir: string, sealer: DomainKeySealer, nowMs: number): Promise<ExchangeKeyPair | "missing" | "stale"> {
  let text: string;
  try {
    text = await readFile(filePath(dataDir), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw err;
  }
  const parsed = FileSchema.safeParse(safeJson(text));
  if (!parsed.success || parsed.data.sealer !== sealer.kind) return "stale";
  const file = parsed.data;
  const certificate = new X509Certificate(Buffer.from(file.certificate, "base64"));
  if (new Date(certificate.validTo).getTime() <= nowMs) return "stale";
  const kek = await sealer.unseal(Buffer.from(file.sealedKey, "base64url"));
  let pkcs8: Buffer;
  try {
    pkcs8 = decryptMaterial(cipherKey(kek), AAD, Buffer.from(file.privateKey, "base64url"));
  } catch {
    return "stale";
  } finally {
    kek.fill(0);
  }
  try {
    const privateKey = await webcrypto.subtle.importKey("pkcs8", pkcs8, UNWRAPPING, false, ["decrypt"]);
    const publicJwk = RsaJwkSchema.parse(certificate.publicKey.export({ format: "jwk" }));
    return { certificate, publicJwk, thumbprintSha256: sha256Thumbprint(certificate.raw), privateKey: privateKey as CryptoKey };
  } finally {
    pkcs8.fill(0);
  }
}

/** The current exchange key, made (and kept) when there is none usable. */
export async function ensureExchangeKey(dataDir: string, sealer: DomainKeySealer, nowMs: number): Promise<ExchangeKeyPair> {
  const current = await readExchangeKey(dataDir, sealer, nowMs);
  if (typeof current !== "string") return current;
  if (current === "stale") await discardExchangeKey(dataDir);
  await writeNewExchangeKey(dataDir, sealer, nowMs);
  // Read back what is on disk: when two requests made one at once, the first written is everyone's.
  return (await loadExchangeKey(dataDir, sealer, nowMs)) ?? unreadable();
}

export async function discardExchangeKey(dataDir: string): Promise<void> {
  await unlink(filePath(dataDir)).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  });
}

async function writeNewExchangeKey(dataDir: string, sealer: DomainKeySealer, nowMs: number): Promise<void> {
  const keys = (await webcrypto.subtle.generateKey(SIGNING, true, ["sign", "verify"])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16).toString("hex").replace(/^[89a-f]/, "1"),
    name: "CN=Keyward security-domain exchange key, O=Keyward",
    notBefore: new Date(nowMs - DAY_MS),
    notAfter: new Date(nowMs + VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyEncipherment, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey as webcrypto.CryptoKey));
  const kek = randomBytes(32);
  let file: ExchangeKeyFile;
  try {
    file = {
      format: "keyward-sd-exchange-key",
      version: 1,
      sealer: sealer.kind,
      sealedKey: (await sealer.seal(kek)).toString("base64url"),
      privateKey: encryptMaterial(cipherKey(kek), AAD, pkcs8).toString("base64url"),
      certificate: Buffer.from(certificate.rawData).toString("base64"),
    };
  } finally {
    kek.fill(0);
    pkcs8.fill(0);
  }
  // A key another request wrote in the meantime is kept, not overwritten (the caller reads back the winner).
  await writeNewPrivateFile(filePath(dataDir), `${JSON.stringify(file, null, 2)}\n`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function unreadable(): never {
  throw new Error("the exchange key just written cannot be read back");
}
