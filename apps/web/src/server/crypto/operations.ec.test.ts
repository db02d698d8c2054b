import { createHash, createPrivateKey, createPublicKey, randomBytes, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EcCurve } from "@keyward/shared";
import { generateKeyMaterial } from "./generate";
import type { EcKeyMaterial } from "./material";
import { sign, verify } from "./operations";
import { spkiPemOf } from "./public-key";
import { expectBadParameter } from "./test/expect-error";
import { ecdsaRawToDer, scratch } from "./test/openssl";

const CASES = [
  { crv: "P-256", alg: "ES256", hash: "sha256", scalar: 32 },
  { crv: "P-256K", alg: "ES256K", hash: "sha256", scalar: 32 },
  { crv: "P-384", alg: "ES384", hash: "sha384", scalar: 48 },
  { crv: "P-521", alg: "ES512", hash: "sha512", scalar: 66 },
] as const;

const keys = new Map<EcCurve, { material: EcKeyMaterial; publicKey: KeyObject; privateKey: KeyObject }>();
const sh = scratch();

beforeAll(async () => {
  for (const { crv } of CASES) {
    const material = await generateKeyMaterial({ kty: "EC", crv });
    if (material.kty !== "EC") throw new Error("expected EC");
    const nodeCrv = crv === "P-256K" ? "secp256k1" : crv;
    const privateKey = createPrivateKey({ key: { ...material, crv: nodeCrv }, format: "jwk" });
    keys.set(crv, { material, privateKey, publicKey: createPublicKey(privateKey) });
    sh.write(`${crv}.pem`, spkiPemOf(material));
  }
});
afterAll(() => sh.remove());

describe.each(CASES)("$alg on $crv", ({ crv, alg, hash, scalar }) => {
  it("signs digests that Node verifies over the message (IEEE P1363 r || s), 100 times", () => {
    const { material, publicKey } = keys.get(crv)!;
    for (let i = 0; i < 100; i++) {
      const message = randomBytes(40);
      const signature = sign(material, alg, createHash(hash).update(message).digest());
      expect(signature).toHaveLength(2 * scalar);
      expect(nodeVerify(hash, message, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature)).toBe(true);
    }
  });

  it("verifies its own and Node's signatures, high-S included", () => {
    const { material, privateKey } = keys.get(crv)!;
    for (let i = 0; i < 20; i++) {
      const message = randomBytes(40);
      const digest = createHash(hash).update(message).digest();
      expect(verify(material, alg, digest, sign(material, alg, digest))).toBe(true);
      const theirs = nodeSign(hash, message, { key: privateKey, dsaEncoding: "ieee-p1363" });
      expect(verify(material, alg, digest, theirs)).toBe(true);
    }
  });

  it("verify is false for another digest, an altered, short or zero signature", () => {
    const { material } = keys.get(crv)!;
    const digest = createHash(hash).update("m").digest();
    const signature = Buffer.from(sign(material, alg, digest));
    expect(verify(material, alg, createHash(hash).update("n").digest(), signature)).toBe(false);
    const altered = Buffer.from(signature);
    altered[3]! ^= 1;
    expect(verify(material, alg, digest, altered)).toBe(false);
    expect(verify(material, alg, digest, signature.subarray(1))).toBe(false);
    expect(verify(material, alg, digest, new Uint8Array(2 * scalar))).toBe(false);
  });

  it("never reuses a nonce: r differs across 300 signatures of one digest (several precomputed batches)", () => {
    const { material } = keys.get(crv)!;
    const digest = createHash(hash).update("m").digest();
    const rs = new Set<string>();
    for (let i = 0; i < 300; i++) rs.add(Buffer.from(sign(material, alg, digest).subarray(0, scalar)).toString("hex"));
    expect(rs.size).toBe(300);
  });

  it("verifies with `openssl dgst -verify` over the message", () => {
    const { material } = keys.get(crv)!;
    const message = randomBytes(64);
    sh.write(`${alg}.msg`, message);
    sh.write(`${alg}.sig`, ecdsaRawToDer(sign(material, alg, createHash(hash).update(message).digest())));
    expect(sh.opensslOk("dgst", `-${hash}`, "-verify", `${crv}.pem`, "-signature", `${alg}.sig`, `${alg}.msg`)).toBe(true);
    sh.write(`${alg}.other`, randomBytes(64));
    expect(sh.opensslOk("dgst", `-${hash}`, "-verify", `${crv}.pem`, "-signature", `${alg}.sig`, `${alg}.other`)).toBe(false);
  });

  it("refuses a digest of another length", () => {
    const { material } = keys.get(crv)!;
    expectBadParameter(() => sign(material, alg, randomBytes(20)), "DigestLength");
    expectBadParameter(() => verify(material, alg, randomBytes(20), randomBytes(2 * scalar)), "DigestLength");
  });
});

describe("curve binding", () => {
  it("refuses an algorithm for another curve", () => {
    const p256 = keys.get("P-256")!.material;
    expect(expectBadParameter(() => sign(p256, "ES384", randomBytes(48)), "AlgorithmKeySize")).toMatch(/ES384 needs curve P-384/);
    expectBadParameter(() => sign(p256, "ES256K", randomBytes(32)), "AlgorithmKeySize");
    expectBadParameter(() => verify(keys.get("P-521")!.material, "ES256", randomBytes(32), randomBytes(64)), "AlgorithmKeySize");
  });

  it("a signature made on one curve does not verify on another", () => {
    const digest = randomBytes(32);
    const k1 = keys.get("P-256K")!.material;
    const signature = sign(keys.get("P-256")!.material, "ES256", digest);
    expect(verify(k1, "ES256K", digest, signature)).toBe(false);
  });
});
