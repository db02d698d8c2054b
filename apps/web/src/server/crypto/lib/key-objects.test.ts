import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { generateKeyMaterial } from "../generate";
import type { OctKeyMaterial, RsaKeyMaterial } from "../material";
import { octKey, rsaKeys } from "./key-objects";

let rsa: RsaKeyMaterial;
let other: RsaKeyMaterial;
beforeAll(async () => {
  const [a, b] = await Promise.all([generateKeyMaterial({ kty: "RSA", size: 2048 }), generateKeyMaterial({ kty: "RSA", size: 2048 })]);
  if (a.kty !== "RSA" || b.kty !== "RSA") throw new Error("fixtures");
  [rsa, other] = [a, b];
});

describe("parsed-key cache", () => {
  it("parses a material object once", () => {
    expect(rsaKeys(rsa).privateKey).toBe(rsaKeys(rsa).privateKey);
  });

  it("shares the parse between equal copies (material decrypted afresh per request)", () => {
    expect(rsaKeys({ ...rsa }).privateKey).toBe(rsaKeys(rsa).privateKey);
  });

  it("never shares between different keys, even with the same public half", () => {
    expect(rsaKeys(other).privateKey).not.toBe(rsaKeys(rsa).privateKey);
    // Same n and e, another d: must be parsed on its own (and fails as the invalid key it is, not as `rsa`).
    const mixed = { ...rsa, d: other.d };
    expect(() => rsaKeys(mixed)).not.toThrow();
    expect(rsaKeys(mixed).privateKey).not.toBe(rsaKeys(rsa).privateKey);
  });

  it("stays bounded: the least recently used entry is dropped", () => {
    const first: OctKeyMaterial = { kty: "oct", k: randomBytes(32).toString("base64url") };
    const firstKey = octKey(first);
    for (let i = 0; i < 1100; i++) octKey({ kty: "oct", k: randomBytes(32).toString("base64url") });
    // A fresh copy of `first` no longer finds the old entry; the original object still does (WeakMap).
    expect(octKey({ ...first })).not.toBe(firstKey);
    expect(octKey({ ...first })).toEqual(firstKey);
    expect(octKey(first)).toBe(firstKey);
  });
});
