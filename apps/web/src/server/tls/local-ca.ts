// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { webcrypto } from "node:crypto";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface TlsMaterial {
  /** PEM of the local CA: what NODE_EXTRA_CA_CERTS or a browser must trust. */
  caPath: string;
  cert: string;
  key: string;
  ca: string;
}

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 24 * 3600 * 1000;

async function pemKey(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey("pkcs8", key as webcrypto.CryptoKey);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

/**
 * The portal's own certificate authority, made on first start in `<dataDir>/tls`: a CA that signs one
 * server certificate for localhost, 127.0.0.1 and ::1 (plus any extra host names asked for). The CA key
 * stays in the data directory (0600) so that a renewed server certificate stays trusted.
 */
export async function ensureLocalTls(dataDir: string, hostnames: readonly string[] = []): Promise<TlsMaterial> {
  const dir = join(dataDir, "tls");
  const paths = { ca: join(dir, "ca.pem"), caKey: join(dir, "ca-key.pem"), cert: join(dir, "server.pem"), key: join(dir, "server-key.pem") };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(paths.ca) || !existsSync(paths.caKey)) {
    const caKeys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerial(),
      name: "CN=Keyward local CA, O=Keyward",
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + 3650 * DAY),
      signingAlgorithm: ALG,
      keys: caKeys as CryptoKeyPair,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey as CryptoKey),
      ],
    });
    await writeFile(paths.caKey, await pemKey(caKeys.privateKey as CryptoKey), { mode: 0o600 });
    await writeFile(paths.ca, ca.toString("pem"));
  }
  const wanted = ["localhost", ...hostnames];
  if (!existsSync(paths.cert) || !existsSync(paths.key) || !(await coversHosts(paths.cert, wanted))) {
    await issueServerCert(paths, wanted);
  }
  const [cert, key, ca] = await Promise.all([readFile(paths.cert, "utf8"), readFile(paths.key, "utf8"), readFile(paths.ca, "utf8")]);
  return { caPath: paths.ca, cert, key, ca };
}

async function coversHosts(certPath: string, hosts: readonly string[]): Promise<boolean> {
  const cert = new x509.X509Certificate(await readFile(certPath, "utf8"));
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = new Set(san?.names.items.map((n) => n.value) ?? []);
  return cert.notAfter.getTime() > Date.now() + 30 * DAY && hosts.every((h) => names.has(h));
}

async function issueServerCert(paths: { ca: string; caKey: string; cert: string; key: string }, hosts: readonly string[]): Promise<void> {
  const caCert = new x509.X509Certificate(await readFile(paths.ca, "utf8"));
  const caKey = await webcrypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(await readFile(paths.caKey, "utf8")), ALG, false, ["sign"]);
  const keys = await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: "CN=localhost, O=Keyward",
    issuer: caCert.subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 397 * DAY),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey as CryptoKey,
    signingKey: caKey as CryptoKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...hosts.map((value) => ({ type: "dns" as const, value })),
        { type: "ip", value: "127.0.0.1" },
        { type: "ip", value: "::1" },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  await writeFile(paths.key, await pemKey(keys.privateKey as CryptoKey), { mode: 0o600 });
  await writeFile(paths.cert, cert.toString("pem"));
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString("hex");
}
