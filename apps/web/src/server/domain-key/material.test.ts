import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { domainKeyFromBytes } from "./domain-key";
import { MaterialDecryptionError, decryptMaterial, encryptMaterial, materialAad, materialCipher } from "./material";

const key = domainKeyFromBytes(Buffer.alloc(32, 7));
const secret = Buffer.from("-----BEGIN PRIVATE KEY----- pretend PKCS#8 bytes", "utf8");
const aad = materialAad("Payments-Key", "0123456789abcdef0123456789abcdef");

function refused(run: () => unknown): MaterialDecryptionError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(MaterialDecryptionError);
    const error = err as MaterialDecryptionError;
    expect(error.message).toBe("key material could not be decrypted");
    expect(inspect(error)).not.toContain("pretend");
    return error;
  }
  throw new Error("decryption was not refused");
}

describe("encryptMaterial / decryptMaterial", () => {
  it("round-trips and lays out version | IV | ciphertext | tag", () => {
    const sealed = encryptMaterial(key, aad, secret);
    expect(sealed[0]).toBe(1);
    expect(sealed.length).toBe(1 + 12 + secret.length + 16);
    expect(sealed.includes(secret)).toBe(false);
    expect(decryptMaterial(key, aad, sealed)).toEqual(secret);
  });

  it("uses a fresh IV every time", () => {
    const a = encryptMaterial(key, aad, secret);
    const b = encryptMaterial(key, aad, secret);
    expect(a.subarray(1, 13)).not.toEqual(b.subarray(1, 13));
    expect(a).not.toEqual(b);
  });

  it("binds material to its key name and version", () => {
    const sealed = encryptMaterial(key, aad, secret);
    refused(() => decryptMaterial(key, materialAad("Other-Key", "0123456789abcdef0123456789abcdef"), sealed));
    refused(() => decryptMaterial(key, materialAad("Payments-Key", "f".repeat(32)), sealed));
    // Names are case-insensitive, so the binding is too.
    expect(decryptMaterial(key, materialAad("PAYMENTS-KEY", "0123456789abcdef0123456789abcdef"), sealed)).toEqual(secret);
  });

  it("refuses another domain key", () => {
    const sealed = encryptMaterial(key, aad, secret);
    refused(() => decryptMaterial(domainKeyFromBytes(randomBytes(32)), aad, sealed));
  });

  it.each([
    ["a flipped ciphertext bit", (b: Buffer) => b.writeUInt8(b[20]! ^ 1, 20)],
    ["a flipped tag bit", (b: Buffer) => b.writeUInt8(b[b.length - 1]! ^ 1, b.length - 1)],
    ["a flipped IV bit", (b: Buffer) => b.writeUInt8(b[1]! ^ 1, 1)],
    ["an unknown format version", (b: Buffer) => b.writeUInt8(2, 0)],
  ])("refuses %s with the same uninformative error", (_label, damage) => {
    const sealed = encryptMaterial(key, aad, secret);
    damage(sealed);
    refused(() => decryptMaterial(key, aad, sealed));
  });

  it.each([0, 1, 28])("refuses a blob of %i bytes", (length) => {
    refused(() => decryptMaterial(key, aad, Buffer.alloc(length, 1)));
  });

  it("keeps the domain key out of logs", () => {
    expect(inspect(key)).not.toContain("0707");
    expect(JSON.stringify(key)).not.toContain("0707");
    expect(key.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it("materialCipher binds by (name, version)", () => {
    const cipher = materialCipher(key);
    const sealed = cipher.seal("k", "a".repeat(32), secret);
    expect(cipher.open("K", "a".repeat(32), sealed)).toEqual(secret);
    refused(() => cipher.open("k", "b".repeat(32), sealed));
  });
});
