import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { kmsCiphertextAad, kmsCiphertextHeader, parseKmsCiphertext, serializeKmsCiphertext, uuidToBytes, bytesToUuid } from "./ciphertext.js";

describe("KMS ciphertext blob", () => {
  it("round-trips and opens with plain AES-256-GCM over the documented layout", () => {
    const key = randomBytes(32);
    const keyId = randomUUID();
    const keyVersionId = randomUUID();
    const iv = randomBytes(12);
    const context = { b: "2", a: "1" };
    const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(kmsCiphertextAad(kmsCiphertextHeader(keyId, keyVersionId), context));
    const ciphertext = Buffer.concat([cipher.update("hello"), cipher.final()]);
    const bytes = serializeKmsCiphertext({ keyId, keyVersionId, iv, ciphertext, tag: cipher.getAuthTag() });
    expect(bytes[0]).toBe(1);
    expect(bytes).toHaveLength(33 + 12 + 5 + 16);

    const blob = parseKmsCiphertext(bytes)!;
    expect(blob.keyId).toBe(keyId);
    const aad = Buffer.concat([Buffer.from(bytes.subarray(0, 33)), Buffer.from('{"a":"1","b":"2"}')]);
    const decipher = createDecipheriv("aes-256-gcm", key, blob.iv).setAAD(aad).setAuthTag(blob.tag);
    expect(Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]).toString()).toBe("hello");
  });

  it("rejects what is not a blob of this format", () => {
    expect(parseKmsCiphertext(new Uint8Array(60))).toBeNull();
    expect(parseKmsCiphertext(Uint8Array.of(1, 2, 3))).toBeNull();
  });

  it("converts UUIDs both ways", () => {
    const id = randomUUID();
    expect(bytesToUuid(uuidToBytes(id))).toBe(id);
    expect(() => uuidToBytes("nope")).toThrow(RangeError);
  });
});
