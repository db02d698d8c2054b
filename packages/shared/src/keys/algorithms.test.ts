import { describe, expect, it } from "vitest";
import {
  AES_ENCRYPTION_ALGORITHMS,
  AES_KEY_WRAP_ALGORITHMS,
  ALGORITHMS,
  ALGORITHM_PROFILES,
  AlgorithmSchema,
  EC_SIGNATURE_ALGORITHMS,
  RSA_ENCRYPTION_ALGORITHMS,
  RSA_SIGNATURE_ALGORITHMS,
  SIGNATURE_ALGORITHMS,
  algorithmServesOp,
  algorithmsFor,
  checkAlgorithmForKey,
  checkDigest,
  digestLengthFor,
  isAlgorithm,
  isSignatureAlgorithm,
  keyOpsForAlgorithm,
} from "./algorithms.js";
import type { KeySpec } from "./spec.js";

const RSA_ALL = [...RSA_SIGNATURE_ALGORITHMS, ...RSA_ENCRYPTION_ALGORITHMS];

// Expected algorithm sets per key spec (seed 004 and Managed HSM key details), in vocabulary order.
const BY_SPEC: [KeySpec, string[]][] = [
  [{ kty: "RSA", size: 2048 }, RSA_ALL],
  [{ kty: "RSA", size: 3072 }, RSA_ALL],
  [{ kty: "RSA", size: 4096 }, RSA_ALL],
  [{ kty: "EC", crv: "P-256" }, ["ES256"]],
  [{ kty: "EC", crv: "P-256K" }, ["ES256K"]],
  [{ kty: "EC", crv: "P-384" }, ["ES384"]],
  [{ kty: "EC", crv: "P-521" }, ["ES512"]],
  [{ kty: "oct", size: 128 }, ["A128KW", "CKM_AES_KEY_WRAP", "CKM_AES_KEY_WRAP_PAD", "A128GCM", "A128CBC", "A128CBCPAD"]],
  [{ kty: "oct", size: 192 }, ["A192KW", "CKM_AES_KEY_WRAP", "CKM_AES_KEY_WRAP_PAD", "A192GCM", "A192CBC", "A192CBCPAD"]],
  [{ kty: "oct", size: 256 }, ["A256KW", "CKM_AES_KEY_WRAP", "CKM_AES_KEY_WRAP_PAD", "A256GCM", "A256CBC", "A256CBCPAD"]],
];

describe("algorithm vocabulary", () => {
  it("is exactly the Key Vault / Managed HSM list, each name once", () => {
    expect([...ALGORITHMS].sort()).toEqual(
      [
        "ES256", "ES256K", "ES384", "ES512",
        "RSA1_5", "RSA-OAEP", "RSA-OAEP-256",
        "PS256", "PS384", "PS512", "RS256", "RS384", "RS512", "RSNULL",
        "A128KW", "A192KW", "A256KW", "A128GCM", "A192GCM", "A256GCM", "A128CBC", "A192CBC", "A256CBC",
        "A128CBCPAD", "A192CBCPAD", "A256CBCPAD", "CKM_AES_KEY_WRAP", "CKM_AES_KEY_WRAP_PAD",
      ].sort(),
    );
    expect(Object.keys(ALGORITHM_PROFILES).sort()).toEqual([...ALGORITHMS].sort());
  });

  it("groups agree with the profile table", () => {
    for (const alg of EC_SIGNATURE_ALGORITHMS) expect(ALGORITHM_PROFILES[alg]).toMatchObject({ family: "EC", uses: ["signature"] });
    for (const alg of RSA_SIGNATURE_ALGORITHMS) expect(ALGORITHM_PROFILES[alg]).toMatchObject({ family: "RSA", uses: ["signature"] });
    for (const alg of RSA_ENCRYPTION_ALGORITHMS) {
      expect(ALGORITHM_PROFILES[alg]).toMatchObject({ family: "RSA", uses: ["encryption", "keyWrap"] });
    }
    for (const alg of AES_KEY_WRAP_ALGORITHMS) expect(ALGORITHM_PROFILES[alg]).toMatchObject({ family: "oct", uses: ["keyWrap"] });
    for (const alg of AES_ENCRYPTION_ALGORITHMS) expect(ALGORITHM_PROFILES[alg]).toMatchObject({ family: "oct", uses: ["encryption"] });
  });

  it("recognises algorithms by exact name", () => {
    expect(isAlgorithm("RSA-OAEP-256")).toBe(true);
    expect(isAlgorithm("rsa-oaep-256")).toBe(false);
    expect(isAlgorithm("HS256")).toBe(false);
    expect(isSignatureAlgorithm("ES256K")).toBe(true);
    expect(isSignatureAlgorithm("RSA-OAEP")).toBe(false);
  });

  it("AlgorithmSchema refuses an unknown name and names it", () => {
    const result = AlgorithmSchema.safeParse("HS256");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^algorithm "HS256" is not supported; use ES256, ES256K, /);
  });
});

describe("algorithmsFor", () => {
  it.each(BY_SPEC)("%j → %j", (spec, expected) => {
    expect(algorithmsFor(spec)).toEqual(expected);
  });
});

describe("operation classes", () => {
  it.each([
    ["ES256", ["sign", "verify"]],
    ["RSNULL", ["sign", "verify"]],
    ["RSA-OAEP", ["encrypt", "decrypt", "wrapKey", "unwrapKey"]],
    ["RSA1_5", ["encrypt", "decrypt", "wrapKey", "unwrapKey"]],
    ["A256KW", ["wrapKey", "unwrapKey"]],
    ["CKM_AES_KEY_WRAP_PAD", ["wrapKey", "unwrapKey"]],
    ["A128GCM", ["encrypt", "decrypt"]],
    ["A192CBCPAD", ["encrypt", "decrypt"]],
  ] as const)("%s serves %j", (alg, ops) => {
    expect(keyOpsForAlgorithm(alg)).toEqual(ops);
  });

  it("no algorithm serves import or export", () => {
    for (const alg of ALGORITHMS) {
      expect(algorithmServesOp(alg, "import")).toBe(false);
      expect(algorithmServesOp(alg, "export")).toBe(false);
    }
  });
});

describe("checkAlgorithmForKey", () => {
  it("accepts a matching pair, with and without an operation", () => {
    expect(checkAlgorithmForKey("ES384", { kty: "EC", crv: "P-384" })).toEqual({ ok: true });
    expect(checkAlgorithmForKey("RSA-OAEP-256", { kty: "RSA", size: 3072 }, "wrapKey")).toEqual({ ok: true });
    expect(checkAlgorithmForKey("CKM_AES_KEY_WRAP", { kty: "oct", size: 192 }, "unwrapKey")).toEqual({ ok: true });
  });

  it.each([
    ["ES256", { kty: "RSA", size: 2048 }, undefined, "ALG_KEY_TYPE", "ES256 is for EC keys; this key is RSA-2048"],
    ["RSA-OAEP", { kty: "oct", size: 256 }, undefined, "ALG_KEY_TYPE", "RSA-OAEP is for RSA keys; this key is AES-256"],
    ["A256KW", { kty: "EC", crv: "P-256" }, undefined, "ALG_KEY_TYPE", "A256KW is for oct keys; this key is EC P-256"],
    ["ES384", { kty: "EC", crv: "P-256" }, undefined, "ALG_KEY_SIZE", "ES384 needs curve P-384; this key is EC P-256"],
    ["ES256", { kty: "EC", crv: "P-256K" }, undefined, "ALG_KEY_SIZE", "ES256 needs curve P-256; this key is EC P-256K"],
    ["A256GCM", { kty: "oct", size: 128 }, undefined, "ALG_KEY_SIZE", "A256GCM needs an AES-256 key; this key is AES-128"],
    ["A128KW", { kty: "oct", size: 192 }, undefined, "ALG_KEY_SIZE", "A128KW needs an AES-128 key; this key is AES-192"],
    ["A128GCM", { kty: "oct", size: 128 }, "wrapKey", "ALG_OPERATION", "A128GCM cannot be used to wrapKey; it serves encrypt, decrypt"],
    ["A128KW", { kty: "oct", size: 128 }, "encrypt", "ALG_OPERATION", "A128KW cannot be used to encrypt; it serves wrapKey, unwrapKey"],
    ["PS256", { kty: "RSA", size: 4096 }, "decrypt", "ALG_OPERATION", "PS256 cannot be used to decrypt; it serves sign, verify"],
  ] as const)("%s on %j (%s) → %s", (alg, spec, op, code, message) => {
    expect(checkAlgorithmForKey(alg, spec, op)).toEqual({ ok: false, code, message });
  });
});

describe("digests", () => {
  const DIGEST_BYTES = {
    ES256: 32, ES256K: 32, ES384: 48, ES512: 64,
    PS256: 32, PS384: 48, PS512: 64,
    RS256: 32, RS384: 48, RS512: 64,
    RSNULL: undefined,
  } as const;

  it("covers every signature algorithm", () => {
    expect(Object.keys(DIGEST_BYTES).sort()).toEqual([...SIGNATURE_ALGORITHMS].sort());
  });

  it.each(Object.entries(DIGEST_BYTES))("%s needs %s bytes", (alg, bytes) => {
    if (!isSignatureAlgorithm(alg)) throw new Error(`${alg} is not a signature algorithm`);
    expect(digestLengthFor(alg)).toBe(bytes);
    if (bytes !== undefined) {
      expect(checkDigest(alg, new Uint8Array(bytes))).toEqual({ ok: true });
      expect(checkDigest(alg, new Uint8Array(bytes - 1)).ok).toBe(false);
    }
  });

  it("refuses a wrong length, naming the hash and both lengths", () => {
    expect(checkDigest("RS256", new Uint8Array(20))).toEqual({
      ok: false,
      code: "DIGEST_LENGTH",
      message: "RS256 signs a 32-byte SHA-256 digest; got 20 bytes",
    });
    expect(checkDigest("ES512", new Uint8Array(66))).toEqual({
      ok: false,
      code: "DIGEST_LENGTH",
      message: "ES512 signs a 64-byte SHA-512 digest; got 66 bytes",
    });
  });

  it("lets RSNULL take any length", () => {
    for (const n of [1, 20, 35, 83]) expect(checkDigest("RSNULL", new Uint8Array(n))).toEqual({ ok: true });
  });
});
