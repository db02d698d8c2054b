import { constants, createHash, generateKeyPairSync, verify as nodeVerify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { materialFromKeyObject } from "./from-key-object";
import { rsaKeys } from "./key-objects";
import { signRsa, verifyRsa } from "./rsa-sign";

describe("EMSA-PSS when the modulus is 1 bit past a byte boundary", () => {
  it("pads the k-1 byte encoding to k bytes and verifies both ways", () => {
    // 1033 bits: emBits = 1032, so emLen = k - 1. Not a size Keyward stores (and OpenSSL rounds odd sizes
    // from 2048 up down to even), but the code handles it.
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 1033 });
    const material = materialFromKeyObject(privateKey);
    if (material.kty !== "RSA") throw new Error("expected RSA");
    const keys = rsaKeys(material);
    expect(keys.modulusBytes).toBe(130);
    const message = Buffer.from("odd modulus");
    const digest = createHash("sha256").update(message).digest();
    const signature = signRsa(keys, "PS256", digest);
    const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
    expect(nodeVerify("sha256", message, { key: publicKey, ...pss }, signature)).toBe(true);
    expect(verifyRsa(keys, "PS256", digest, signature)).toBe(true);
  });
});
