import { describe, expect, it } from "vitest";
import { MAX_PKCS8_ZERO_PADDING, checkAesKeyLength, trimPkcs8Padding } from "./plaintext.js";
import { fromHex } from "./test-vectors/hex.js";
import padding from "./test-vectors/pkcs8-padding.json" with { type: "json" };

/** A DER SEQUENCE with the given header bytes and `contentLength` bytes of non-zero content. */
const sequence = (header: number[], contentLength: number, trailing: number[] = []) =>
  Uint8Array.from([...header, ...new Array<number>(contentLength).fill(0x5a), ...trailing]);

describe("trimPkcs8Padding", () => {
  it.each(padding.vectors)("$name", ({ paddedHex, derLength }) => {
    const input = fromHex(paddedHex);
    const result = trimPkcs8Padding(input);
    if (!result.ok) throw new Error(result.message);
    expect(result.der).toEqual(input.subarray(0, derLength));
    // A view, not a copy: wiping the input wipes the result too.
    expect(result.der.buffer).toBe(input.buffer);
  });

  it("accepts every padding from 0 to 7 zero bytes", () => {
    for (let n = 0; n <= MAX_PKCS8_ZERO_PADDING; n++) {
      const result = trimPkcs8Padding(sequence([0x30, 0x10], 16, new Array<number>(n).fill(0)));
      expect(result.ok && result.der.length).toBe(18);
    }
  });

  it("reads short and long-form lengths", () => {
    expect(trimPkcs8Padding(sequence([0x30, 0x7f], 127)).ok).toBe(true);
    expect(trimPkcs8Padding(sequence([0x30, 0x81, 0x80], 128)).ok).toBe(true);
    expect(trimPkcs8Padding(sequence([0x30, 0x82, 0x01, 0x00], 256)).ok).toBe(true);
  });

  it("reads a four-octet length (here claiming 16 MiB, so the input is short)", () => {
    expect(trimPkcs8Padding(sequence([0x30, 0x84, 0x01, 0x00, 0x00, 0x00], 3))).toEqual({
      ok: false,
      code: "PKCS8_TRUNCATED",
      message: "the DER SEQUENCE declares 16777222 bytes but only 9 are present",
    });
  });

  it.each([
    ["empty input", [], "PKCS8_NOT_SEQUENCE", "the key material is empty; expected a PKCS#8 DER SEQUENCE"],
    ["an OCTET STRING", [0x04, 0x02, 0x01, 0x02], "PKCS8_NOT_SEQUENCE", "the key material does not start with a DER SEQUENCE (0x30); expected PKCS#8"],
    ["base64 text instead of DER", [...new TextEncoder().encode("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")], "PKCS8_NOT_SEQUENCE", "the key material does not start with a DER SEQUENCE (0x30); expected PKCS#8"],
    ["a lone tag", [0x30], "PKCS8_BAD_LENGTH", "the DER SEQUENCE has no length byte"],
    ["indefinite length", [0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00], "PKCS8_BAD_LENGTH", "the DER SEQUENCE uses indefinite length, which DER forbids"],
    ["a five-octet length", [0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x10], "PKCS8_BAD_LENGTH", "the DER SEQUENCE length takes 5 bytes; at most 4 are supported"],
    ["a cut-off long length", [0x30, 0x82, 0x04], "PKCS8_BAD_LENGTH", "the DER SEQUENCE length is cut off"],
    ["a long form for a short length", [...sequence([0x30, 0x81, 0x10], 16)], "PKCS8_BAD_LENGTH", "the DER SEQUENCE length is not in its shortest form, which DER requires"],
    ["a leading zero length octet", [...sequence([0x30, 0x82, 0x00, 0x90], 0x90)], "PKCS8_BAD_LENGTH", "the DER SEQUENCE length is not in its shortest form, which DER requires"],
    ["a length beyond the buffer", [...sequence([0x30, 0x82, 0x04, 0xbe], 1000)], "PKCS8_TRUNCATED", "the DER SEQUENCE declares 1218 bytes but only 1004 are present"],
    ["non-zero trailing bytes", [...sequence([0x30, 0x10], 16, [0, 0, 1])], "PKCS8_TRAILING_DATA", "3 bytes follow the DER SEQUENCE and not all are zero"],
    ["PKCS#7-style padding", [...sequence([0x30, 0x10], 16, [6, 6, 6, 6, 6, 6])], "PKCS8_TRAILING_DATA", "6 bytes follow the DER SEQUENCE and not all are zero"],
    ["a second SEQUENCE", [...sequence([0x30, 0x02], 2, [0x30, 0x00])], "PKCS8_TRAILING_DATA", "2 bytes follow the DER SEQUENCE and not all are zero"],
    ["eight zero bytes", [...sequence([0x30, 0x10], 16, new Array<number>(8).fill(0))], "PKCS8_PADDING", "8 zero bytes follow the DER SEQUENCE; padding to a multiple of 8 adds at most 7"],
  ] as const)("refuses %s", (_name, bytes, code, message) => {
    expect(trimPkcs8Padding(Uint8Array.from(bytes))).toEqual({ ok: false, code, message });
  });

  it("refuses a real key followed by a full block of zeros", () => {
    const vector = padding.vectors[0];
    if (vector === undefined) throw new Error("no vector");
    const input = fromHex(vector.paddedHex + "00".repeat(8));
    expect(trimPkcs8Padding(input)).toMatchObject({ ok: false, code: "PKCS8_PADDING" });
  });
});

describe("checkAesKeyLength", () => {
  it.each([
    [16, 128],
    [24, 192],
    [32, 256],
  ] as const)("accepts %i bytes as AES-%i", (bytes, size) => {
    expect(checkAesKeyLength(new Uint8Array(bytes))).toEqual({ ok: true, size });
    expect(checkAesKeyLength(new Uint8Array(bytes), size)).toEqual({ ok: true, size });
  });

  it.each([0, 8, 15, 20, 33, 40, 64])("refuses %i bytes", (bytes) => {
    expect(checkAesKeyLength(new Uint8Array(bytes))).toEqual({
      ok: false,
      code: "AES_KEY_LENGTH",
      message: `the AES key is ${bytes} bytes; expected 16, 24, 32`,
    });
  });

  it("refuses a key of another size than the target spec", () => {
    expect(checkAesKeyLength(new Uint8Array(16), 256)).toEqual({
      ok: false,
      code: "AES_KEY_SIZE_MISMATCH",
      message: "the AES key is 128-bit; the target key is AES-256",
    });
  });
});
