import { describe, expect, it } from "vitest";
import {
  MAX_BYOK_LENGTH,
  parseByok,
  parseByokBytes,
  serializeByok,
  splitByokCiphertext,
} from "./envelope.js";
import { fromHex, toHex } from "./test-vectors/hex.js";
import vectors from "./test-vectors/byok-files.json" with { type: "json" };

const ciphertext = fromHex(vectors.ciphertextHex);
const utf8 = (text: string) => new TextEncoder().encode(text);

/** The serialized vector as an object, with one field changed or removed, back to text. */
function variant(edit: (file: Record<string, unknown> & { header: Record<string, unknown> }) => void): string {
  const file = JSON.parse(vectors.serialized.text) as Record<string, unknown> & { header: Record<string, unknown> };
  edit(file);
  return JSON.stringify(file);
}

describe("serializeByok", () => {
  it("produces the known-answer file exactly (compact JSON, unpadded base64url)", () => {
    expect(serializeByok({ kid: vectors.kid, ciphertext, generator: vectors.serialized.generator })).toBe(vectors.serialized.text);
  });

  it("never pads, whatever the length", () => {
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const text = serializeByok({ kid: "k", ciphertext: new Uint8Array(n).fill(0xfb), generator: "g" });
      const encoded = (JSON.parse(text) as { ciphertext: string }).ciphertext;
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });

  it("throws on an empty kid or ciphertext (a bug in the caller)", () => {
    expect(() => serializeByok({ kid: "", ciphertext, generator: "g" })).toThrow("kid is empty");
    expect(() => serializeByok({ kid: "k", ciphertext: new Uint8Array(0), generator: "g" })).toThrow("ciphertext is empty");
  });
});

describe("parseByok", () => {
  it("reads the known-answer file", () => {
    expect(parseByok(vectors.serialized.text)).toEqual({
      ok: true,
      value: { kid: vectors.kid, ciphertext, generator: vectors.serialized.generator },
    });
  });

  it("reads a padded, pretty-printed file with keys in another order (Python tools)", () => {
    expect(parseByok(vectors.padded.text)).toEqual({
      ok: true,
      value: { kid: vectors.kid, ciphertext, generator: vectors.padded.generator },
    });
  });

  it("reads bytes, with or without a UTF-8 byte-order mark", () => {
    const expected = { ok: true, value: { kid: vectors.kid, ciphertext, generator: vectors.serialized.generator } };
    expect(parseByokBytes(utf8(vectors.serialized.text))).toEqual(expected);
    expect(parseByokBytes(utf8(`\uFEFF${vectors.serialized.text}`))).toEqual(expected);
    expect(parseByok(`\uFEFF${vectors.serialized.text}`)).toEqual(expected);
  });

  it("round-trips every length class, padded or not", () => {
    for (const n of [1, 2, 3, 4, 5, 6, 296]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 251) & 0xff);
      const text = serializeByok({ kid: "k", ciphertext: bytes, generator: "" });
      expect(parseByok(text)).toEqual({ ok: true, value: { kid: "k", ciphertext: bytes, generator: "" } });
      const encoded = (JSON.parse(text) as { ciphertext: string }).ciphertext;
      const padded = encoded + "=".repeat((4 - (encoded.length % 4)) % 4);
      const paddedText = text.replace(`"${encoded}"`, `"${padded}"`);
      expect(parseByok(paddedText)).toEqual({ ok: true, value: { kid: "k", ciphertext: bytes, generator: "" } });
    }
  });

  it("ignores fields it does not know", () => {
    const text = variant((f) => {
      f.comment = "made on the offline laptop";
      f.header.cty = "jwk";
    });
    expect(parseByok(text).ok).toBe(true);
  });

  const refusals: [string, string, string, string][] = [
    ["not JSON", "schema_version: 1.0.0", "BYOK_MALFORMED", "the file is not JSON"],
    ["empty text", "", "BYOK_MALFORMED", "the file is not JSON"],
    ["a JSON array", "[]", "BYOK_MALFORMED", "the file is JSON but not an object"],
    ["JSON null", "null", "BYOK_MALFORMED", "the file is JSON but not an object"],
    ["a JSON string", '"eyJ..."', "BYOK_MALFORMED", "the file is JSON but not an object"],
    ["no schema_version", variant((f) => delete f.schema_version), "BYOK_MALFORMED", "schema_version is missing"],
    ["schema_version 1.0 (a release blob)", variant((f) => (f.schema_version = "1.0")), "BYOK_SCHEMA_VERSION", 'schema_version "1.0" is not supported; expected "1.0.0"'],
    ["schema_version as a number", variant((f) => (f.schema_version = 1)), "BYOK_SCHEMA_VERSION", 'schema_version 1 is not supported; expected "1.0.0"'],
    ["no header", variant((f) => Reflect.deleteProperty(f, "header")), "BYOK_MALFORMED", "header is missing"],
    ["header as a string", variant((f) => (f.header = "eyJhbGciOiJkaXIifQ" as never)), "BYOK_MALFORMED", "header is not an object"],
    ["no kid", variant((f) => delete f.header.kid), "BYOK_MALFORMED", "header.kid is missing"],
    ["empty kid", variant((f) => (f.header.kid = "")), "BYOK_MALFORMED", "header.kid is not a non-empty string"],
    ["kid as a number", variant((f) => (f.header.kid = 7)), "BYOK_MALFORMED", "header.kid is not a non-empty string"],
    ["no alg", variant((f) => delete f.header.alg), "BYOK_MALFORMED", "header.alg is missing"],
    ["alg RSA-OAEP", variant((f) => (f.header.alg = "RSA-OAEP")), "BYOK_ALG", 'header.alg "RSA-OAEP" is not supported; expected "dir"'],
    ["alg DIR", variant((f) => (f.header.alg = "DIR")), "BYOK_ALG", 'header.alg "DIR" is not supported; expected "dir"'],
    ["no enc", variant((f) => delete f.header.enc), "BYOK_MALFORMED", "header.enc is missing"],
    ["enc RSA_AES_KEY_WRAP_256", variant((f) => (f.header.enc = "RSA_AES_KEY_WRAP_256")), "BYOK_ENC", 'header.enc "RSA_AES_KEY_WRAP_256" is not supported; expected "CKM_RSA_AES_KEY_WRAP"'],
    ["no generator", variant((f) => delete f.generator), "BYOK_MALFORMED", "generator is missing"],
    ["generator as an object", variant((f) => (f.generator = { tool: "x" })), "BYOK_MALFORMED", "generator is not a string"],
    ["no ciphertext", variant((f) => delete f.ciphertext), "BYOK_MALFORMED", "ciphertext is missing"],
    ["ciphertext as a list", variant((f) => (f.ciphertext = [1, 2])), "BYOK_CIPHERTEXT", "ciphertext is not a string"],
    ["empty ciphertext", variant((f) => (f.ciphertext = "")), "BYOK_CIPHERTEXT", "ciphertext is empty"],
    ["standard base64 '+'", variant((f) => (f.ciphertext = "ab+c")), "BYOK_CIPHERTEXT", "ciphertext is standard base64 ('+' or '/'); base64url uses '-' and '_'"],
    ["standard base64 '/'", variant((f) => (f.ciphertext = "ab/c")), "BYOK_CIPHERTEXT", "ciphertext is standard base64 ('+' or '/'); base64url uses '-' and '_'"],
    ["a line break", variant((f) => (f.ciphertext = "abcd\nefgh")), "BYOK_CIPHERTEXT", 'ciphertext has a character outside the base64url alphabet at position 4: "\\n"'],
    ["a space", variant((f) => (f.ciphertext = "abcd efgh")), "BYOK_CIPHERTEXT", 'ciphertext has a character outside the base64url alphabet at position 4: " "'],
    ["padding in the middle", variant((f) => (f.ciphertext = "QQ==QUJD")), "BYOK_CIPHERTEXT", 'ciphertext has a character outside the base64url alphabet at position 2: "="'],
    ["three padding characters", variant((f) => (f.ciphertext = "QUJDR===")), "BYOK_CIPHERTEXT", 'ciphertext has a character outside the base64url alphabet at position 5: "="'],
    ["an impossible length", variant((f) => (f.ciphertext = "QUJDR")), "BYOK_CIPHERTEXT", "ciphertext is 5 characters, which is not a valid base64url length"],
    ["short padding", variant((f) => (f.ciphertext = "QQ=")), "BYOK_CIPHERTEXT", "ciphertext is 3 characters, which is not a valid base64url length"],
    ["padding after a full quantum", variant((f) => (f.ciphertext = "QUJD=")), "BYOK_CIPHERTEXT", "ciphertext is 5 characters, which is not a valid base64url length"],
    ["non-zero trailing bits", variant((f) => (f.ciphertext = "QR")), "BYOK_CIPHERTEXT", "ciphertext has non-zero bits after its last byte (not canonical base64url)"],
    ["non-zero trailing bits, padded", variant((f) => (f.ciphertext = "QUJ=")), "BYOK_CIPHERTEXT", "ciphertext has non-zero bits after its last byte (not canonical base64url)"],
  ];

  it.each(refusals)("refuses %s", (_name, text, code, message) => {
    expect(parseByok(text)).toEqual({ ok: false, code, message });
  });

  it("refuses a file over the size limit before parsing it", () => {
    const text = variant((f) => (f.generator = "g".repeat(MAX_BYOK_LENGTH)));
    expect(parseByok(text)).toEqual({
      ok: false,
      code: "BYOK_TOO_LARGE",
      message: `the file is ${text.length} characters; a .byok file is at most 65536`,
    });
    expect(parseByokBytes(utf8(text))).toEqual({
      ok: false,
      code: "BYOK_TOO_LARGE",
      message: `the file is ${text.length} bytes; a .byok file is at most 65536`,
    });
  });

  it("refuses bytes that are not UTF-8 (a legacy binary .byok)", () => {
    expect(parseByokBytes(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d))).toEqual({
      ok: false,
      code: "BYOK_MALFORMED",
      message: "the file is not UTF-8 text",
    });
  });
});

describe("splitByokCiphertext", () => {
  it("splits the known-answer ciphertext at the KEK modulus length", () => {
    const result = splitByokCiphertext(ciphertext, vectors.split.kekModulusBytes);
    if (!result.ok) throw new Error(result.message);
    expect(toHex(result.wrappedKey)).toBe(vectors.split.wrappedKeyHex);
    expect(toHex(result.wrappedTarget)).toBe(vectors.split.wrappedTargetHex);
    expect(result.wrappedTarget).toHaveLength(40); // KWP of an AES-256 key: 8 + 32
  });

  it("accepts the smallest wrapped target (16 bytes)", () => {
    expect(splitByokCiphertext(new Uint8Array(512 + 16), 512).ok).toBe(true);
  });

  it.each([
    [296, 128, "BYOK_KEK_SIZE", "a KEK modulus of 128 bytes is not supported; use 256, 384, 512"],
    [296, 2048, "BYOK_KEK_SIZE", "a KEK modulus of 2048 bytes is not supported; use 256, 384, 512"],
    [296, 384, "BYOK_CIPHERTEXT_LENGTH", "ciphertext is 296 bytes; a 3072-bit KEK needs more than 384"],
    [256, 256, "BYOK_CIPHERTEXT_LENGTH", "ciphertext is 256 bytes; a 2048-bit KEK needs more than 256"],
    [264, 256, "BYOK_CIPHERTEXT_LENGTH", "ciphertext leaves 8 bytes after the 2048-bit KEK part; AES key wrap output is a multiple of 8 and at least 16"],
    [276, 256, "BYOK_CIPHERTEXT_LENGTH", "ciphertext leaves 20 bytes after the 2048-bit KEK part; AES key wrap output is a multiple of 8 and at least 16"],
  ] as const)("refuses %i bytes with a %i-byte KEK", (length, modulus, code, message) => {
    expect(splitByokCiphertext(new Uint8Array(length), modulus)).toEqual({ ok: false, code, message });
  });
});
