import { describe, expect, it } from "vitest";
import { CustodianCertificateSchema, validateCustodianSet, type CustodianCertificate } from "./custodians.js";

const NOW = new Date("2026-03-01T12:00:00Z");

/** A thumbprint that differs per custodian (43 base64url characters, canonical last character). */
const thumbprint = (seed: number) => `${String.fromCharCode(65 + seed).repeat(42)}A`;

function custodian(seed: number, changes: Partial<CustodianCertificate> = {}): CustodianCertificate {
  return {
    thumbprintSha256: thumbprint(seed),
    keyType: "RSA",
    rsaModulusBits: 3072,
    notAfter: new Date("2028-01-01T00:00:00Z"),
    label: `CN=Custodian ${seed + 1}`,
    ...changes,
  };
}
const set = (n: number) => Array.from({ length: n }, (_, i) => custodian(i));

describe("validateCustodianSet", () => {
  it("accepts 3 to 10 RSA certificates with 3 ≤ m ≤ n, without warnings", () => {
    for (let n = 3; n <= 10; n++) {
      for (let m = 3; m <= n; m++) {
        expect(validateCustodianSet({ certificates: set(n), required: m, now: NOW })).toEqual({ ok: true, warnings: [] });
      }
    }
  });

  it("accepts m = 2 with a warning (allowed, discouraged)", () => {
    expect(validateCustodianSet({ certificates: set(4), required: 2, now: NOW })).toEqual({
      ok: true,
      warnings: [{ code: "QUORUM_BELOW_RECOMMENDED", message: "a quorum of 2 is allowed, but at least 3 is recommended" }],
    });
  });

  it("warns about, but does not refuse, an expired certificate", () => {
    const certificates = [custodian(0), custodian(1, { notAfter: new Date("2026-03-01T12:00:00Z") }), custodian(2)];
    expect(validateCustodianSet({ certificates, required: 3, now: NOW })).toEqual({
      ok: true,
      warnings: [
        {
          code: "CERTIFICATE_EXPIRED",
          message: "certificate 2 (CN=Custodian 2) expired on 2026-03-01; its key still decrypts the share, but replace it at the next review",
          certificate: 1,
        },
      ],
    });
  });

  it.each<[string, CustodianCertificate[], number, { code: string; message: string; certificate?: number }]>([
    ["fewer than 3 certificates", set(2), 2, { code: "TOO_FEW_CERTIFICATES", message: "2 certificates given; at least 3 are needed" }],
    ["more than 10 certificates", set(11), 3, { code: "TOO_MANY_CERTIFICATES", message: "11 certificates given; at most 10 are allowed" }],
    ["m = 1", set(3), 1, { code: "QUORUM_TOO_SMALL", message: "the quorum is 1; it must be at least 2, so that no single custodian can recover the domain" }],
    ["m = 0", set(3), 0, { code: "QUORUM_TOO_SMALL", message: "the quorum is 0; it must be at least 2, so that no single custodian can recover the domain" }],
    ["m > n", set(3), 4, { code: "QUORUM_TOO_LARGE", message: "the quorum (4) is larger than the number of certificates (3): the domain could never be recovered" }],
    ["m > 10", set(11), 11, { code: "QUORUM_TOO_LARGE", message: "the quorum is 11; it can be at most 10" }],
    ["a fractional m", set(3), 2.5, { code: "QUORUM_NOT_WHOLE", message: "the quorum must be a whole number; got 2.5" }],
    [
      "a duplicate certificate",
      [custodian(0), custodian(1), custodian(0, { label: "CN=Again" })],
      2,
      { code: "DUPLICATE_CERTIFICATE", message: "certificate 3 (CN=Again) is the same certificate as certificate 1 (CN=Custodian 1): one custodian would hold two shares", certificate: 2 },
    ],
    [
      "an EC certificate",
      [custodian(0), custodian(1, { keyType: "EC", rsaModulusBits: undefined }), custodian(2)],
      2,
      { code: "NOT_RSA", message: "certificate 2 (CN=Custodian 2) has a EC key; security-domain shares are encrypted with RSA-OAEP", certificate: 1 },
    ],
    [
      "RSA-1024",
      [custodian(0), custodian(1), custodian(2, { rsaModulusBits: 1024 })],
      2,
      { code: "RSA_TOO_SHORT", message: "certificate 3 (CN=Custodian 3) has a 1024-bit RSA key; at least 2048 bits are required", certificate: 2 },
    ],
    [
      "RSA of unknown size",
      [custodian(0, { rsaModulusBits: undefined, label: undefined }), custodian(1), custodian(2)],
      2,
      { code: "RSA_TOO_SHORT", message: "certificate 1 has an RSA key of unknown size; at least 2048 bits are required", certificate: 0 },
    ],
  ])("refuses %s", (_, certificates, required, refusal) => {
    const result = validateCustodianSet({ certificates, required, now: NOW });
    expect(result.ok).toBe(false);
    // Exactly this refusal, except that 11 certificates are also refused as too many.
    if (!result.ok) expect(result.refusals.filter((r) => r.code !== "TOO_MANY_CERTIFICATES" || refusal.code === r.code)).toEqual([refusal]);
  });

  it("accepts exactly 2048 bits", () => {
    const certificates = [custodian(0, { rsaModulusBits: 2048 }), custodian(1), custodian(2)];
    expect(validateCustodianSet({ certificates, required: 3, now: NOW }).ok).toBe(true);
  });

  it("reports every refusal at once, and keeps the warnings", () => {
    const certificates = [custodian(0, { keyType: "OKP" }), custodian(0, { notAfter: new Date("2020-01-01T00:00:00Z") })];
    const result = validateCustodianSet({ certificates, required: 3, now: NOW });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusals.map((r) => r.code)).toEqual(["TOO_FEW_CERTIFICATES", "QUORUM_TOO_LARGE", "NOT_RSA", "DUPLICATE_CERTIFICATE"]);
    expect(result.warnings.map((w) => w.code)).toEqual(["CERTIFICATE_EXPIRED"]);
  });
});

describe("CustodianCertificateSchema", () => {
  it("parses certificate facts and refuses a thumbprint that is not SHA-256 base64url", () => {
    expect(CustodianCertificateSchema.parse(custodian(0))).toEqual(custodian(0));
    const result = CustodianCertificateSchema.safeParse(custodian(0, { thumbprintSha256: "AAAA" }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("expected a certificate's SHA-256 thumbprint: 43 base64url characters (x5t#S256)");
  });
});
