import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyMaterial } from "./generate";
import type { KeyMaterial } from "./material";
import { publicJwkOf, spkiPemOf } from "./public-key";
import { scratch } from "./test/openssl";

let rsa: KeyMaterial;
let k1: KeyMaterial;
const sh = scratch();
beforeAll(async () => {
  [rsa, k1] = await Promise.all([generateKeyMaterial({ kty: "RSA", size: 2048 }), generateKeyMaterial({ kty: "EC", crv: "P-256K" })]);
});
afterAll(() => sh.remove());

describe("publicJwkOf", () => {
  it("keeps only public fields, with Key Vault's curve names", () => {
    if (rsa.kty !== "RSA" || k1.kty !== "EC") throw new Error("fixtures");
    expect(publicJwkOf(rsa)).toEqual({ kty: "RSA", n: rsa.n, e: "AQAB" });
    expect(publicJwkOf(k1)).toEqual({ kty: "EC", crv: "P-256K", x: k1.x, y: k1.y });
    expect(publicJwkOf({ kty: "oct", k: "AAAAAAAAAAAAAAAAAAAAAA" })).toEqual({ kty: "oct" });
  });
});

describe("spkiPemOf", () => {
  it("is a SubjectPublicKeyInfo PEM OpenSSL reads as the same key, with no private part", () => {
    if (rsa.kty !== "RSA" || k1.kty !== "EC") throw new Error("fixtures");
    const pem = spkiPemOf(rsa);
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(pem).not.toMatch(/PRIVATE/);
    sh.write("kek.pem", pem);
    const modulus = sh.openssl("rsa", "-pubin", "-in", "kek.pem", "-noout", "-modulus").toString().trim();
    expect(modulus).toBe(`Modulus=${Buffer.from(rsa.n, "base64url").toString("hex").toUpperCase()}`);
    const ecJwk = createPublicKey(spkiPemOf(k1)).export({ format: "jwk" });
    expect(ecJwk).toEqual({ kty: "EC", crv: "secp256k1", x: k1.x, y: k1.y });
  });
});
