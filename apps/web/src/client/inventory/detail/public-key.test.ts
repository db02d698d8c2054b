import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { publicJwk, publicKeyPem } from "./public-key";

/** The browser's conversion must give what OpenSSL (through Node) gives for the same public key. */
describe("publicKeyPem", () => {
  it.each([
    ["RSA-HSM", () => generateKeyPairSync("rsa", { modulusLength: 2048 })],
    ["EC-HSM", () => generateKeyPairSync("ec", { namedCurve: "P-256" })],
    ["EC-HSM", () => generateKeyPairSync("ec", { namedCurve: "P-521" })],
    ["EC-HSM", () => generateKeyPairSync("ec", { namedCurve: "secp256k1" })],
  ] as const)("converts a %s JWK to the same SPKI PEM as OpenSSL", async (kty, make) => {
    const { publicKey } = make();
    const jwk = publicKey.export({ format: "jwk" });
    const crv = jwk.crv === "secp256k1" ? "P-256K" : jwk.crv;
    const pub = publicJwk({ kid: "https://localhost/keys/k/0123", kty, n: jwk.n, e: jwk.e, crv: crv as "P-256" | undefined, x: jwk.x, y: jwk.y });
    expect(pub).toBeDefined();
    const pem = await publicKeyPem(pub!);
    expect(pem).toBe(publicKey.export({ type: "spki", format: "pem" }));
    expect(createPublicKey(pem).equals(publicKey)).toBe(true);
  });

  it("offers no public key for a symmetric key, and keeps only public fields for the others", () => {
    expect(publicJwk({ kid: "k", kty: "oct-HSM" })).toBeUndefined();
    const pub = publicJwk({ kid: "k", kty: "RSA", n: "AQAB", e: "AQAB", key_ops: ["sign"] });
    expect(Object.keys(pub ?? {}).sort()).toEqual(["e", "kid", "kty", "n"]);
  });
});
