import { base64url } from "jose";
import { RSA_SIZES } from "../keys/spec.js";

export const BYOK_SCHEMA_VERSION = "1.0.0";
export const BYOK_ALG = "dir";
export const BYOK_ENC = "CKM_RSA_AES_KEY_WRAP";

/** Far above any real file (RSA-4096 target under a 4096-bit KEK is ~4 KiB); stops a stray upload early. */
export const MAX_BYOK_LENGTH = 64 * 1024;

export type ByokErrorCode =
  | "BYOK_TOO_LARGE"
  | "BYOK_MALFORMED"
  | "BYOK_SCHEMA_VERSION"
  | "BYOK_ALG"
  | "BYOK_ENC"
  | "BYOK_CIPHERTEXT";

export interface ByokEnvelope {
  /** Versioned key identifier of the KEK the ciphertext was made for. */
  kid: string;
  /** RSA-OAEP(KEK, ephemeral AES key) || AES-KWP(ephemeral key, target key). */
  ciphertext: Uint8Array;
  /** Informational: tool and HSM that produced the file. */
  generator: string;
}

export type ByokParseResult = { ok: true; value: ByokEnvelope } | { ok: false; code: ByokErrorCode; message: string };

export function serializeByok(envelope: ByokEnvelope): string {
  // Producing a file Key Vault would refuse is a bug in the caller, not a user error.
  if (envelope.kid.length === 0) throw new TypeError("serializeByok: kid is empty");
  if (envelope.ciphertext.length === 0) throw new TypeError("serializeByok: ciphertext is empty");
  return JSON.stringify({
    schema_version: BYOK_SCHEMA_VERSION,
    header: { kid: envelope.kid, alg: BYOK_ALG, enc: BYOK_ENC },
    ciphertext: base64url.encode(envelope.ciphertext),
    generator: envelope.generator,
  });
}

const fail = (code: ByokErrorCode, message: string): ByokParseResult => ({ ok: false, code, message });

/** A short, safe rendering of an unexpected value for a message. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function parseByok(text: string): ByokParseResult {
  if (text.length > MAX_BYOK_LENGTH) {
    return fail("BYOK_TOO_LARGE", `the file is ${text.length} characters; a .byok file is at most ${MAX_BYOK_LENGTH}`);
  }
  let json: unknown;
  try {
    // Windows tools may save a UTF-8 byte-order mark, which JSON.parse rejects.
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return fail("BYOK_MALFORMED", "the file is not JSON");
  }
  if (!isObject(json)) return fail("BYOK_MALFORMED", "the file is JSON but not an object");
  const { schema_version: version, header, ciphertext, generator } = json;
  if (version === undefined) return fail("BYOK_MALFORMED", "schema_version is missing");
  if (version !== BYOK_SCHEMA_VERSION) {
    return fail("BYOK_SCHEMA_VERSION", `schema_version ${shown(version)} is not supported; expected "${BYOK_SCHEMA_VERSION}"`);
  }
  if (!isObject(header)) return fail("BYOK_MALFORMED", header === undefined ? "header is missing" : "header is not an object");
  const { kid, alg, enc } = header;
  if (typeof kid !== "string" || kid.length === 0) {
    return fail("BYOK_MALFORMED", kid === undefined ? "header.kid is missing" : "header.kid is not a non-empty string");
  }
  if (alg === undefined) return fail("BYOK_MALFORMED", "header.alg is missing");
  if (alg !== BYOK_ALG) return fail("BYOK_ALG", `header.alg ${shown(alg)} is not supported; expected "${BYOK_ALG}"`);
  if (enc === undefined) return fail("BYOK_MALFORMED", "header.enc is missing");
  if (enc !== BYOK_ENC) return fail("BYOK_ENC", `header.enc ${shown(enc)} is not supported; expected "${BYOK_ENC}"`);
  if (generator === undefined) return fail("BYOK_MALFORMED", "generator is missing");
  if (typeof generator !== "string") return fail("BYOK_MALFORMED", "generator is not a string");
  if (ciphertext === undefined) return fail("BYOK_MALFORMED", "ciphertext is missing");
  if (typeof ciphertext !== "string") return fail("BYOK_CIPHERTEXT", "ciphertext is not a string");
  const decoded = decodeCiphertext(ciphertext);
  if (typeof decoded === "string") return fail("BYOK_CIPHERTEXT", decoded);
  return { ok: true, value: { kid, ciphertext: decoded, generator } };
}

/** The same, for a file read as bytes (what `az keyvault key import --byok-file` sends). */
export function parseByokBytes(bytes: Uint8Array): ByokParseResult {
  if (bytes.length > MAX_BYOK_LENGTH) {
    return fail("BYOK_TOO_LARGE", `the file is ${bytes.length} bytes; a .byok file is at most ${MAX_BYOK_LENGTH}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fail("BYOK_MALFORMED", "the file is not UTF-8 text");
  }
  return parseByok(text);
}

const URL_ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * Strict base64url: generators differ on `=` padding, so both forms pass, but nothing else does —
 * jose's decoder (atob underneath) would quietly accept whitespace and non-zero trailing bits.
 * Returns the bytes, or a message naming the problem.
 */
function decodeCiphertext(text: string): Uint8Array | string {
  if (text.length === 0) return "ciphertext is empty";
  const body = text.replace(/={1,2}$/, "");
  const padding = text.length - body.length;
  if (!URL_ALPHABET.test(body)) {
    if (/[+/]/.test(body)) return "ciphertext is standard base64 ('+' or '/'); base64url uses '-' and '_'";
    const bad = body.search(/[^A-Za-z0-9_-]/);
    return `ciphertext has a character outside the base64url alphabet at position ${bad}: ${shown(body[bad])}`;
  }
  if (body.length % 4 === 1 || (padding > 0 && text.length % 4 !== 0)) {
    return `ciphertext is ${text.length} characters, which is not a valid base64url length`;
  }
  const bytes = base64url.decode(body);
  if (base64url.encode(bytes) !== body) return "ciphertext has non-zero bits after its last byte (not canonical base64url)";
  return bytes;
}

export type ByokSplitResult =
  | { ok: true; wrappedKey: Uint8Array; wrappedTarget: Uint8Array }
  | { ok: false; code: "BYOK_KEK_SIZE" | "BYOK_CIPHERTEXT_LENGTH"; message: string };

/** KWP output is the 8-byte integrity block plus the key padded to 8 bytes, so at least 16. */
const MIN_KWP_BYTES = 16;

/**
 * Splits CKM_RSA_AES_KEY_WRAP output: the first `kekModulusBytes` are the OAEP-wrapped AES key,
 * the rest the AES-KWP-wrapped target. A length mismatch usually means the file was made for a
 * KEK of another size.
 */
export function splitByokCiphertext(ciphertext: Uint8Array, kekModulusBytes: number): ByokSplitResult {
  const modulusBytes = RSA_SIZES.map((bits) => bits / 8);
  if (!modulusBytes.includes(kekModulusBytes)) {
    return {
      ok: false,
      code: "BYOK_KEK_SIZE",
      message: `a KEK modulus of ${kekModulusBytes} bytes is not supported; use ${modulusBytes.join(", ")}`,
    };
  }
  const kwpBytes = ciphertext.length - kekModulusBytes;
  if (kwpBytes < MIN_KWP_BYTES || kwpBytes % 8 !== 0) {
    const bits = kekModulusBytes * 8;
    return {
      ok: false,
      code: "BYOK_CIPHERTEXT_LENGTH",
      message:
        kwpBytes <= 0
          ? `ciphertext is ${ciphertext.length} bytes; a ${bits}-bit KEK needs more than ${kekModulusBytes}`
          : `ciphertext leaves ${kwpBytes} bytes after the ${bits}-bit KEK part; AES key wrap output is a multiple of 8 and at least ${MIN_KWP_BYTES}`,
    };
  }
  return {
    ok: true,
    wrappedKey: ciphertext.slice(0, kekModulusBytes),
    wrappedTarget: ciphertext.slice(kekModulusBytes),
  };
}
