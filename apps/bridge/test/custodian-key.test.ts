import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pkcs11js from "pkcs11js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CustodianKeyResult, ResultClaims } from "@keyward/shared";
import { certificatePem } from "../src/hsm/certificate.js";
import { isPkcs11Error } from "../src/pkcs11/errors.js";
import { Token } from "../src/pkcs11/token.js";
import { startTestBridge, type TestBridge } from "./helpers/bridge.js";
import { opensslRsaKey } from "./helpers/openssl.js";

let t: TestBridge;
let created: CustodianKeyResult;

function expectRefused(r: ResultClaims, code: string, message?: RegExp) {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error.code).toBe(code);
  if (message) expect(r.error.message).toMatch(message);
}

/** Every object on the token as class:label, to show a refusal changed nothing. */
async function tokenObjects(): Promise<string[]> {
  const token = Token.open({ module: t.token.module, label: t.token.label, pin: t.token.pin });
  return token.withSession(async (s) => {
    s.p11.C_FindObjectsInit(s.handle, []);
    const handles = s.p11.C_FindObjects(s.handle, 1000);
    s.p11.C_FindObjectsFinal(s.handle);
    return handles
      .map((h) => {
        const [cls, label] = s.p11.C_GetAttributeValue(s.handle, h, [{ type: pkcs11js.CKA_CLASS }, { type: pkcs11js.CKA_LABEL }]);
        return `${cls?.value.readUInt32LE(0)}:${label?.value.toString()}`;
      })
      .sort();
  });
}

beforeAll(async () => {
  t = await startTestBridge();
  const r = await t.run({ type: "custodian.createKey", label: "custodian-alice", commonName: "Alice Example", size: 2048, validityDays: 730 });
  if (!r.ok || r.type !== "custodian.createKey") throw new Error(JSON.stringify(r));
  created = r.result;
});
afterAll(() => t?.bridge.close());

describe("custodian.createKey", () => {
  it("makes a self-signed X.509 v3 certificate for the token key, as the result describes it", () => {
    const der = Buffer.from(created.certificate, "base64");
    const x509 = new X509Certificate(der);
    expect(x509.subject).toBe("CN=Alice Example\nO=Keyward custodian");
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.export({ format: "jwk" })).toEqual(created.publicJwk);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(created.size).toBe(2048);
    expect(created.thumbprintSha256).toBe(createHash("sha256").update(der).digest("base64url"));
    expect(x509.fingerprint256.replaceAll(":", "").toLowerCase()).toBe(createHash("sha256").update(der).digest("hex"));
    // From now (to the second) for exactly validityDays days.
    expect(Math.abs(Date.parse(created.notBefore) - Date.now())).toBeLessThan(60_000);
    expect(Date.parse(created.notBefore) % 1000).toBe(0);
    expect(Date.parse(created.notAfter) - Date.parse(created.notBefore)).toBe(730 * 86_400_000);
    expect(new Date(x509.validFrom).toISOString()).toBe(created.notBefore);
    expect(new Date(x509.validTo).toISOString()).toBe(created.notAfter);
    // A positive serial of 16 random bytes.
    expect(x509.serialNumber).toMatch(/^[0-7][0-9A-F]{31}$/);
  });

  it("the OpenSSL CLI reads it as v3, sha256WithRSAEncryption, keyUsage digitalSignature + keyEncipherment, validly self-signed", () => {
    const dir = mkdtempSync(join(tmpdir(), "keyward-cert-"));
    const pem = join(dir, "custodian.pem");
    writeFileSync(pem, certificatePem(Buffer.from(created.certificate, "base64")));
    const text = execFileSync("openssl", ["x509", "-in", pem, "-noout", "-text"], { encoding: "utf8" });
    expect(text).toMatch(/Version: 3 \(0x2\)/);
    expect(text).toMatch(/Signature Algorithm: sha256WithRSAEncryption/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment/);
    const verify = execFileSync("openssl", ["verify", "-check_ss_sig", "-CAfile", pem, pem], { encoding: "utf8" });
    expect(verify.trim()).toBe(`${pem}: OK`);
  });

  it("keeps the private key in the token: sensitive, never extractable, decrypt-only after signing its certificate", async () => {
    const token = Token.open({ module: t.token.module, label: t.token.label, pin: t.token.pin });
    await token.withSession(async (s) => {
      const find = (cls: number) => {
        s.p11.C_FindObjectsInit(s.handle, [{ type: pkcs11js.CKA_CLASS, value: cls }, { type: pkcs11js.CKA_LABEL, value: "custodian-alice" }]);
        const found = s.p11.C_FindObjects(s.handle, 10);
        s.p11.C_FindObjectsFinal(s.handle);
        return found;
      };
      const [priv, ...more] = find(pkcs11js.CKO_PRIVATE_KEY);
      expect(more).toEqual([]);
      const flags = s.p11
        .C_GetAttributeValue(s.handle, priv!, [pkcs11js.CKA_TOKEN, pkcs11js.CKA_PRIVATE, pkcs11js.CKA_SENSITIVE, pkcs11js.CKA_EXTRACTABLE, pkcs11js.CKA_NEVER_EXTRACTABLE, pkcs11js.CKA_DECRYPT, pkcs11js.CKA_SIGN].map((type) => ({ type })))
        .map((a) => a.value[0]);
      expect(flags).toEqual([1, 1, 1, 0, 1, 1, 0]);
      let refused: unknown;
      try {
        s.p11.C_GetAttributeValue(s.handle, priv!, [{ type: pkcs11js.CKA_PRIVATE_EXPONENT }]);
      } catch (err) {
        refused = err;
      }
      expect(isPkcs11Error(refused) && refused.code).toBe(0x11); // CKR_ATTRIBUTE_SENSITIVE
      // The certificate is a token object beside the key: same label, same CKA_ID, the DER as CKA_VALUE.
      const [cert] = find(pkcs11js.CKO_CERTIFICATE);
      const [certId, certValue] = s.p11.C_GetAttributeValue(s.handle, cert!, [{ type: pkcs11js.CKA_ID }, { type: pkcs11js.CKA_VALUE }]);
      const [keyId] = s.p11.C_GetAttributeValue(s.handle, priv!, [{ type: pkcs11js.CKA_ID }]);
      expect(certId?.value.equals(keyId!.value)).toBe(true);
      expect(certValue?.value.toString("base64")).toBe(created.certificate);
    });
  });

  it("cannot be taken out of the token even wrapped (byok.wrap refuses it)", async () => {
    const kek = opensslRsaKey(2048).publicPem;
    const r = await t.run({ type: "byok.wrap", target: "custodian-alice", kek: { kid: "https://local.keyward.test/keys/kek/0123456789abcdef0123456789abcdef", publicKeyPem: kek } });
    expectRefused(r, "TARGET_NOT_EXTRACTABLE");
  });

  it("refuses a label that is already taken, and changes nothing", async () => {
    const before = await tokenObjects();
    expectRefused(await t.run({ type: "custodian.createKey", label: "custodian-alice", commonName: "Mallory", size: 2048, validityDays: 30 }), "LABEL_EXISTS", /"custodian-alice" already exists/);
    const byok = await t.run({ type: "key.generate", label: "byok-target", key: { kty: "oct", size: 256 } });
    expect(byok.ok).toBe(true);
    const withTarget = await tokenObjects();
    expectRefused(await t.run({ type: "custodian.createKey", label: "byok-target", commonName: "Mallory", size: 2048, validityDays: 30 }), "LABEL_EXISTS", /"byok-target"/);
    expect(await tokenObjects()).toEqual(withTarget);
    expect(withTarget.filter((o) => !o.endsWith(":byok-target"))).toEqual(before);
  });
});

describe("custodian.certificate", () => {
  it("answers the same certificate for an existing custodian key, also after a restart", async () => {
    const r = await t.run({ type: "custodian.certificate", label: "custodian-alice" });
    if (!r.ok || r.type !== "custodian.certificate") throw new Error(JSON.stringify(r));
    expect(r.result).toEqual(created);
    await t.reopen();
    const again = await t.run({ type: "custodian.certificate", label: "custodian-alice" });
    expect(again.ok && again.result).toEqual(created);
  });

  it("refuses an unknown label with UNKNOWN_TARGET", async () => {
    expectRefused(await t.run({ type: "custodian.certificate", label: "custodian-nobody" }), "UNKNOWN_TARGET", /no custodian key labelled "custodian-nobody"/);
  });

  it("refuses a key that is not a custodian key (no certificate) with UNKNOWN_TARGET", async () => {
    const r = await t.run({ type: "key.generate", label: "plain-rsa", key: { kty: "RSA", size: 2048 } });
    expect(r.ok).toBe(true);
    expectRefused(await t.run({ type: "custodian.certificate", label: "plain-rsa" }), "UNKNOWN_TARGET", /"plain-rsa" on this token is not a custodian key/);
  });
});
