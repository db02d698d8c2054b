import { createPrivateKey, createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseByok, trimPkcs8Padding, type KeySpec, type PublicJwk, type TokenKey } from "@keyward/shared";
import { startTestBridge, type TestBridge } from "./helpers/bridge.js";
import { opensslKcv, opensslPublicFromPkcs8, opensslRsaKey, opensslUnwrap } from "./helpers/openssl.js";

const TARGETS: KeySpec[] = [
  { kty: "oct", size: 128 },
  { kty: "oct", size: 192 },
  { kty: "oct", size: 256 },
  { kty: "RSA", size: 2048 },
  { kty: "RSA", size: 3072 },
  { kty: "RSA", size: 4096 },
  { kty: "EC", crv: "P-256" },
  { kty: "EC", crv: "P-256K" },
  { kty: "EC", crv: "P-384" },
  { kty: "EC", crv: "P-521" },
];
const KEK_SIZES = [2048, 3072, 4096] as const;

const label = (spec: KeySpec) => `target-${spec.kty}-${spec.kty === "EC" ? spec.crv : spec.size}`;

function spkiOf(jwk: PublicJwk): Buffer {
  // Node names secp256k1 by its SEC name, Key Vault by "P-256K".
  const nodeJwk = jwk.kty === "EC" && jwk.crv === "P-256K" ? { ...jwk, crv: "secp256k1" } : jwk;
  return createPublicKey({ key: nodeJwk, format: "jwk" }).export({ type: "spki", format: "der" });
}

let t: TestBridge;
const generated = new Map<string, TokenKey>();
const keks = new Map<number, ReturnType<typeof opensslRsaKey>>();

beforeAll(async () => {
  t = await startTestBridge();
  for (const spec of TARGETS) {
    const r = await t.run({ type: "key.generate", label: label(spec), key: spec });
    if (!r.ok || r.type !== "key.generate") throw new Error(`generate failed: ${JSON.stringify(r)}`);
    generated.set(label(spec), r.result);
  }
  for (const bits of KEK_SIZES) keks.set(bits, opensslRsaKey(bits));
});
afterAll(() => t?.bridge.close());

describe("byok.wrap, checked independently with the OpenSSL CLI", () => {
  for (const bits of KEK_SIZES) {
    for (const spec of TARGETS) {
      it(`wraps ${label(spec)} for an RSA-${bits} KEK`, async () => {
        const kek = keks.get(bits)!;
        const kid = `https://local.keyward.test/keys/kek-${bits}/0123456789abcdef0123456789abcdef`;
        const r = await t.run({ type: "byok.wrap", target: label(spec), kek: { kid, publicKeyPem: kek.publicPem } });
        if (!r.ok || r.type !== "byok.wrap") throw new Error(JSON.stringify(r));
        expect(r.result.path).toBe("two-step");
        expect(r.result.kek).toEqual({ kid, size: bits });

        const envelope = parseByok(r.result.byok);
        if (!envelope.ok) throw new Error(envelope.message);
        expect(envelope.value.kid).toBe(kid);
        expect(envelope.value.generator).toMatch(/^Keyward bridge .*SoftHSM/);
        const raw = JSON.parse(r.result.byok) as Record<string, unknown>;
        expect(raw).toMatchObject({ schema_version: "1.0.0", header: { kid, alg: "dir", enc: "CKM_RSA_AES_KEY_WRAP" } });

        const { aesKey, plaintext } = opensslUnwrap(Buffer.from(envelope.value.ciphertext), kek.privatePath, bits / 8);
        expect(aesKey).toHaveLength(32);
        const token = generated.get(label(spec))!;
        if (spec.kty === "oct") {
          expect(plaintext).toHaveLength(spec.size / 8);
          expect(opensslKcv(plaintext)).toBe(token.kcv);
        } else {
          // SoftHSM pads the DER to a multiple of 8; the padded form still parses, and the strict
          // trimming the target applies recovers the exact DER.
          expect(plaintext.length % 8).toBe(0);
          expect(() => createPrivateKey({ key: plaintext, format: "der", type: "pkcs8" })).not.toThrow();
          const trimmed = trimPkcs8Padding(new Uint8Array(plaintext));
          if (!trimmed.ok) throw new Error(trimmed.message);
          expect(plaintext.length - trimmed.der.length).toBeLessThanOrEqual(7);
          expect(opensslPublicFromPkcs8(Buffer.from(trimmed.der))).toEqual(spkiOf(token.publicJwk!));
        }
      });
    }
  }

  it("wraps a whole batch in one signed command, each blob opening to its own target", async () => {
    const kek = keks.get(3072)!;
    const kid = "https://local.keyward.test/keys/kek-batch/0123456789abcdef0123456789abcdef";
    const r = await t.run({ type: "byok.wrapBatch", targets: TARGETS.map(label), kek: { kid, publicKeyPem: kek.publicPem } });
    if (!r.ok || r.type !== "byok.wrapBatch") throw new Error(JSON.stringify(r));
    expect(r.result.items.map((i) => i.target.label)).toEqual(TARGETS.map(label));
    // Looked up in one pass for the batch, each target is described as key.generate described it.
    for (const [i, spec] of TARGETS.entries()) {
      const token = generated.get(label(spec))!;
      expect({ spec: r.result.items[i]!.target.spec, publicJwk: r.result.items[i]!.target.publicJwk, kcv: r.result.items[i]!.target.kcv }).toEqual({
        spec: token.spec,
        publicJwk: token.publicJwk,
        kcv: token.kcv,
      });
    }
    for (const [i, spec] of TARGETS.entries()) {
      const envelope = parseByok(r.result.items[i]!.byok);
      if (!envelope.ok) throw new Error(envelope.message);
      const { plaintext } = opensslUnwrap(Buffer.from(envelope.value.ciphertext), kek.privatePath, 384);
      const token = generated.get(label(spec))!;
      if (spec.kty === "oct") expect(opensslKcv(plaintext)).toBe(token.kcv);
      else {
        const trimmed = trimPkcs8Padding(new Uint8Array(plaintext));
        if (!trimmed.ok) throw new Error(trimmed.message);
        expect(opensslPublicFromPkcs8(Buffer.from(trimmed.der))).toEqual(spkiOf(token.publicJwk!));
      }
    }
  });

  it("uses a fresh ephemeral key for every wrap and leaves no session objects behind", async () => {
    const kek = keks.get(2048)!;
    const kid = "https://local.keyward.test/keys/kek/0123456789abcdef0123456789abcdef";
    const cmd = { type: "byok.wrap", target: "target-oct-256", kek: { kid, publicKeyPem: kek.publicPem } };
    const a = await t.run(cmd);
    const b = await t.run(cmd);
    if (!a.ok || a.type !== "byok.wrap" || !b.ok || b.type !== "byok.wrap") throw new Error("wrap failed");
    expect(a.result.byok).not.toBe(b.result.byok);
    const list = await t.run({ type: "key.list" });
    if (!list.ok || list.type !== "key.list") throw new Error("list failed");
    expect(list.result.keys.map((k) => k.label).sort()).toEqual(TARGETS.map(label).sort());
  });
});
