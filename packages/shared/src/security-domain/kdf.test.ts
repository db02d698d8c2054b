import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "../byok/test-vectors/hex.js";
import { SecurityDomainError } from "./errors.js";
import { securityDomainDataKey, sp800108CounterKdf, type KdfHash } from "./kdf.js";
import vectors from "./test-vectors/kdf.json" with { type: "json" };

/** A straightforward SP 800-108 counter-mode reference on node:crypto (test-only, independent of WebCrypto). */
function reference(key: Uint8Array, label: string, context: string, bits: number, hash: KdfHash): string {
  const algorithm = hash === "SHA-256" ? "sha256" : "sha512";
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bits);
  let out = Buffer.alloc(0);
  for (let i = 1; out.length < bits / 8; i++) {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(i);
    const input = Buffer.concat([counter, Buffer.from(label, "utf8"), Buffer.of(0), Buffer.from(context, "utf8"), length]);
    out = Buffer.concat([out, createHmac(algorithm, key).update(input).digest()]);
  }
  return out.subarray(0, bits / 8).toString("hex");
}

describe("sp800108CounterKdf", () => {
  it("matches the Azure CLI's built-in test vector (HMAC-SHA-512, L = 256)", async () => {
    const { cli } = vectors;
    const out = await sp800108CounterKdf({
      key: fromHex(cli.keyHex),
      label: cli.label,
      context: cli.context,
      bits: cli.bits,
      hash: cli.hash as KdfHash,
    });
    expect(toHex(out)).toBe(cli.outputHex);
  });

  it.each([
    ["SHA-256", 128],
    ["SHA-256", 256],
    ["SHA-256", 264],
    ["SHA-256", 1024],
    ["SHA-512", 8],
    ["SHA-512", 512],
    ["SHA-512", 520],
    ["SHA-512", 2048],
  ] as const)("agrees with a reference computation: %s, L = %i bits (one or more blocks)", async (hash, bits) => {
    const key = globalThis.crypto.getRandomValues(new Uint8Array(48));
    const out = await sp800108CounterKdf({ key, label: "étiquette", context: "ctx", bits, hash });
    expect(out).toHaveLength(bits / 8);
    expect(toHex(out)).toBe(reference(key, "étiquette", "ctx", bits, hash));
  });

  it("takes label and context as bytes too", async () => {
    const key = fromHex(vectors.cli.keyHex);
    const encoder = new TextEncoder();
    const out = await sp800108CounterKdf({ key, label: encoder.encode("label"), context: encoder.encode("context"), bits: 256, hash: "SHA-512" });
    expect(toHex(out)).toBe(vectors.cli.outputHex);
  });

  it.each([0, -8, 12, 8.5, 65544])("refuses an output length of %s bits", async (bits) => {
    const run = sp800108CounterKdf({ key: new Uint8Array(32), label: "", context: "", bits, hash: "SHA-256" });
    await expect(run).rejects.toThrow(SecurityDomainError);
    await expect(run).rejects.toThrow(`the output length must be a positive multiple of 8 bits up to 65536; got ${bits}`);
  });

  it("refuses an empty key", async () => {
    await expect(sp800108CounterKdf({ key: new Uint8Array(0), label: "", context: "", bits: 256, hash: "SHA-256" })).rejects.toThrow(
      "the key derivation key is empty",
    );
  });
});

describe("securityDomainDataKey", () => {
  for (const [tag, expected] of Object.entries(vectors.dataKeys.byTag)) {
    it(`derives the 64-byte CEK for ${tag}`, async () => {
      const key = await securityDomainDataKey(fromHex(vectors.dataKeys.masterKeyHex), tag);
      expect(toHex(key)).toBe(expected);
    });
  }
});
