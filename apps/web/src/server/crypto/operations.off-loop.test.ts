import { constants, createHash, createPrivateKey, publicEncrypt, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { TargetError } from "@keyward/shared";
import type { CryptoErrorCode } from "./errors";
import { generateKeyMaterial } from "./generate";
import type { KeyMaterial, RsaKeyMaterial } from "./material";
import { decrypt, decryptOffLoop, encrypt, sign, signOffLoop, unwrapKeyOffLoop, verify, wrapKey } from "./operations";

/*
 * The request handlers' path: RSA private operations on worker threads must give exactly what the
 * synchronous functions give, and refuse exactly what they refuse.
 */

let rsa: RsaKeyMaterial;
let rsa3072: RsaKeyMaterial;
let ec: KeyMaterial;
let aes: KeyMaterial;

beforeAll(async () => {
  const [a, b, c, d] = await Promise.all([
    generateKeyMaterial({ kty: "RSA", size: 2048 }),
    generateKeyMaterial({ kty: "RSA", size: 3072 }),
    generateKeyMaterial({ kty: "EC", crv: "P-256" }),
    generateKeyMaterial({ kty: "oct", size: 256 }),
  ]);
  if (a.kty !== "RSA" || b.kty !== "RSA") throw new Error("expected RSA");
  [rsa, rsa3072, ec, aes] = [a, b, c, d];
});

const sha256 = (text: string) => createHash("sha256").update(text).digest();

async function expectRefused(promise: Promise<unknown>, inner: CryptoErrorCode): Promise<string> {
  const thrown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown, `expected a TargetError ${inner}`).toBeInstanceOf(TargetError);
  const error = thrown as TargetError;
  expect({ code: error.code, inner: error.inner, status: error.status }).toEqual({ code: "BadParameter", inner, status: 400 });
  return error.message;
}

describe("signing off the event loop", () => {
  it("gives the synchronous signature, byte for byte, for the deterministic RSA schemes", async () => {
    for (const alg of ["RS256", "RS384", "RS512"] as const) {
      const digest = createHash(`sha${alg.slice(2)}`).update("keyward").digest();
      expect(Buffer.from(await signOffLoop(rsa, alg, digest))).toEqual(Buffer.from(sign(rsa, alg, digest)));
    }
    const value = randomBytes(100);
    expect(Buffer.from(await signOffLoop(rsa, "RSNULL", value))).toEqual(Buffer.from(sign(rsa, "RSNULL", value)));
  });

  it("makes PSS and ECDSA signatures that verify", async () => {
    const digest = sha256("pss");
    expect(verify(rsa, "PS256", digest, await signOffLoop(rsa, "PS256", digest))).toBe(true);
    expect(verify(rsa3072, "PS256", digest, await signOffLoop(rsa3072, "PS256", digest))).toBe(true);
    expect(verify(ec, "ES256", digest, await signOffLoop(ec, "ES256", digest))).toBe(true);
  });

  it("keeps many concurrent signatures with several keys apart", async () => {
    const jobs = Array.from({ length: 60 }, (_, i) => ({ key: i % 2 === 0 ? rsa : rsa3072, digest: sha256(`message ${i}`) }));
    const signatures = await Promise.all(jobs.map((j) => signOffLoop(j.key, "RS256", j.digest)));
    jobs.forEach((j, i) => expect(verify(j.key, "RS256", j.digest, signatures[i]!)).toBe(true));
    // A signature by the other key, or over the other digest, does not verify: nothing was crossed.
    expect(verify(rsa, "RS256", jobs[0]!.digest, signatures[1]!)).toBe(false);
    expect(verify(rsa, "RS256", jobs[2]!.digest, signatures[0]!)).toBe(false);
  });

  it("refuses what the synchronous path refuses, before any work is handed off", async () => {
    expect(await expectRefused(signOffLoop(rsa, "RS256", randomBytes(20)), "DigestLength")).toMatch(/32-byte SHA-256 digest; got 20/);
    await expectRefused(signOffLoop(rsa, "RSNULL", randomBytes(246)), "DigestLength");
    await expectRefused(signOffLoop(rsa, "ES256", sha256("x")), "AlgorithmKeyType");
    await expectRefused(signOffLoop(aes, "RS256", sha256("x")), "AlgorithmKeyType");
  });
});

describe("decrypting and unwrapping off the event loop", () => {
  it("recovers what was encrypted, for every RSA encryption scheme", async () => {
    for (const alg of ["RSA1_5", "RSA-OAEP", "RSA-OAEP-256"] as const) {
      const secret = randomBytes(32);
      const { value } = encrypt(rsa, alg, secret);
      expect(Buffer.from(await decryptOffLoop(rsa, alg, value))).toEqual(secret);
      expect(Buffer.from(await unwrapKeyOffLoop(rsa, alg, wrapKey(rsa, alg, secret)))).toEqual(secret);
    }
  });

  it("matches an independent OAEP-SHA-256 encryption", async () => {
    const secret = randomBytes(48);
    const publicKey = createPrivateKey({ key: { ...rsa }, format: "jwk" });
    const ciphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, secret);
    expect(Buffer.from(await decryptOffLoop(rsa, "RSA-OAEP-256", ciphertext))).toEqual(secret);
  });

  it("refuses a corrupted ciphertext with the same error for every scheme, and a wrong length by its size", async () => {
    for (const alg of ["RSA1_5", "RSA-OAEP", "RSA-OAEP-256"] as const) {
      const { value } = encrypt(rsa, alg, randomBytes(16));
      const corrupted = Buffer.from(value);
      corrupted[10]! ^= 0x40;
      expect(await expectRefused(decryptOffLoop(rsa, alg, corrupted), "DecryptionFailed")).toBe("the ciphertext could not be decrypted with this key and algorithm");
      await expectRefused(unwrapKeyOffLoop(rsa, alg, corrupted), "DecryptionFailed");
    }
    expect(await expectRefused(decryptOffLoop(rsa, "RSA-OAEP", randomBytes(255)), "CiphertextLength")).toMatch(/256 bytes; got 255/);
    await expectRefused(decryptOffLoop(rsa, "RSA-OAEP", randomBytes(256), { iv: randomBytes(12) }), "ParameterNotApplicable");
  });

  it("leaves AES work where it is, with the same results", async () => {
    const encrypted = encrypt(aes, "A256GCM", Buffer.from("hello"), { aad: Buffer.from("aad") });
    const params = { iv: encrypted.iv!, tag: encrypted.tag!, aad: Buffer.from("aad") };
    expect(Buffer.from(await decryptOffLoop(aes, "A256GCM", encrypted.value, params))).toEqual(Buffer.from(decrypt(aes, "A256GCM", encrypted.value, params)));
    const key = randomBytes(32);
    expect(Buffer.from(await unwrapKeyOffLoop(aes, "A256KW", wrapKey(aes, "A256KW", key)))).toEqual(key);
    await expectRefused(unwrapKeyOffLoop(aes, "A256KW", randomBytes(40)), "KeyUnwrapFailed");
  });
});
