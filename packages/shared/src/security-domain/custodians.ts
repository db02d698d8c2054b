import { z } from "zod";
import { ThumbprintSha256Schema } from "./file.js";

/**
 * The custodian set of a security-domain download: the rules of Managed HSM's download API
 * (3–10 RSA certificates, quorum 2–10; CLI `security_domain_download`) plus issue 5's (m ≤ n, no
 * duplicates, RSA ≥ 2048, expired certificates warned about). Pure: the input is what the caller
 * read from each certificate; every refusal is reported, not just the first.
 */

export const MIN_CUSTODIANS = 3;
export const MAX_CUSTODIANS = 10;
export const MIN_QUORUM = 2;
/** Below this the seed (Microsoft's guidance) discourages the quorum without forbidding it. */
export const RECOMMENDED_MIN_QUORUM = 3;
export const MIN_RSA_MODULUS_BITS = 2048;

/** What the caller read from one custodian certificate. */
export const CustodianCertificateSchema = z.object({
  /** base64url SHA-256 of the certificate DER (`x5t#S256`, the file's `x5t_256`). */
  thumbprintSha256: ThumbprintSha256Schema,
  /** JWK key type of the subject public key: "RSA", "EC", "OKP", … */
  keyType: z.string().min(1),
  /** Present for RSA keys. */
  rsaModulusBits: z.number().int().positive().optional(),
  notAfter: z.date(),
  /** How people know the certificate (e.g. its subject CN); only for messages. */
  label: z.string().optional(),
});
export type CustodianCertificate = z.infer<typeof CustodianCertificateSchema>;

export type CustodianRefusalCode =
  | "TOO_FEW_CERTIFICATES"
  | "TOO_MANY_CERTIFICATES"
  | "QUORUM_NOT_WHOLE"
  | "QUORUM_TOO_SMALL"
  | "QUORUM_TOO_LARGE"
  | "DUPLICATE_CERTIFICATE"
  | "NOT_RSA"
  | "RSA_TOO_SHORT";
export type CustodianWarningCode = "CERTIFICATE_EXPIRED" | "QUORUM_BELOW_RECOMMENDED";

export interface CustodianFinding<Code extends string> {
  code: Code;
  message: string;
  /** The certificate concerned (0-based), when there is one. */
  certificate?: number;
}

export type CustodianSetResult =
  | { ok: true; warnings: CustodianFinding<CustodianWarningCode>[] }
  | { ok: false; refusals: CustodianFinding<CustodianRefusalCode>[]; warnings: CustodianFinding<CustodianWarningCode>[] };

export interface CustodianSetInput {
  certificates: readonly CustodianCertificate[];
  /** m: how many custodians recover the domain. */
  required: number;
  /** The clock expiry is judged by. */
  now: Date;
}

const named = (certificate: CustodianCertificate, index: number) =>
  `certificate ${index + 1}${certificate.label ? ` (${certificate.label})` : ""}`;

function quorumRefusal(m: number, n: number): CustodianFinding<CustodianRefusalCode> | undefined {
  if (!Number.isInteger(m)) return { code: "QUORUM_NOT_WHOLE", message: `the quorum must be a whole number; got ${m}` };
  if (m < MIN_QUORUM) {
    return { code: "QUORUM_TOO_SMALL", message: `the quorum is ${m}; it must be at least ${MIN_QUORUM}, so that no single custodian can recover the domain` };
  }
  if (m > MAX_CUSTODIANS) return { code: "QUORUM_TOO_LARGE", message: `the quorum is ${m}; it can be at most ${MAX_CUSTODIANS}` };
  if (m > n) {
    return { code: "QUORUM_TOO_LARGE", message: `the quorum (${m}) is larger than the number of certificates (${n}): the domain could never be recovered` };
  }
  return undefined;
}

export function validateCustodianSet(input: CustodianSetInput): CustodianSetResult {
  const { certificates, required: m, now } = input;
  const n = certificates.length;
  const refusals: CustodianFinding<CustodianRefusalCode>[] = [];
  const warnings: CustodianFinding<CustodianWarningCode>[] = [];

  if (n < MIN_CUSTODIANS) refusals.push({ code: "TOO_FEW_CERTIFICATES", message: `${n} certificates given; at least ${MIN_CUSTODIANS} are needed` });
  if (n > MAX_CUSTODIANS) refusals.push({ code: "TOO_MANY_CERTIFICATES", message: `${n} certificates given; at most ${MAX_CUSTODIANS} are allowed` });
  const quorum = quorumRefusal(m, n);
  if (quorum) refusals.push(quorum);
  else if (m < RECOMMENDED_MIN_QUORUM) {
    warnings.push({ code: "QUORUM_BELOW_RECOMMENDED", message: `a quorum of ${m} is allowed, but at least ${RECOMMENDED_MIN_QUORUM} is recommended` });
  }

  certificates.forEach((certificate, i) => {
    const name = named(certificate, i);
    const earlier = certificates.find((other) => other.thumbprintSha256 === certificate.thumbprintSha256);
    if (earlier && earlier !== certificate) {
      refusals.push({
        code: "DUPLICATE_CERTIFICATE",
        message: `${name} is the same certificate as ${named(earlier, certificates.indexOf(earlier))}: one custodian would hold two shares`,
        certificate: i,
      });
    }
    if (certificate.keyType !== "RSA") {
      refusals.push({ code: "NOT_RSA", message: `${name} has a ${certificate.keyType} key; security-domain shares are encrypted with RSA-OAEP`, certificate: i });
    } else if (certificate.rsaModulusBits === undefined || certificate.rsaModulusBits < MIN_RSA_MODULUS_BITS) {
      const size = certificate.rsaModulusBits === undefined ? "an RSA key of unknown size" : `a ${certificate.rsaModulusBits}-bit RSA key`;
      refusals.push({ code: "RSA_TOO_SHORT", message: `${name} has ${size}; at least ${MIN_RSA_MODULUS_BITS} bits are required`, certificate: i });
    }
    if (certificate.notAfter.getTime() <= now.getTime()) {
      warnings.push({
        code: "CERTIFICATE_EXPIRED",
        message: `${name} expired on ${certificate.notAfter.toISOString().slice(0, 10)}; its key still decrypts the share, but replace it at the next review`,
        certificate: i,
      });
    }
  });

  return refusals.length === 0 ? { ok: true, warnings } : { ok: false, refusals, warnings };
}
