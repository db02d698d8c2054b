import { constants, createHash, createPrivateKey, createPublicKey, privateDecrypt, publicDecrypt, publicEncrypt, randomBytes, verify as nodeVerify, sign as nodeSign } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RsaSize } from "@keyward/shared";
import { generateKeyMaterial } from "./generate";
import type { RsaKeyMaterial } from "./material";
import { decrypt, encrypt, sign, unwrapKey, verify, wrapKey } from "./operations";
import { spkiPemOf } from "./public-key";
import { expectBadParameter } from "./test/expect-error";
import { scratch } from "./test/openssl";

const SIZES: RsaSize[] = [2048, 3072, 4096];
const HASH = { RS256: "sha256", RS384: "sha384", RS512: "sha512", PS256: "sha256", PS384: "sha384", PS512: "sha512" } as const;
type HashedAlg = keyof typeof HASH;
const HASHED = Object.keys(HASH) as HashedAlg[];

interface Fixture {
  material: RsaKeyMaterial;
  privateKey: KeyObject;
  publicKey: KeyObject;
}
const fixtures = new Map<RsaSize, Fixture>();
const fixture = (size: RsaSize) => fixtures.get(size)!;
const sh = scratch();

beforeAll(async () => {
  // Generated once per file, in parallel on the thread pool: RSA-4096 takes about a second.
  const all = await Promise.all(SIZES.map((size) => generateKeyMaterial({ kty: "RSA", size })));
  all.forEach((material, i) => {
    if (material.kty !== "RSA") throw new Error("expected RSA");
    const privateKey = createPrivateKey({ key: { ...material }, format: "jwk" });
    fixtures.set(SIZES[i]!, { material, privateKey, publicKey: createPublicKey(privateKey) });
  });
  const f = fixture(2048);
  sh.write("pub.pem", spkiPemOf(f.material));
  sh.write("priv.pem", f.privateKey.export({ type: "pkcs8", format: "pem" }));
});
afterAll(() => sh.remove());

const padding = (alg: HashedAlg) =>
  alg.startsWith("PS")
    ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : { padding: constants.RSA_PKCS1_PADDING };

describe.each(SIZES)("RSA-%i signatures over a digest", (size) => {
  it.each(HASHED)("%s verifies with Node's verify over the original message", (alg) => {
    const { material, publicKey, privateKey } = fixture(size);
    const message = randomBytes(200);
    const digest = createHash(HASH[alg]).update(message).digest();
    const signature = sign(material, alg, digest);
    expect(signature).toHaveLength(size / 8);
    expect(nodeVerify(HASH[alg], message, { key: publicKey, ...padding(alg) }, signature)).toBe(true);
    expect(verify(material, alg, digest, signature)).toBe(true);
    // And the other way: Node's signature of the message verifies here over its digest.
    const theirs = nodeSign(HASH[alg], message, { key: privateKey, ...padding(alg) });
    expect(verify(material, alg, digest, theirs)).toBe(true);
  });

  it.each(HASHED)("%s verify is false for another digest, an altered or a truncated signature", (alg) => {
    const { material } = fixture(size);
    const digest = createHash(HASH[alg]).update("m").digest();
    const signature = Buffer.from(sign(material, alg, digest));
    const otherDigest = createHash(HASH[alg]).update("n").digest();
    expect(verify(material, alg, otherDigest, signature)).toBe(false);
    const altered = Buffer.from(signature);
    altered[10]! ^= 1;
    expect(verify(material, alg, digest, altered)).toBe(false);
    expect(verify(material, alg, digest, signature.subarray(1))).toBe(false);
    expect(verify(material, alg, digest, new Uint8Array(size / 8).fill(0xff))).toBe(false);
  });
});

describe("RS and PS details", () => {
  it("PS signatures are randomized (fresh salt)", () => {
    const { material } = fixture(2048);
    const digest = createHash("sha256").update("m").digest();
    expect(Buffer.from(sign(material, "PS256", digest))).not.toEqual(Buffer.from(sign(material, "PS256", digest)));
  });

  it("RS signatures are deterministic", () => {
    const { material } = fixture(2048);
    const digest = createHash("sha256").update("m").digest();
    expect(Buffer.from(sign(material, "RS256", digest))).toEqual(Buffer.from(sign(material, "RS256", digest)));
  });

  it("PS verify insists on a salt as long as the hash", () => {
    const { material, privateKey } = fixture(2048);
    const message = Buffer.from("m");
    const theirs = nodeSign("sha256", message, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 });
    expect(verify(material, "PS256", createHash("sha256").update(message).digest(), theirs)).toBe(false);
  });

  it("refuses a digest of the wrong length", () => {
    const { material } = fixture(2048);
    expect(expectBadParameter(() => sign(material, "RS256", randomBytes(20)), "DigestLength")).toMatch(/32-byte SHA-256 digest; got 20/);
    expectBadParameter(() => sign(material, "PS512", randomBytes(48)), "DigestLength");
    expectBadParameter(() => verify(material, "RS384", randomBytes(32), randomBytes(256)), "DigestLength");
  });
});

describe("RSNULL", () => {
  it("pads the raw value with PKCS#1 v1.5 and no DigestInfo", () => {
    const { material, publicKey } = fixture(2048);
    const value = randomBytes(36); // e.g. the MD5||SHA-1 of TLS 1.1
    const signature = sign(material, "RSNULL", value);
    expect(publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature)).toEqual(value);
    expect(verify(material, "RSNULL", value, signature)).toBe(true);
    expect(verify(material, "RSNULL", randomBytes(36), signature)).toBe(false);
  });

  it("refuses an empty value or one too long for the padding", () => {
    const { material } = fixture(2048);
    expectBadParameter(() => sign(material, "RSNULL", new Uint8Array(0)), "DigestLength");
    expect(sign(material, "RSNULL", randomBytes(245))).toHaveLength(256);
    expect(expectBadParameter(() => sign(material, "RSNULL", randomBytes(246)), "DigestLength")).toMatch(/1 to 245 bytes/);
  });
});

describe("signatures checked by the OpenSSL CLI", () => {
  it("RS256 and PS384 verify with `openssl dgst -verify` over the message", () => {
    const { material } = fixture(2048);
    const message = randomBytes(64);
    sh.write("msg.bin", message);
    sh.write("rs256.sig", sign(material, "RS256", createHash("sha256").update(message).digest()));
    expect(sh.opensslOk("dgst", "-sha256", "-verify", "pub.pem", "-signature", "rs256.sig", "msg.bin")).toBe(true);
    sh.write("ps384.sig", sign(material, "PS384", createHash("sha384").update(message).digest()));
    const pss = ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"];
    expect(sh.opensslOk("dgst", "-sha384", ...pss, "-verify", "pub.pem", "-signature", "ps384.sig", "msg.bin")).toBe(true);
    // A control, so a CLI that accepts anything would be noticed.
    expect(sh.opensslOk("dgst", "-sha384", ...pss, "-verify", "pub.pem", "-signature", "rs256.sig", "msg.bin")).toBe(false);
  });

  it("RSNULL verifies with `openssl pkeyutl -verify` (raw PKCS#1 v1.5)", () => {
    const { material } = fixture(2048);
    const value = randomBytes(48);
    sh.write("raw.bin", value);
    sh.write("raw.sig", sign(material, "RSNULL", value));
    expect(sh.opensslOk("pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-in", "raw.bin", "-sigfile", "raw.sig")).toBe(true);
  });

  it("a digest signed by `openssl pkeyutl -sign -pkeyopt digest:sha512` verifies as RS512", () => {
    const { material } = fixture(2048);
    const digest = createHash("sha512").update("cli").digest();
    sh.write("d512.bin", digest);
    const signature = sh.openssl("pkeyutl", "-sign", "-inkey", "priv.pem", "-in", "d512.bin", "-pkeyopt", "digest:sha512");
    expect(verify(material, "RS512", digest, signature)).toBe(true);
  });
});

const ENCRYPTION = ["RSA1_5", "RSA-OAEP", "RSA-OAEP-256"] as const;
const nodePadding = (alg: (typeof ENCRYPTION)[number]) =>
  alg === "RSA1_5"
    ? { padding: constants.RSA_PKCS1_PADDING }
    : { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: alg === "RSA-OAEP" ? "sha1" : "sha256" };

describe.each(SIZES)("RSA-%i encryption", (size) => {
  it.each(ENCRYPTION)("%s round-trips and decrypts Node's ciphertext", (alg) => {
    const { material, publicKey, privateKey } = fixture(size);
    const plaintext = randomBytes(32);
    const ciphertext = encrypt(material, alg, plaintext).value;
    expect(ciphertext).toHaveLength(size / 8);
    expect(Buffer.from(decrypt(material, alg, ciphertext))).toEqual(plaintext);
    if (alg !== "RSA1_5") {
      // Node 20 refuses PKCS#1 v1.5 private decryption, so RSA1_5 is checked with the CLI below.
      expect(privateDecrypt({ key: privateKey, ...nodePadding(alg) }, ciphertext)).toEqual(plaintext);
    }
    expect(Buffer.from(decrypt(material, alg, publicEncrypt({ key: publicKey, ...nodePadding(alg) }, plaintext)))).toEqual(plaintext);
  });

  it.each(ENCRYPTION)("%s wrapKey/unwrapKey is the same primitive", (alg) => {
    const { material } = fixture(size);
    const key = randomBytes(32);
    expect(Buffer.from(unwrapKey(material, alg, wrapKey(material, alg, key)))).toEqual(key);
  });
});

describe("RSA encryption limits and failures", () => {
  const limits = { RSA1_5: 245, "RSA-OAEP": 214, "RSA-OAEP-256": 190 } as const;

  it.each(ENCRYPTION)("%s encrypts up to its padding limit and refuses more", (alg) => {
    const { material } = fixture(2048);
    expect(encrypt(material, alg, randomBytes(limits[alg])).value).toHaveLength(256);
    expectBadParameter(() => encrypt(material, alg, randomBytes(limits[alg] + 1)), "PlaintextLength");
  });

  it.each(ENCRYPTION)("%s refuses a ciphertext of the wrong length, or one for another key", (alg) => {
    const { material } = fixture(2048);
    expectBadParameter(() => decrypt(material, alg, randomBytes(255)), "CiphertextLength");
    const forOtherKey = encrypt(fixture(3072).material, alg, randomBytes(16)).value;
    expectBadParameter(() => decrypt(material, alg, forOtherKey), "CiphertextLength");
  });

  it.each(ENCRYPTION)("%s gives one DecryptionFailed for a badly padded block", (alg) => {
    const { material, publicKey } = fixture(2048);
    // A PKCS#1 type-1 (signature) block encrypted raw: valid RSA, invalid padding for both schemes.
    const block = Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(200, 0xff), Buffer.from([0]), randomBytes(53)]);
    const ciphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, block);
    expect(expectBadParameter(() => decrypt(material, alg, ciphertext), "DecryptionFailed")).toBe(
      "the ciphertext could not be decrypted with this key and algorithm",
    );
  });

  it("RSA1_5 ciphertext decrypts with `openssl pkeyutl -decrypt`, and the CLI's with decrypt()", () => {
    const { material } = fixture(2048);
    const plaintext = randomBytes(24);
    sh.write("rsa15.bin", encrypt(material, "RSA1_5", plaintext).value);
    expect(sh.openssl("pkeyutl", "-decrypt", "-inkey", "priv.pem", "-in", "rsa15.bin")).toEqual(plaintext);
    sh.write("plain.bin", plaintext);
    const theirs = sh.openssl("pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", "-in", "plain.bin");
    expect(Buffer.from(decrypt(material, "RSA1_5", theirs))).toEqual(plaintext);
  });

  it("RSA-OAEP-256 ciphertext from `openssl pkeyutl` (SHA-256, MGF1-SHA-256) decrypts", () => {
    const { material } = fixture(2048);
    const plaintext = randomBytes(24);
    sh.write("plain256.bin", plaintext);
    const opts = ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256"];
    const theirs = sh.openssl("pkeyutl", "-encrypt", "-pubin", "-inkey", "pub.pem", ...opts, "-in", "plain256.bin");
    expect(Buffer.from(decrypt(material, "RSA-OAEP-256", theirs))).toEqual(plaintext);
  });
});
