import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { softwareCustodian, type SoftwareCustodian } from "../../../test/helpers/security-domain";
import { readCertificate } from "./certificates";
import { acceptCustodianSet } from "./custodian-set";
import { CustodianSetRefusedError } from "./errors";

let rsa: SoftwareCustodian[];
let ec: SoftwareCustodian;
beforeAll(async () => {
  rsa = await Promise.all(["Alice", "Bob", "Carol"].map((name) => softwareCustodian(name)));
  ec = await softwareCustodian("Eve", { kind: "EC" });
});

const first = () => rsa[0]!;

describe("readCertificate", () => {
  it("reads what the rules need from x5c[0]: thumbprint, key type and size, expiry, subject CN", () => {
    const read = readCertificate(first().jwk, "certificate 1");
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.custodian).toMatchObject({ thumbprintSha256: first().thumbprintSha256, keyType: "RSA", rsaModulusBits: 2048, label: "Alice" });
    expect(read.value.custodian.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(read.value.recipient).toEqual({ publicJwk: { kty: "RSA", n: first().jwk.n, e: first().jwk.e }, thumbprintSha256: first().thumbprintSha256 });
  });

  it("accepts a certificate sent without x5t#S256, n and e (the certificate says them)", () => {
    const { kty, x5c } = first().jwk;
    expect(readCertificate({ kty, x5c }, "certificate 1").ok).toBe(true);
  });

  it("refuses an x5t#S256 that is not the certificate's", () => {
    const wrong = createHash("sha256").update("another certificate").digest("base64url");
    expect(readCertificate({ ...first().jwk, "x5t#S256": wrong }, "certificate 1")).toEqual({
      ok: false,
      problems: ["certificate 1 (Alice): x5t#S256 is not the SHA-256 thumbprint of x5c[0]"],
    });
  });

  it("refuses n and e of another key than the certificate's", () => {
    expect(readCertificate({ ...first().jwk, n: rsa[1]!.jwk.n }, "certificate 1")).toEqual({
      ok: false,
      problems: ["certificate 1 (Alice): n and e are not the public key of the certificate in x5c[0]"],
    });
  });

  it("refuses a kty that is not the certificate's key type, and says what the certificate holds", () => {
    expect(readCertificate({ ...ec.jwk, kty: "RSA" }, "certificate 4")).toEqual({
      ok: false,
      problems: ["certificate 4 (Eve): kty is \"RSA\" but the certificate holds a EC key"],
    });
  });

  it("refuses x5c[0] that is not base64 or not a certificate", () => {
    expect(readCertificate({ kty: "RSA", x5c: ["not*base64"] }, "certificate 2")).toEqual({
      ok: false,
      problems: ["certificate 2: x5c[0] is not base64 (standard alphabet) of a DER certificate"],
    });
    expect(readCertificate({ kty: "RSA", x5c: [Buffer.from("hello world!").toString("base64")] }, "certificate 2")).toEqual({
      ok: false,
      problems: ["certificate 2: x5c[0] is not an X.509 certificate"],
    });
  });
});

describe("acceptCustodianSet", () => {
  const now = new Date();

  it("gives one share recipient per certificate, in order", () => {
    const accepted = acceptCustodianSet(rsa.map((c) => c.jwk), 2, now);
    expect(accepted.recipients.map((r) => r.thumbprintSha256)).toEqual(rsa.map((c) => c.thumbprintSha256));
    expect(accepted.warnings.map((w) => w.code)).toEqual(["QUORUM_BELOW_RECOMMENDED"]);
  });

  it("lists every refusal: unreadable certificates and the custodian rules together, counting the unreadable one", () => {
    const broken = { kty: "RSA", x5c: ["AAAA"] };
    const error = (() => {
      try {
        acceptCustodianSet([rsa[0]!.jwk, broken, ec.jwk], 4, now);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CustodianSetRefusedError);
    const refused = error as CustodianSetRefusedError;
    expect(refused.refusals.map((r) => [r.code, r.certificate])).toEqual([
      ["CERTIFICATE_INVALID", 1],
      ["QUORUM_TOO_LARGE", undefined],
      ["NOT_RSA", 2],
    ]);
    expect(refused.message).toMatch(/^The security domain was not downloaded: certificate 2: x5c\[0\] is not an X\.509 certificate; the quorum \(4\)/);
    expect(refused.status).toBe(400);
  });
});
