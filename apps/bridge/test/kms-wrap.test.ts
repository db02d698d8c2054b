import { createPublicKey, createPrivateKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BridgeError, KMS_WRAPPING_ALGORITHMS, trimPkcs8Padding, type ResultClaims } from "@keyward/shared";
import { wrapForKms } from "../src/hsm/kms-wrap.js";
import { startTestBridge, type TestBridge } from "./helpers/bridge.js";
import { opensslKcv, opensslPublicFromPkcs8, opensslRsaDecrypt, opensslRsaKey, opensslUnwrap } from "./helpers/openssl.js";

// One bridge and one SoftHSM2 token for the whole file; the wrapping key is held by the test alone.
let t: TestBridge;
let wrapping: ReturnType<typeof opensslRsaKey>;
let spki: string;
let aesKcv: string;

beforeAll(async () => {
  t = await startTestBridge();
  wrapping = opensslRsaKey(2048);
  spki = createPublicKey(wrapping.publicPem).export({ type: "spki", format: "der" }).toString("base64");
  const aes = await t.run({ type: "key.generate", label: "kms-aes", key: { kty: "oct", size: 256 } });
  if (!aes.ok || aes.type !== "key.generate") throw new Error(JSON.stringify(aes));
  aesKcv = aes.result.kcv ?? "";
  const rsa = await t.run({ type: "key.generate", label: "kms-rsa", key: { kty: "RSA", size: 2048 } });
  if (!rsa.ok) throw new Error(JSON.stringify(rsa));
});
afterAll(() => t?.bridge.close());

const wrap = (fields: Record<string, unknown>) => t.run({ type: "kms.wrapMaterial", target: "kms-aes", wrappingPublicKey: spki, algorithm: "RSAES_OAEP_SHA_1", ...fields });

function ok(r: ResultClaims) {
  if (!r.ok || r.type !== "kms.wrapMaterial") throw new Error(JSON.stringify(r));
  return r.result;
}

function refused(r: ResultClaims): { code: string; message: string } {
  if (r.ok) throw new Error(`not refused: ${JSON.stringify(r)}`);
  return r.error;
}

describe("hsm.describe for KMS imports", () => {
  it("reports the KMS wrapping algorithms SoftHSM2 2.6.1 can do: SHA-1 forms and PKCS#1 v1.5, no SHA-256", async () => {
    const r = await t.run({ type: "hsm.describe" });
    if (!r.ok || r.type !== "hsm.describe") throw new Error(JSON.stringify(r));
    expect(r.result.kms.wrappingAlgorithms).toEqual(["RSAES_OAEP_SHA_1", "RSAES_PKCS1_V1_5", "RSA_AES_KEY_WRAP_SHA_1"]);
    expect(r.result.kms.note).toMatch(/PKCS1_V1_5 is deprecated/);
  });
});

describe("kms.wrapMaterial, checked with the OpenSSL CLI", () => {
  it("wraps an AES-256 key with RSAES_OAEP_SHA_1 inside the token; OpenSSL opens it to the key the KCV names", async () => {
    const result = ok(await wrap({}));
    expect(result).toMatchObject({ algorithm: "RSAES_OAEP_SHA_1", kcv: aesKcv, wrappingKey: { size: 2048 }, warnings: [] });
    expect(result.target).toMatchObject({ label: "kms-aes", spec: { kty: "oct", size: 256 } });
    const material = opensslRsaDecrypt(Buffer.from(result.encryptedKeyMaterial, "base64"), wrapping.privatePath, "oaep-sha1");
    expect(material).toHaveLength(32);
    expect(opensslKcv(material)).toBe(aesKcv);
  });

  it("refuses RSAES_OAEP_SHA_256 clearly on SoftHSM2, which has OAEP with SHA-1 only", async () => {
    const e = refused(await wrap({ algorithm: "RSAES_OAEP_SHA_256" }));
    expect(e.code).toBe("MECHANISM_UNSUPPORTED");
    expect(e.message).toMatch(/cannot wrap with RSAES_OAEP_SHA_256.*it can do RSAES_OAEP_SHA_1, RSAES_PKCS1_V1_5, RSA_AES_KEY_WRAP_SHA_1/);
    expect(refused(await wrap({ algorithm: "RSA_AES_KEY_WRAP_SHA_256", target: "kms-rsa" })).code).toBe("MECHANISM_UNSUPPORTED");
  });

  it("turns the HSM's own refusal of SHA-256 (CKR_ARGUMENTS_BAD) into the same clear code when the probe is bypassed", async () => {
    const { token, directory, capabilities } = t.bridge.ctx;
    const err = await token
      .withSession((s) => wrapForKms(s, { target: "kms-aes", wrappingPublicKey: spki, algorithm: "RSAES_OAEP_SHA_256" }, { kwp: capabilities.kwp, directory, available: KMS_WRAPPING_ALGORITHMS }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ code: "MECHANISM_UNSUPPORTED", message: expect.stringMatching(/RSAES_OAEP_SHA_256 \(the HSM answered CKR_ARGUMENTS_BAD\)/) });
  });

  it("refuses RSAES_PKCS1_V1_5 without the explicit opt-in", async () => {
    const e = refused(await wrap({ algorithm: "RSAES_PKCS1_V1_5" }));
    expect(e.code).toBe("INVALID_COMMAND");
    expect(e.message).toMatch(/deprecated/);
  });

  it("wraps with RSAES_PKCS1_V1_5 when opted in, with a warning in the result", async () => {
    const result = ok(await wrap({ algorithm: "RSAES_PKCS1_V1_5", allowDeprecatedPkcs1: true }));
    expect(result.warnings).toEqual([expect.stringMatching(/NIST SP 800-131A/)]);
    const material = opensslRsaDecrypt(Buffer.from(result.encryptedKeyMaterial, "base64"), wrapping.privatePath, "pkcs1");
    expect(opensslKcv(material)).toBe(aesKcv);
  });

  it("wraps an RSA key with RSA_AES_KEY_WRAP_SHA_1 (the two-step form) that OpenSSL opens to its PKCS#8", async () => {
    const result = ok(await wrap({ algorithm: "RSA_AES_KEY_WRAP_SHA_1", target: "kms-rsa" }));
    expect(result.kcv).toBeUndefined();
    const { plaintext } = opensslUnwrap(Buffer.from(result.encryptedKeyMaterial, "base64"), wrapping.privatePath, 256);
    const trimmed = trimPkcs8Padding(new Uint8Array(plaintext));
    if (!trimmed.ok) throw new Error(trimmed.message);
    const jwk = result.target.publicJwk!;
    expect(opensslPublicFromPkcs8(Buffer.from(trimmed.der))).toEqual(createPublicKey({ key: jwk, format: "jwk" }).export({ type: "spki", format: "der" }));
    expect(() => createPrivateKey({ key: plaintext, format: "der", type: "pkcs8" })).not.toThrow();
  });

  it("refuses a direct RSAES wrap of an RSA key, an unreadable or too small wrapping key, and an unknown target", async () => {
    expect(refused(await wrap({ target: "kms-rsa" }))).toMatchObject({ code: "UNSUPPORTED_KEY", message: expect.stringMatching(/symmetric material only/) });
    expect(refused(await wrap({ wrappingPublicKey: "AAAA" })).code).toBe("INVALID_KEK");
    const small = createPublicKey(opensslRsaKey(1024).publicPem).export({ type: "spki", format: "der" }).toString("base64");
    expect(refused(await wrap({ wrappingPublicKey: small }))).toMatchObject({ code: "INVALID_KEK", message: expect.stringMatching(/RSA-1024/) });
    expect(refused(await wrap({ target: "nobody" })).code).toBe("UNKNOWN_TARGET");
  });

  it("leaves no session objects behind", async () => {
    const list = await t.run({ type: "key.list" });
    if (!list.ok || list.type !== "key.list") throw new Error("list failed");
    expect(list.result.keys.map((k) => k.label).sort()).toEqual(["kms-aes", "kms-rsa"]);
  });
});
