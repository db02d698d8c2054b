import { base64url, CompactEncrypt, compactDecrypt, generateKeyPair } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { SecurityDomainError } from "./errors.js";
import { parseSecurityDomainFile, serializeSecurityDomainFile, type SecurityDomainFile } from "./file.js";
import { securityDomainDataKey } from "./kdf.js";
import { combineShares, splitSecret } from "./shamir.js";
import example from "./test-vectors/spec-example.json" with { type: "json" };

const TAGS = ["hsm_backup", "base_enclave_backup", "kmsp_enclave_backup"];
const utf8 = (text: string) => new TextEncoder().encode(text);
const thumbprint = () => base64url.encode(globalThis.crypto.getRandomValues(new Uint8Array(32)));

interface Fixture {
  masterKey: Uint8Array;
  privateKeys: CryptoKey[];
  text: string;
}
let fixture: Fixture;

/** A file built the way the service builds one, with jose as an independent JWE implementation. */
beforeAll(async () => {
  const masterKey = globalThis.crypto.getRandomValues(new Uint8Array(32));
  const pairs = await Promise.all([0, 1, 2].map(() => generateKeyPair("RSA-OAEP-256", { modulusLength: 2048 })));
  const shares = splitSecret(masterKey, { shares: 3, required: 2 });
  const data = await Promise.all(
    TAGS.map(async (tag) => ({
      compact_jwe: await new CompactEncrypt(utf8(`backup blob ${tag}`))
        .setProtectedHeader({ alg: "dir", enc: "A256CBC-HS512", kid: tag })
        .encrypt(await securityDomainDataKey(masterKey, tag)),
      tag,
    })),
  );
  const enc_shares = await Promise.all(
    shares.map(async (share, i) => ({
      enc_key: await new CompactEncrypt(share)
        .setProtectedHeader({ alg: "RSA-OAEP-256", enc: "A256CBC-HS512", kid: "not used" })
        .encrypt(pairs[i]!.publicKey),
      x5t_256: thumbprint(),
    })),
  );
  const file = { EncData: { data, kdf: "sp108_kdf" }, SharedKeys: { enc_shares, key_algorithm: "shamir_share", required: 2 }, version: 2 };
  fixture = { masterKey, privateKeys: pairs.map((pair) => pair.privateKey), text: JSON.stringify(file) };
});

type Editable = {
  EncData: { data: Record<string, unknown>[]; kdf?: unknown } & Record<string, unknown>;
  SharedKeys: { enc_shares: Record<string, unknown>[] } & Record<string, unknown>;
} & Record<string, unknown>;

/** The fixture as an object, with one thing changed, back to text. */
function variant(edit: (file: Editable) => void): string {
  const file = JSON.parse(fixture.text) as Editable;
  edit(file);
  return JSON.stringify(file);
}

/** The same compact JWE with one part (0–4) replaced. */
function withPart(jwe: string, index: number, part: string): string {
  const parts = jwe.split(".");
  parts[index] = part;
  return parts.join(".");
}

function refusal(text: string): string {
  try {
    parseSecurityDomainFile(text);
  } catch (error) {
    if (error instanceof SecurityDomainError && error.code === "SD_FILE_MALFORMED") return error.message;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("parseSecurityDomainFile", () => {
  it("parses a version-2 file and the whole recovery path works on it (jose decrypts, shares combine)", async () => {
    const file = parseSecurityDomainFile(fixture.text);
    expect(file.SharedKeys.required).toBe(2);
    expect(file.EncData.data.map((item) => item.tag)).toEqual(TAGS);
    // Any two custodians: 3 and 1.
    const shares = await Promise.all(
      [2, 0].map(async (i) => (await compactDecrypt(file.SharedKeys.enc_shares[i]!.enc_key, fixture.privateKeys[i]!)).plaintext),
    );
    const masterKey = combineShares(shares, file.SharedKeys.required);
    expect(masterKey).toEqual(fixture.masterKey);
    for (const item of file.EncData.data) {
      const { plaintext } = await compactDecrypt(item.compact_jwe, await securityDomainDataKey(masterKey, item.tag));
      expect(new TextDecoder().decode(plaintext)).toBe(`backup blob ${item.tag}`);
    }
  });

  it("accepts the share JWE of Azure's own REST spec example", () => {
    const text = variant((file) => {
      file.SharedKeys.enc_shares[2] = example.encShare;
    });
    expect(parseSecurityDomainFile(text).SharedKeys.enc_shares[2]).toEqual(example.encShare);
  });

  it("accepts a file without version (older tools), a byte-order mark, and unknown extra fields", () => {
    const text = variant((file) => {
      delete file.version;
      file.Extra = true;
    });
    const file = parseSecurityDomainFile(`\uFEFF${text}`);
    expect(file.version).toBeUndefined();
    expect(file).not.toHaveProperty("Extra");
  });

  it.each<[string, (file: Editable) => void, string]>([
    ["no EncData", (f) => void Reflect.deleteProperty(f, "EncData"), "EncData: is missing"],
    ["no SharedKeys", (f) => void Reflect.deleteProperty(f, "SharedKeys"), "SharedKeys: is missing"],
    ["another kdf", (f) => void (f.EncData.kdf = "hkdf"), 'EncData.kdf: expected "sp108_kdf"'],
    ["no data", (f) => void (f.EncData.data = []), "EncData.data: expected at least one item"],
    ["an empty tag", (f) => void (f.EncData.data[1]!.tag = ""), "EncData.data[1].tag: expected a non-empty tag"],
    ["a repeated tag", (f) => void (f.EncData.data[2]!.tag = "hsm_backup"), "EncData.data[2].tag: repeats the tag of data[0]"],
    ["another key_algorithm", (f) => void (f.SharedKeys.key_algorithm = "xor"), 'SharedKeys.key_algorithm: expected "shamir_share"'],
    ["required 1", (f) => void (f.SharedKeys.required = 1), "SharedKeys.required: expected 2 to 10"],
    [
      "required 11 (also above the shares held)",
      (f) => void (f.SharedKeys.required = 11),
      "SharedKeys.required: expected 2 to 10 (and 1 more problem)",
    ],
    ["required 2.5", (f) => void (f.SharedKeys.required = 2.5), "SharedKeys.required: expected a whole number"],
    ["required as text", (f) => void (f.SharedKeys.required = "2"), "SharedKeys.required: expected a whole number"],
    ["required above the shares held", (f) => void (f.SharedKeys.required = 4), "SharedKeys.required: is 4 but the file holds only 3 shares"],
    ["two shares", (f) => void f.SharedKeys.enc_shares.pop(), "SharedKeys.enc_shares: expected 3 to 10 shares"],
    [
      "eleven shares",
      (f) => void f.SharedKeys.enc_shares.push(...Array.from({ length: 8 }, () => ({ ...f.SharedKeys.enc_shares[0]!, x5t_256: thumbprint() }))),
      "SharedKeys.enc_shares: expected 3 to 10 shares",
    ],
    [
      "a repeated certificate",
      (f) => void (f.SharedKeys.enc_shares[1]!.x5t_256 = f.SharedKeys.enc_shares[0]!.x5t_256),
      "SharedKeys.enc_shares[1].x5t_256: repeats the certificate of enc_shares[0]",
    ],
    [
      "a padded thumbprint",
      (f) => void (f.SharedKeys.enc_shares[0]!.x5t_256 += "="),
      "SharedKeys.enc_shares[0].x5t_256: expected the base64url SHA-256 thumbprint of a certificate (43 characters)",
    ],
    [
      "a SHA-1 thumbprint",
      (f) => void (f.SharedKeys.enc_shares[0]!.x5t_256 = base64url.encode(new Uint8Array(20))),
      "SharedKeys.enc_shares[0].x5t_256: expected the base64url SHA-256 thumbprint of a certificate (43 characters)",
    ],
    ["no enc_key", (f) => void delete f.SharedKeys.enc_shares[0]!.enc_key, "SharedKeys.enc_shares[0].enc_key: is missing"],
    ["version 3", (f) => void (f.version = 3), "version: expected 2"],
  ])("refuses %s", (_, edit, message) => {
    expect(refusal(variant(edit))).toBe(message);
  });

  it.each<[string, (jwe: string) => string, string]>([
    ["four parts", (jwe) => jwe.split(".").slice(0, 4).join("."), "expected a compact JWE (5 dot-separated parts); got 4 parts"],
    ["a non-base64url part", (jwe) => withPart(jwe, 2, "a+b/"), "the JWE initialization vector is not base64url"],
    ["a header that is not JSON", (jwe) => withPart(jwe, 0, base64url.encode("{alg")), "the JWE protected header is not JSON"],
    ["a header without enc", (jwe) => withPart(jwe, 0, base64url.encode('{"alg":"dir"}')), "the JWE protected header has no alg or enc"],
    ["alg RSA-OAEP-256", (jwe) => withPart(jwe, 0, base64url.encode('{"alg":"RSA-OAEP-256","enc":"A256CBC-HS512"}')), 'the JWE alg is "RSA-OAEP-256"; expected "dir"'],
    ["enc A256GCM", (jwe) => withPart(jwe, 0, base64url.encode('{"alg":"dir","enc":"A256GCM"}')), 'the JWE enc is "A256GCM"; expected "A256CBC-HS512"'],
    ["an encrypted key", (jwe) => withPart(jwe, 1, base64url.encode(new Uint8Array(256))), 'the JWE encrypted key must be empty for "dir"'],
    ["a 12-byte IV", (jwe) => withPart(jwe, 2, base64url.encode(new Uint8Array(12))), "the JWE initialization vector is 12 bytes; expected 16"],
    ["a ragged ciphertext", (jwe) => withPart(jwe, 3, base64url.encode(new Uint8Array(17))), "the JWE ciphertext is 17 bytes; expected a non-zero multiple of 16"],
    ["a 64-byte tag", (jwe) => withPart(jwe, 4, base64url.encode(new Uint8Array(64))), "the JWE authentication tag is 64 bytes; expected 32"],
  ])("refuses a data JWE with %s", (_, edit, message) => {
    const text = variant((f) => void (f.EncData.data[0]!.compact_jwe = edit(f.EncData.data[0]!.compact_jwe as string)));
    expect(refusal(text)).toBe(`EncData.data[0].compact_jwe: ${message}`);
  });

  it("refuses a share JWE that is dir, or whose RSA ciphertext is below 2048 bits", () => {
    const dataJwe = (JSON.parse(fixture.text) as Editable).EncData.data[0]!.compact_jwe as string;
    expect(refusal(variant((f) => void (f.SharedKeys.enc_shares[0]!.enc_key = dataJwe)))).toBe(
      'SharedKeys.enc_shares[0].enc_key: the JWE alg is "dir"; expected "RSA-OAEP-256"',
    );
    const short = variant((f) => {
      f.SharedKeys.enc_shares[0]!.enc_key = withPart(f.SharedKeys.enc_shares[0]!.enc_key as string, 1, base64url.encode(new Uint8Array(128)));
    });
    expect(refusal(short)).toBe(
      "SharedKeys.enc_shares[0].enc_key: the JWE encrypted key is 128 bytes; an RSA-2048 or larger key gives at least 256",
    );
  });

  it("counts further problems, refuses non-JSON, a non-object and an oversized file", () => {
    expect(refusal(variant((f) => void ((f.SharedKeys.required = 1), (f.version = 9))))).toBe(
      "SharedKeys.required: expected 2 to 10 (and 1 more problem)",
    );
    expect(refusal("{")).toBe("the file is not JSON");
    expect(refusal("[]")).toBe("the file: expected an object");
    expect(refusal(" ".repeat(1024 * 1024 + 1))).toBe("the file is 1048577 characters; a security-domain file is at most 1048576");
  });
});

describe("serializeSecurityDomainFile", () => {
  it("round-trips the parsed file to the same text (service key order, version 2)", () => {
    expect(serializeSecurityDomainFile(parseSecurityDomainFile(fixture.text))).toBe(fixture.text);
  });

  it("writes version 2 even when the parsed file had none", () => {
    const text = variant((f) => void delete f.version);
    expect(JSON.parse(serializeSecurityDomainFile(parseSecurityDomainFile(text)))).toMatchObject({ version: 2 });
  });

  it("throws on a file that would be refused (a bug in the caller)", () => {
    const file = parseSecurityDomainFile(fixture.text);
    const broken: SecurityDomainFile = { ...file, SharedKeys: { ...file.SharedKeys, required: 4 } };
    expect(() => serializeSecurityDomainFile(broken)).toThrow("serializeSecurityDomainFile: is 4 but the file holds only 3 shares");
  });
});
