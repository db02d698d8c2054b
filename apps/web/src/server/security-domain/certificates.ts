import { createHash, X509Certificate } from "node:crypto";
import { RsaJwkSchema, type CustodianCertificate, type ShareRecipient } from "@keyward/shared";

/**
 * Reading custodian certificates (a download's `certificates`): x5c[0] is the authority — the share is
 * encrypted to the key in the certificate, and the fields sent beside it (`x5t#S256`, `kty`, `n`, `e`)
 * must agree with it, so that nobody is handed a share for a key other than the one they showed.
 */

/** What the custodian rules need, plus what the domain is made with and what is recorded. */
export interface ReadCertificate {
  custodian: CustodianCertificate;
  /** Present when the certificate holds an RSA key (the rules refuse the others). */
  recipient: ShareRecipient | undefined;
  subject: string;
}

export type CertificateReading = { ok: true; value: ReadCertificate } | { ok: false; problems: string[] };

/** The JWK fields read beside the certificate; everything else in it is ignored. */
export interface CertificateJwk {
  kty: string;
  n?: string | undefined;
  e?: string | undefined;
  x5c: string[];
  "x5t#S256"?: string | undefined;
}

const STANDARD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** x5c entries are standard base64 (RFC 7517 §4.7); line breaks, as in a pasted PEM body, are tolerated. */
function derOf(x5c: string): Buffer | undefined {
  const text = x5c.replace(/\s+/g, "");
  if (!STANDARD_BASE64.test(text) || text.length % 4 !== 0) return undefined;
  const der = Buffer.from(text, "base64");
  return der.length > 0 ? der : undefined;
}

export const sha256Thumbprint = (der: Uint8Array) => createHash("sha256").update(der).digest("base64url");

/** The subject's CN, or the whole subject when it has none. */
export function subjectName(certificate: X509Certificate): string {
  const lines = certificate.subject.split("\n");
  const cn = lines.find((line) => line.startsWith("CN="));
  return cn ? cn.slice(3) : lines.join(", ");
}

function keyTypeOf(certificate: X509Certificate): { keyType: string; bits: number | undefined } {
  const key = certificate.publicKey;
  switch (key.asymmetricKeyType) {
    case "rsa":
      return { keyType: "RSA", bits: key.asymmetricKeyDetails?.modulusLength };
    case "ec":
      return { keyType: "EC", bits: undefined };
    case "ed25519":
    case "ed448":
    case "x25519":
    case "x448":
      return { keyType: "OKP", bits: undefined };
    default:
      // RSA-PSS keys may not encrypt; DSA and DH are no JWK types at all.
      return { keyType: key.asymmetricKeyType?.toUpperCase() ?? "unknown", bits: undefined };
  }
}

/** Read one certificate; `name` says which in messages ("certificate 2"). Every problem is reported. */
export function readCertificate(jwk: CertificateJwk, name: string): CertificateReading {
  const [first] = jwk.x5c;
  const der = first === undefined ? undefined : derOf(first);
  if (!der) return { ok: false, problems: [`${name}: x5c[0] is not base64 (standard alphabet) of a DER certificate`] };
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch {
    return { ok: false, problems: [`${name}: x5c[0] is not an X.509 certificate`] };
  }
  const subject = subjectName(certificate);
  const named = `${name} (${subject})`;
  const thumbprintSha256 = sha256Thumbprint(der);
  const problems: string[] = [];
  const claimed = jwk["x5t#S256"];
  if (claimed !== undefined && claimed !== thumbprintSha256) problems.push(`${named}: x5t#S256 is not the SHA-256 thumbprint of x5c[0]`);
  const { keyType, bits } = keyTypeOf(certificate);
  if (jwk.kty !== keyType) problems.push(`${named}: kty is ${JSON.stringify(jwk.kty)} but the certificate holds a ${keyType} key`);
  let recipient: ShareRecipient | undefined;
  if (keyType === "RSA") {
    const publicJwk = RsaJwkSchema.parse(certificate.publicKey.export({ format: "jwk" }));
    if ((jwk.n !== undefined && jwk.n !== publicJwk.n) || (jwk.e !== undefined && jwk.e !== publicJwk.e)) {
      problems.push(`${named}: n and e are not the public key of the certificate in x5c[0]`);
    }
    recipient = { publicJwk, thumbprintSha256 };
  }
  if (problems.length) return { ok: false, problems };
  const notAfter = new Date(certificate.validTo);
  return {
    ok: true,
    value: { custodian: { thumbprintSha256, keyType, ...(bits === undefined ? {} : { rsaModulusBits: bits }), notAfter, label: subject }, recipient, subject },
  };
}

/** A SecurityDomainJsonWebKey for a certificate (PEM or DER), as the Azure CLI builds it for a download. */
export function certificateJwk(pemOrDer: string | Buffer): CertificateJwk & { alg: string; key_ops: string[] } {
  const certificate = new X509Certificate(pemOrDer);
  const { keyType } = keyTypeOf(certificate);
  const rsa = keyType === "RSA" ? RsaJwkSchema.parse(certificate.publicKey.export({ format: "jwk" })) : undefined;
  return {
    kty: keyType,
    ...(rsa ? { n: rsa.n, e: rsa.e } : {}),
    alg: "RSA-OAEP-256",
    key_ops: ["verify", "encrypt", "wrapKey"],
    x5c: [certificate.raw.toString("base64")],
    "x5t#S256": sha256Thumbprint(certificate.raw),
  };
}
