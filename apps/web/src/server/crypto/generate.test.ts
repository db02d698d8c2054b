import { createPrivateKey } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { AES_SIZES, EC_CURVES, RSA_SIZES } from "@keyward/shared";
import { generateKeyMaterial } from "./generate";
import { keySpecOf } from "./material";
import { ecInconsistency, rsaInconsistency } from "./lib/consistency";
import { privateKeyObject } from "./lib/key-objects";
import { scratch } from "./test/openssl";

const sh = scratch();
afterAll(() => sh.remove());
const bytes = (b64u: string) => Buffer.from(b64u, "base64url");

describe("generateKeyMaterial", () => {
  it.each(RSA_SIZES)("RSA-%i: e = 65537, consistent, accepted by `openssl pkey -check`", async (size) => {
    const material = await generateKeyMaterial({ kty: "RSA", size });
    if (material.kty !== "RSA") throw new Error("expected RSA");
    expect(keySpecOf(material)).toEqual({ kty: "RSA", size });
    expect(material.e).toBe("AQAB");
    expect(rsaInconsistency(material)).toBeUndefined();
    sh.write(`rsa${size}.pem`, privateKeyObject(material).export({ type: "pkcs8", format: "pem" }));
    expect(sh.openssl("pkey", "-check", "-noout", "-in", `rsa${size}.pem`).toString()).toMatch(/valid/i);
  });

  it.each(EC_CURVES)("EC %s: fixed-length fields, d·G = (x, y), OpenSSL agrees on the curve", async (crv) => {
    const material = await generateKeyMaterial({ kty: "EC", crv });
    if (material.kty !== "EC") throw new Error("expected EC");
    const length = crv === "P-521" ? 66 : crv === "P-384" ? 48 : 32;
    expect([bytes(material.x).length, bytes(material.y).length, bytes(material.d).length]).toEqual([length, length, length]);
    expect(ecInconsistency(material)).toBeUndefined();
    const key = createPrivateKey({ key: { ...material, crv: crv === "P-256K" ? "secp256k1" : crv }, format: "jwk" });
    const named = { "P-256": "prime256v1", "P-256K": "secp256k1", "P-384": "secp384r1", "P-521": "secp521r1" }[crv];
    expect(key.asymmetricKeyDetails?.namedCurve).toBe(named);
  });

  it.each(AES_SIZES)("AES-%i: k is size/8 random bytes", async (size) => {
    const a = await generateKeyMaterial({ kty: "oct", size });
    const b = await generateKeyMaterial({ kty: "oct", size });
    if (a.kty !== "oct" || b.kty !== "oct") throw new Error("expected oct");
    expect(bytes(a.k)).toHaveLength(size / 8);
    expect(a.k).not.toBe(b.k);
  });
});
