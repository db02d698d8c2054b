import { generateKeyPairSync } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { generateKeyMaterial } from "./generate";
import { materialFromJwk } from "./jwk-import";
import type { EcKeyMaterial, RsaKeyMaterial } from "./material";
import { expectBadParameter } from "./test/expect-error";

let rsa: RsaKeyMaterial;
let ec: EcKeyMaterial;
let otherEc: EcKeyMaterial;
beforeAll(async () => {
  const [a, b, c] = await Promise.all([
    generateKeyMaterial({ kty: "RSA", size: 2048 }),
    generateKeyMaterial({ kty: "EC", crv: "P-384" }),
    generateKeyMaterial({ kty: "EC", crv: "P-384" }),
  ]);
  if (a.kty !== "RSA" || b.kty !== "EC" || c.kty !== "EC") throw new Error("fixtures");
  [rsa, ec, otherEc] = [a, b, c];
});

describe("materialFromJwk", () => {
  it("accepts consistent RSA, EC and oct JWKs and drops other fields", () => {
    expect(materialFromJwk({ ...rsa, kid: "x", key_ops: ["sign"] })).toEqual(rsa);
    expect(materialFromJwk(ec)).toEqual(ec);
    expect(materialFromJwk({ kty: "oct", k: Buffer.alloc(32, 1).toString("base64url") })).toEqual({ kty: "oct", k: Buffer.alloc(32, 1).toString("base64url") });
  });

  it("refuses a public-only or malformed JWK", () => {
    expectBadParameter(() => materialFromJwk({ kty: "RSA", n: rsa.n, e: rsa.e }), "KeyMaterialInvalid");
    expectBadParameter(() => materialFromJwk({ ...rsa, n: "not base64url!" }), "KeyMaterialInvalid");
    expectBadParameter(() => materialFromJwk("{}"), "KeyMaterialInvalid");
  });

  it("refuses unsupported curves and sizes", () => {
    expectBadParameter(() => materialFromJwk({ ...ec, crv: "P-192" }), "KeyMaterialUnsupported");
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "jwk" });
    expect(expectBadParameter(() => materialFromJwk(small), "KeyMaterialUnsupported")).toMatch(/RSA key size 1024/);
    expectBadParameter(() => materialFromJwk({ kty: "oct", k: Buffer.alloc(40).toString("base64url") }), "KeyMaterialUnsupported");
  });

  it("refuses a key whose halves disagree", () => {
    expect(expectBadParameter(() => materialFromJwk({ ...ec, x: otherEc.x, y: otherEc.y }), "KeyMaterialInconsistent")).toMatch(/not d·G/);
    expect(expectBadParameter(() => materialFromJwk({ ...rsa, qi: rsa.dp }), "KeyMaterialInconsistent")).toMatch(/CRT coefficient/);
  });
});
