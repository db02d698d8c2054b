import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import {
  buildRestoreBlob,
  decryptRsaJwe,
  parseSecurityDomainFile,
  shareFor,
  unwrapWithPrivateKey,
  type ExchangeKey,
} from "@keyward/shared";
import { certificateJwk, type CertificateJwk } from "../../src/server/security-domain";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/**
 * Custodians in software for tests: a key pair and a self-signed certificate each, the private key kept
 * here to decrypt the custodian's share as a custodian's bridge would in its token. Cheap enough to make
 * per test process (RSA-2048).
 */
export interface SoftwareCustodian {
  name: string;
  /** The certificate, as `keyward-bridge dev-custodians` leaves it in `custodian.pem`. */
  pem: string;
  jwk: CertificateJwk;
  thumbprintSha256: string;
  /** RSA-OAEP (SHA-256) decryption, for shares; absent for keys that cannot decrypt (EC). */
  privateKey: CryptoKey | undefined;
}

const DAY_MS = 86_400_000;

export async function softwareCustodian(
  name: string,
  o: { kind?: "RSA" | "EC"; bits?: number; notAfter?: Date } = {},
): Promise<SoftwareCustodian> {
  const rsa = o.kind !== "EC";
  const algorithm = rsa
    ? { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", modulusLength: o.bits ?? 2048, publicExponent: new Uint8Array([1, 0, 1]) }
    : { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const notAfter = o.notAfter ?? new Date(Date.now() + 365 * DAY_MS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: `CN=${name}`,
    notBefore: new Date(notAfter.getTime() - 400 * DAY_MS),
    notAfter,
    signingAlgorithm: algorithm,
    keys,
  });
  const jwk = certificateJwk(Buffer.from(certificate.rawData));
  const privateKey = rsa
    ? ((await webcrypto.subtle.importKey(
        "pkcs8",
        await webcrypto.subtle.exportKey("pkcs8", keys.privateKey as webcrypto.CryptoKey),
        { name: "RSA-OAEP", hash: "SHA-256" },
        false,
        ["decrypt"],
      )) as CryptoKey)
    : undefined;
  return { name, pem: certificate.toString("pem"), jwk, thumbprintSha256: jwk["x5t#S256"] ?? "", privateKey };
}

let defaults: Promise<SoftwareCustodian[]> | undefined;

/** Three custodians, made once per test process: what test targets are activated with. */
export function defaultCustodians(): Promise<SoftwareCustodian[]> {
  defaults ??= Promise.all(["Test custodian 1", "Test custodian 2", "Test custodian 3"].map((name) => softwareCustodian(name)));
  return defaults;
}

/** What a custodian's bridge does with its private key: decrypt its share of the file. */
export async function decryptShare(fileText: string, custodian: SoftwareCustodian): Promise<Uint8Array> {
  if (!custodian.privateKey) throw new Error(`${custodian.name} cannot decrypt`);
  return decryptRsaJwe(shareFor(parseSecurityDomainFile(fileText), custodian.thumbprintSha256), unwrapWithPrivateKey(custodian.privateKey));
}

/** What the recovery bridge does: combine these custodians' shares into a restore blob for the exchange key. */
export async function restoreBlobFor(fileText: string, custodians: readonly SoftwareCustodian[], exchangeKey: ExchangeKey): Promise<string> {
  const shares = await Promise.all(custodians.map((c) => decryptShare(fileText, c)));
  return JSON.stringify(await buildRestoreBlob({ file: parseSecurityDomainFile(fileText), shares, exchangeKey }));
}
