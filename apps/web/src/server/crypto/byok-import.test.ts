import { createHash, createPrivateKey, generateKeyPair, generateKeyPairSync } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RsaSize } from "@keyward/shared";
import { importByok, readByok } from "./byok-import";
import { generateKeyMaterial } from "./generate";
import type { RsaKeyMaterial } from "./material";
import { sign } from "./operations";
import { spkiPemOf } from "./public-key";
import { KID, envelope, padTo8, vendorByok } from "./test/byok-vendor";
import type { VendorOptions } from "./test/byok-vendor";
import { expectBadParameter } from "./test/expect-error";
import { scratch } from "./test/openssl";

const sh = scratch();
const keks = new Map<RsaSize, RsaKeyMaterial>();
let otherKek: RsaKeyMaterial;
const generated = new Map<string, KeyObject>();
const generatePair = promisify(generateKeyPair);

const kek = (size: RsaSize = 2048) => keks.get(size)!;
const kekPem = (size: RsaSize = 2048) => `kek${size}.pem`;
const asRsa = (m: Awaited<ReturnType<typeof generateKeyMaterial>>): RsaKeyMaterial => {
  if (m.kty !== "RSA") throw new Error("expected RSA");
  return m;
};

/** Target key files, made by the OpenSSL CLI where it is quick and by Node for big RSA. */
function cliTarget(name: string, ...genpkey: string[]): Buffer {
  sh.openssl("genpkey", ...genpkey, "-out", `${name}.pem`);
  return sh.openssl("pkcs8", "-topk8", "-nocrypt", "-in", `${name}.pem`, "-outform", "DER");
}

const der = (key: KeyObject) => key.export({ format: "der", type: "pkcs8" });
const jwkOf = (pkcs8: Uint8Array) => createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" }).export({ format: "jwk" });

beforeAll(async () => {
  const [k2, k3, k4, other, rsa3072, rsa4096] = await Promise.all([
    generateKeyMaterial({ kty: "RSA", size: 2048 }),
    generateKeyMaterial({ kty: "RSA", size: 3072 }),
    generateKeyMaterial({ kty: "RSA", size: 4096 }),
    generateKeyMaterial({ kty: "RSA", size: 2048 }),
    generatePair("rsa", { modulusLength: 3072 }),
    generatePair("rsa", { modulusLength: 4096 }),
  ]);
  keks.set(2048, asRsa(k2)).set(3072, asRsa(k3)).set(4096, asRsa(k4));
  otherKek = asRsa(other);
  for (const [size, material] of keks) sh.write(kekPem(size), spkiPemOf(material));
  generated.set("RSA-3072", rsa3072.privateKey).set("RSA-4096", rsa4096.privateKey);
});
afterAll(() => sh.remove());

/** Wraps `plaintext` for the 2048-bit KEK (or `size`) and returns the .byok text. */
function byokOf(plaintext: Uint8Array, size: RsaSize = 2048, options: VendorOptions = {}): string {
  sh.write("target.bin", plaintext);
  return vendorByok(sh, kekPem(size), "target.bin", options).text;
}

describe("readByok", () => {
  it("returns the KEK id and the ciphertext, from bytes or text", () => {
    const text = byokOf(Buffer.alloc(32, 1));
    expect(readByok(text).kid).toBe(KID);
    expect(readByok(Buffer.from(text)).ciphertext).toHaveLength(256 + 40);
  });
});

describe("import of vendor-made .byok files", () => {
  it.each([2048, 3072, 4096] as const)("opens an AES-256 target under a %i-bit KEK", (size) => {
    const aes = Buffer.alloc(32, 0x5a);
    const imported = importByok(Buffer.from(byokOf(aes, size)), kek(size), { kty: "oct-HSM" });
    expect(imported).toEqual({ material: { kty: "oct", k: aes.toString("base64url") }, spec: { kty: "oct", size: 256 } });
  });

  it.each([16, 24, 32] as const)("opens AES-128/192/256 targets (transfer key %i bytes)", (transferKeyBytes) => {
    for (const bytes of [16, 24, 32]) {
      const aes = Buffer.alloc(bytes, bytes);
      const imported = importByok(byokOf(aes, 2048, { transferKeyBytes }), kek(), { kty: "oct-HSM" });
      expect(imported.material).toEqual({ kty: "oct", k: aes.toString("base64url") });
      expect(imported.spec).toEqual({ kty: "oct", size: bytes * 8 });
    }
  });

  it("opens an RSA-2048 target zero-padded to 8 bytes like SoftHSM, and the imported key signs like the original", () => {
    // RSA DER length varies with the integers; one in eight needs no padding, so draw until one does.
    let pkcs8 = cliTarget("rsa2048", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
    while (pkcs8.length % 8 === 0) pkcs8 = cliTarget("rsa2048", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048");
    const padded = padTo8(pkcs8);
    expect(padded.length).toBeGreaterThan(pkcs8.length);
    const { material, spec } = importByok(byokOf(padded), kek(), { kty: "RSA-HSM" });
    expect(spec).toEqual({ kty: "RSA", size: 2048 });
    expect(material).toMatchObject({ kty: "RSA", n: jwkOf(pkcs8).n, d: jwkOf(pkcs8).d });
    const message = Buffer.from("proof of possession");
    sh.write("pop.msg", message);
    sh.write("pop.sig", sign(material, "RS256", createHash("sha256").update(message).digest()));
    sh.openssl("pkey", "-in", "rsa2048.pem", "-pubout", "-out", "rsa2048.pub.pem");
    expect(sh.opensslOk("dgst", "-sha256", "-verify", "rsa2048.pub.pem", "-signature", "pop.sig", "pop.msg")).toBe(true);
  });

  it.each(["RSA-3072", "RSA-4096"])("opens an %s target", (name) => {
    const pkcs8 = der(generated.get(name)!);
    const { material, spec } = importByok(byokOf(pkcs8), kek(), { kty: "RSA-HSM" });
    expect(spec).toEqual({ kty: "RSA", size: Number(name.slice(4)) });
    expect(material).toMatchObject({ d: jwkOf(pkcs8).d, qi: jwkOf(pkcs8).qi });
  });

  it.each([
    ["P-256", "P-256"],
    ["P-256K", "secp256k1"],
    ["P-384", "P-384"],
    ["P-521", "P-521"],
  ] as const)("opens an EC %s target, with and without the declared crv", (crv, opensslName) => {
    const pkcs8 = cliTarget(`ec-${crv}`, "-algorithm", "EC", "-pkeyopt", `ec_paramgen_curve:${opensslName}`);
    const expected = jwkOf(pkcs8);
    for (const declared of [{ kty: "EC-HSM", crv }, { kty: "EC-HSM" }]) {
      const { material, spec } = importByok(byokOf(padTo8(pkcs8)), kek(), declared);
      expect(spec).toEqual({ kty: "EC", crv });
      expect(material).toMatchObject({ kty: "EC", crv, x: expected.x, y: expected.y, d: expected.d });
    }
  });

  it("opens an EC P-256 target whose PKCS#8 omits the public key (as SoftHSM writes it)", () => {
    sh.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "nopub.pem");
    sh.openssl("ec", "-in", "nopub.pem", "-no_public", "-out", "nopub-ec.pem");
    const pkcs8 = sh.openssl("pkcs8", "-topk8", "-nocrypt", "-in", "nopub-ec.pem", "-outform", "DER");
    const full = jwkOf(sh.openssl("pkcs8", "-topk8", "-nocrypt", "-in", "nopub.pem", "-outform", "DER"));
    const { material } = importByok(byokOf(padTo8(pkcs8)), kek(), { kty: "EC-HSM", crv: "P-256" });
    expect(material).toMatchObject({ x: full.x, y: full.y, d: full.d });
  });

  it("accepts base64url with '=' padding", () => {
    const aes = Buffer.alloc(16, 3);
    expect(importByok(byokOf(aes, 2048, { padded: true }), kek(), { kty: "oct-HSM" }).material).toEqual({ kty: "oct", k: aes.toString("base64url") });
  });
});

describe("refusals: the blob", () => {
  const aes = Buffer.alloc(32, 0x11);

  it("a blob wrapped for another KEK", () => {
    const message = expectBadParameter(() => importByok(byokOf(aes), otherKek, { kty: "oct-HSM" }), "ByokWrongKek");
    expect(message).toBe("the blob was not wrapped for this KEK or is corrupted");
  });

  it("a blob for a KEK of another size", () => {
    expectBadParameter(() => importByok(byokOf(aes, 4096), kek(2048), { kty: "oct-HSM" }), "ByokWrongKek");
  });

  it("a corrupted transfer-key part reads as another KEK; a corrupted target part is named", () => {
    const { ciphertext } = vendorByok(sh, kekPem(), sh.write("aes.bin", aes));
    const first = Buffer.from(ciphertext);
    first[17]! ^= 0x01;
    expectBadParameter(() => importByok(envelope(first), kek(), { kty: "oct-HSM" }), "ByokWrongKek");
    const last = Buffer.from(ciphertext);
    last[last.length - 3]! ^= 0x01;
    expect(expectBadParameter(() => importByok(envelope(last), kek(), { kty: "oct-HSM" }), "ByokTargetCorrupted")).toMatch(/integrity check/);
  });

  it("a truncated ciphertext or file", () => {
    const { ciphertext, text } = vendorByok(sh, kekPem(), sh.write("aes.bin", aes));
    expectBadParameter(() => importByok(envelope(ciphertext.subarray(0, ciphertext.length - 5)), kek(), { kty: "oct-HSM" }), "ByokTruncated");
    expectBadParameter(() => importByok(envelope(ciphertext.subarray(0, 200)), kek(), { kty: "oct-HSM" }), "ByokTruncated");
    // Cut by a whole 8-byte block, the KWP integrity check is what notices.
    expectBadParameter(() => importByok(envelope(ciphertext.subarray(0, ciphertext.length - 8)), kek(), { kty: "oct-HSM" }), "ByokTargetCorrupted");
    expectBadParameter(() => importByok(text.slice(0, text.length / 2), kek(), { kty: "oct-HSM" }), "ByokMalformed");
  });

  it.each([
    [{ schemaVersion: "1.0" }, "ByokSchemaVersion"],
    [{ alg: "RSA-OAEP" }, "ByokAlg"],
    [{ enc: "CKM_RSA_PKCS_OAEP" }, "ByokEnc"],
  ] as const)("a wrong envelope field %o", (options, inner) => {
    expectBadParameter(() => importByok(byokOf(aes, 2048, options), kek(), { kty: "oct-HSM" }), inner);
  });

  it("a file that is not JSON or not UTF-8, and a non-base64url ciphertext", () => {
    expectBadParameter(() => importByok(Buffer.from([0xff, 0xfe, 0x00]), kek(), { kty: "oct-HSM" }), "ByokMalformed");
    expectBadParameter(() => importByok("nope", kek(), { kty: "oct-HSM" }), "ByokMalformed");
    const text = JSON.parse(byokOf(aes)) as { ciphertext: string };
    text.ciphertext = `${text.ciphertext.slice(0, 10)}+/${text.ciphertext.slice(12)}`;
    expectBadParameter(() => importByok(JSON.stringify(text), kek(), { kty: "oct-HSM" }), "ByokCiphertext");
  });

  it("a transfer key that is not an AES key", () => {
    // Built by hand: OpenSSL has no 160-bit AES, so the target is wrapped with a 256-bit key and a 20-byte key is sent.
    const plain = vendorByok(sh, kekPem(), sh.write("aes.bin", aes));
    sh.openssl("rand", "-out", "short.key", "20");
    sh.openssl("pkeyutl", "-encrypt", "-pubin", "-inkey", kekPem(), "-in", "short.key", "-out", "short.wrapped", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha1");
    const ciphertext = Buffer.concat([sh.read("short.wrapped"), plain.ciphertext.subarray(256)]);
    expectBadParameter(() => importByok(envelope(ciphertext), kek(), { kty: "oct-HSM" }), "ByokTransferKeyLength");
  });

  it("a KEK of an unsupported size", () => {
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "jwk" });
    const smallKek = { kty: "RSA", n: small.n, e: small.e, d: small.d, p: small.p, q: small.q, dp: small.dp, dq: small.dq, qi: small.qi } as RsaKeyMaterial;
    expectBadParameter(() => importByok(byokOf(aes), smallKek, { kty: "oct-HSM" }), "ByokKekInvalid");
  });
});

describe("refusals: the target", () => {
  it("RSA-1024", () => {
    const pkcs8 = cliTarget("rsa1024", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024");
    expect(expectBadParameter(() => importByok(byokOf(pkcs8), kek(), { kty: "RSA-HSM" }), "ByokUnsupportedKeySize")).toMatch(/RSA-1024/);
  });

  it("EC on P-192 (secp192r1)", () => {
    const pkcs8 = cliTarget("p192", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime192v1");
    expect(expectBadParameter(() => importByok(byokOf(pkcs8), kek(), { kty: "EC-HSM" }), "ByokUnsupportedCurve")).toMatch(/prime192v1/);
  });

  it.each([8, 40])("a %i-byte raw AES key", (bytes) => {
    expectBadParameter(() => importByok(byokOf(Buffer.alloc(bytes, 1)), kek(), { kty: "oct-HSM" }), "ByokAesKeyLength");
  });

  it("a target that is not what the request declares", () => {
    const rsa = padTo8(cliTarget("rsa-mismatch", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"));
    const ec = padTo8(cliTarget("ec-mismatch", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"));
    const ed = cliTarget("ed", "-algorithm", "ED25519");
    expect(expectBadParameter(() => importByok(byokOf(rsa), kek(), { kty: "EC-HSM" }), "ByokTypeMismatch")).toMatch(/an RSA key; the request declares EC-HSM/);
    expectBadParameter(() => importByok(byokOf(ec), kek(), { kty: "RSA-HSM" }), "ByokTypeMismatch");
    expect(expectBadParameter(() => importByok(byokOf(ec), kek(), { kty: "EC-HSM", crv: "P-384" }), "ByokTypeMismatch")).toMatch(/on P-256; the request declares P-384/);
    expectBadParameter(() => importByok(byokOf(rsa), kek(), { kty: "oct-HSM" }), "ByokTypeMismatch");
    expectBadParameter(() => importByok(byokOf(ed), kek(), { kty: "EC-HSM" }), "ByokTypeMismatch");
    // Raw AES bytes declared as RSA are simply not PKCS#8 (first byte chosen not to look like a SEQUENCE).
    expectBadParameter(() => importByok(byokOf(Buffer.alloc(32, 0x42)), kek(), { kty: "RSA-HSM" }), "ByokPkcs8Invalid");
  });

  it("8 or more bytes of zero padding, or non-zero trailing bytes", () => {
    const pkcs8 = cliTarget("ec-pad", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
    const eight = Buffer.concat([padTo8(pkcs8), Buffer.alloc(8)]);
    expectBadParameter(() => importByok(byokOf(eight), kek(), { kty: "EC-HSM" }), "ByokPkcs8Padding");
    const trailing = Buffer.concat([pkcs8, Buffer.from([0, 0, 1])]);
    expectBadParameter(() => importByok(byokOf(trailing), kek(), { kty: "EC-HSM" }), "ByokPkcs8TrailingData");
  });

  it("an EC key whose public point is not d·G", () => {
    const a = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
    const b = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
    const forged = der(createPrivateKey({ key: { ...a, x: b.x, y: b.y }, format: "jwk" }));
    expectBadParameter(() => importByok(byokOf(forged), kek(), { kty: "EC-HSM" }), "ByokKeyInconsistent");
  });

  it("an undeclared or wrongly declared type or curve", () => {
    const text = byokOf(Buffer.alloc(32, 1));
    expectBadParameter(() => importByok(text, kek(), { kty: "oct" }), "ByokKeyType");
    expectBadParameter(() => importByok(text, kek(), { kty: "RSA-HSM", crv: "P-256" }), "ByokTypeMismatch");
    expectBadParameter(() => importByok(text, kek(), { kty: "EC-HSM", crv: "P-192" }), "ByokUnsupportedCurve");
  });
});
