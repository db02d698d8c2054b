import { constants, createDecipheriv, createPrivateKey, generateKeyPairSync, privateDecrypt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyMaterial } from "./generate";
import type { KeyMaterial, RsaKeyMaterial } from "./material";
import { publicJwkOf } from "./public-key";
import type { RsaPublicJwk } from "./public-key";
import { releaseKeyMaterial, unwrapRsaAes } from "./release";
import { expectBadParameter } from "./test/expect-error";
import { scratch } from "./test/openssl";
import { privateKeyObject } from "./lib/key-objects";

let runtime: RsaKeyMaterial;
let runtimeJwk: RsaPublicJwk;
const targets: Record<string, KeyMaterial> = {};
const sh = scratch();

beforeAll(async () => {
  const [r, rsa, ec, aes] = await Promise.all([
    generateKeyMaterial({ kty: "RSA", size: 2048 }),
    generateKeyMaterial({ kty: "RSA", size: 3072 }),
    generateKeyMaterial({ kty: "EC", crv: "P-521" }),
    generateKeyMaterial({ kty: "oct", size: 256 }),
  ]);
  if (r.kty !== "RSA") throw new Error("fixtures");
  runtime = r;
  const jwk = publicJwkOf(r);
  if (jwk.kty !== "RSA") throw new Error("fixtures");
  runtimeJwk = jwk;
  Object.assign(targets, { "RSA-3072": rsa, "EC P-521": ec, "AES-256": aes });
  sh.write("runtime.pem", privateKeyObject(r).export({ type: "pkcs8", format: "pem" }));
});
afterAll(() => sh.remove());

/** What a released blob must open to: PKCS#8 DER for RSA/EC (compared as JWK), raw bytes for AES. */
function expectMaterial(plaintext: Buffer, material: KeyMaterial): void {
  if (material.kty === "oct") {
    expect(plaintext.toString("base64url")).toBe(material.k);
    return;
  }
  const jwk = createPrivateKey({ key: plaintext, format: "der", type: "pkcs8" }).export({ format: "jwk" });
  expect(jwk.d).toBe(material.d);
}

describe("CKM_RSA_AES_KEY_WRAP (OAEP-SHA1)", () => {
  it.each(["RSA-3072", "EC P-521", "AES-256"])("%s opens with the OpenSSL CLI: pkeyutl OAEP-SHA1, then enc -id-aes256-wrap-pad", (name) => {
    const material = targets[name]!;
    const blob = Buffer.from(releaseKeyMaterial(material, runtimeJwk, "CKM_RSA_AES_KEY_WRAP"));
    sh.write("aes.wrapped", blob.subarray(0, 256));
    sh.write("target.wrapped", blob.subarray(256));
    const oaep = ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha1", "-pkeyopt", "rsa_mgf1_md:sha1"];
    const aesKey = sh.openssl("pkeyutl", "-decrypt", "-inkey", "runtime.pem", ...oaep, "-in", "aes.wrapped");
    expect(aesKey).toHaveLength(32);
    const plaintext = sh.openssl("enc", "-d", "-id-aes256-wrap-pad", "-K", aesKey.toString("hex"), "-iv", "A65959A6", "-in", "target.wrapped");
    expectMaterial(plaintext, material);
  });
});

describe.each([
  ["RSA_AES_KEY_WRAP_256", "sha256"],
  ["RSA_AES_KEY_WRAP_384", "sha384"],
] as const)("%s", (alg, oaepHash) => {
  it.each(["RSA-3072", "EC P-521", "AES-256"])("%s opens with Node (OAEP-%s) and with unwrapRsaAes", (name) => {
    const material = targets[name]!;
    const blob = Buffer.from(releaseKeyMaterial(material, runtimeJwk, alg));
    const aesKey = privateDecrypt({ key: privateKeyObject(runtime), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, blob.subarray(0, 256));
    const decipher = createDecipheriv("id-aes256-wrap-pad", aesKey, Buffer.from("A65959A6", "hex"));
    expectMaterial(Buffer.concat([decipher.update(blob.subarray(256)), decipher.final()]), material);
    const opened = unwrapRsaAes(blob, runtime, alg);
    expect(opened.ok).toBe(true);
    if (opened.ok) expectMaterial(opened.plaintext, material);
  });

  it("does not open under another OAEP hash", () => {
    const blob = releaseKeyMaterial(targets["AES-256"]!, runtimeJwk, alg);
    expect(unwrapRsaAes(blob, runtime, "CKM_RSA_AES_KEY_WRAP")).toMatchObject({ ok: false, code: "WRAPPED_KEY" });
  });
});

describe("unwrapRsaAes failures", () => {
  it("names the failing layer", () => {
    const blob = Buffer.from(releaseKeyMaterial(targets["AES-256"]!, runtimeJwk, "CKM_RSA_AES_KEY_WRAP"));
    expect(unwrapRsaAes(blob.subarray(0, 270), runtime, "CKM_RSA_AES_KEY_WRAP")).toMatchObject({ ok: false, code: "LENGTH" });
    const payload = Buffer.from(blob);
    payload[payload.length - 1]! ^= 1;
    expect(unwrapRsaAes(payload, runtime, "CKM_RSA_AES_KEY_WRAP")).toMatchObject({ ok: false, code: "PAYLOAD" });
    const wrappedKey = Buffer.from(blob);
    wrappedKey[0]! ^= 1;
    expect(unwrapRsaAes(wrappedKey, runtime, "CKM_RSA_AES_KEY_WRAP")).toMatchObject({ ok: false, code: "WRAPPED_KEY" });
  });
});

describe("the runtime key", () => {
  it("must be a valid RSA public JWK of at least 2048 bits", () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
    const smallJwk: RsaPublicJwk = { kty: "RSA", n: String(small.n), e: String(small.e) };
    expect(expectBadParameter(() => releaseKeyMaterial(targets["AES-256"]!, smallJwk, "CKM_RSA_AES_KEY_WRAP"), "ReleaseWrappingKey")).toMatch(/RSA-1024/);
    expectBadParameter(() => releaseKeyMaterial(targets["AES-256"]!, { kty: "RSA", n: "", e: "AQAB" }, "RSA_AES_KEY_WRAP_256"), "ReleaseWrappingKey");
  });

  it("the released blob is different each time (fresh AES key)", () => {
    const a = Buffer.from(releaseKeyMaterial(targets["AES-256"]!, runtimeJwk, "CKM_RSA_AES_KEY_WRAP"));
    const b = Buffer.from(releaseKeyMaterial(targets["AES-256"]!, runtimeJwk, "CKM_RSA_AES_KEY_WRAP"));
    expect(a).not.toEqual(b);
  });
});
