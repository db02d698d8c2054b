import { createHash } from "node:crypto";
import { validateCustodianSet, type CustodianCertificate, type ShareRecipient } from "@keyward/shared";
import { readCertificate, type CertificateJwk, type ReadCertificate } from "./certificates";
import { CustodianSetRefusedError, type DownloadRefusal, type DownloadWarning } from "./errors";

export interface AcceptedCustodianSet {
  certificates: readonly ReadCertificate[];
  recipients: readonly ShareRecipient[];
  warnings: readonly DownloadWarning[];
}

/**
 * Stands in for a certificate that could not be read, so that the custodian rules still count it (three
 * certificates with one unreadable is not "2 certificates given") without adding refusals of their own.
 */
function placeholder(index: number): CustodianCertificate {
  return {
    thumbprintSha256: createHash("sha256").update(`unreadable certificate ${index}`).digest("base64url"),
    keyType: "RSA",
    rsaModulusBits: 4096,
    notAfter: new Date(8.64e15),
  };
}

/** Read and judge a download's certificates; throws CustodianSetRefusedError naming every refusal. */
export function acceptCustodianSet(jwks: readonly CertificateJwk[], required: number, now: Date): AcceptedCustodianSet {
  const readings = jwks.map((jwk, i) => readCertificate(jwk, `certificate ${i + 1}`));
  const refusals: DownloadRefusal[] = readings.flatMap((r, i) =>
    r.ok ? [] : r.problems.map((message) => ({ code: "CERTIFICATE_INVALID" as const, message, certificate: i })),
  );
  const result = validateCustodianSet({ certificates: readings.map((r, i) => (r.ok ? r.value.custodian : placeholder(i))), required, now });
  if (!result.ok) refusals.push(...result.refusals);
  if (refusals.length) throw new CustodianSetRefusedError(refusals, result.warnings);
  const certificates = readings.flatMap((r) => (r.ok ? [r.value] : []));
  // The rules refuse every key that is not RSA, so each certificate here has a recipient.
  const recipients = certificates.flatMap((c) => (c.recipient ? [c.recipient] : []));
  return { certificates, recipients, warnings: result.warnings };
}
