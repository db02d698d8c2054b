import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { TargetError } from "@keyward/shared";
import { generateKeyMaterial } from "./generate";
import type { KeyMaterial } from "./material";
import { decrypt, encrypt, sign, unwrapKey, verify, wrapKey } from "./operations";
import { expectBadParameter } from "./test/expect-error";

let rsa: KeyMaterial;
let ec: KeyMaterial;
let aes128: KeyMaterial;

beforeAll(async () => {
  [rsa, ec, aes128] = await Promise.all([
    generateKeyMaterial({ kty: "RSA", size: 2048 }),
    generateKeyMaterial({ kty: "EC", crv: "P-256" }),
    generateKeyMaterial({ kty: "oct", size: 128 }),
  ]);
});

describe("algorithm and key must agree (shared's table)", () => {
  it("refuses an algorithm of another key family", () => {
    expect(expectBadParameter(() => sign(ec, "RS256", randomBytes(32)), "AlgorithmKeyType")).toMatch(/RS256 is for RSA keys; this key is EC P-256/);
    expectBadParameter(() => sign(rsa, "ES256", randomBytes(32)), "AlgorithmKeyType");
    expectBadParameter(() => encrypt(aes128, "RSA-OAEP", randomBytes(16)), "AlgorithmKeyType");
    expectBadParameter(() => wrapKey(rsa, "A128KW", randomBytes(16)), "AlgorithmKeyType");
    expectBadParameter(() => encrypt(ec, "RSA-OAEP", randomBytes(16)), "AlgorithmKeyType");
  });

  it("refuses an AES algorithm for another key size", () => {
    expect(expectBadParameter(() => encrypt(aes128, "A256GCM", randomBytes(16)), "AlgorithmKeySize")).toMatch(/needs an AES-256 key/);
    expectBadParameter(() => wrapKey(aes128, "A192KW", randomBytes(16)), "AlgorithmKeySize");
  });

  it("refuses an algorithm for an operation it does not serve", () => {
    expectBadParameter(() => encrypt(aes128, "A128KW", randomBytes(16)), "AlgorithmOperation");
    expectBadParameter(() => wrapKey(aes128, "A128GCM", randomBytes(16)), "AlgorithmOperation");
    expectBadParameter(() => sign(rsa, "RSA-OAEP", randomBytes(32)), "AlgorithmOperation");
    expectBadParameter(() => unwrapKey(aes128, "A128CBC", randomBytes(32)), "AlgorithmOperation");
    expectBadParameter(() => decrypt(rsa, "RS256", randomBytes(256)), "AlgorithmOperation");
  });

  it("refuses AES parameters on RSA", () => {
    expectBadParameter(() => encrypt(rsa, "RSA-OAEP", randomBytes(16), { iv: randomBytes(16) }), "ParameterNotApplicable");
    expectBadParameter(() => decrypt(rsa, "RSA-OAEP", randomBytes(256), { aad: randomBytes(4) }), "ParameterNotApplicable");
  });

  it("checks the key before the request: verify of an EC key with an RSA algorithm throws, it does not return false", () => {
    expect(() => verify(ec, "PS256", randomBytes(32), randomBytes(256))).toThrow(TargetError);
  });
});

describe("key material problems", () => {
  it("refuses material of a size Keyward does not hold", () => {
    const aes64: KeyMaterial = { kty: "oct", k: randomBytes(8).toString("base64url") };
    expect(expectBadParameter(() => encrypt(aes64, "A128GCM", randomBytes(16)), "KeyMaterialUnsupported")).toMatch(/AES key size 64/);
  });
});
