import { AES_SIZES } from "../keys/spec.js";
import type { AesSize } from "../keys/spec.js";

export type Pkcs8PaddingErrorCode =
  | "PKCS8_NOT_SEQUENCE"
  | "PKCS8_BAD_LENGTH"
  | "PKCS8_TRUNCATED"
  | "PKCS8_TRAILING_DATA"
  | "PKCS8_PADDING";

export type Pkcs8TrimResult = { ok: true; der: Uint8Array } | { ok: false; code: Pkcs8PaddingErrorCode; message: string };

/** KWP pads to 8 bytes, so a padder never needs to add 8 or more. */
export const MAX_PKCS8_ZERO_PADDING = 7;

const SEQUENCE = 0x30;
/** Four length octets describe up to 4 GiB; nothing Keyward handles comes close. */
const MAX_LENGTH_OCTETS = 4;

// Messages give lengths and offsets only: these bytes are a private key.
const fail = (code: Pkcs8PaddingErrorCode, message: string): Pkcs8TrimResult => ({ ok: false, code, message });

/**
 * Reads the outer DER SEQUENCE header of an unwrapped RSA/EC target and drops the zero padding
 * some HSMs (SoftHSM 2.6.1) add to reach a multiple of 8 before AES key wrap with padding.
 * Accepts at most 7 trailing zero bytes and nothing else. The result is a view into `bytes`,
 * not a copy, so zeroing the input also wipes it.
 */
export function trimPkcs8Padding(bytes: Uint8Array): Pkcs8TrimResult {
  if (bytes.length === 0) return fail("PKCS8_NOT_SEQUENCE", "the key material is empty; expected a PKCS#8 DER SEQUENCE");
  if (bytes[0] !== SEQUENCE) return fail("PKCS8_NOT_SEQUENCE", "the key material does not start with a DER SEQUENCE (0x30); expected PKCS#8");
  const first = bytes[1];
  if (first === undefined) return fail("PKCS8_BAD_LENGTH", "the DER SEQUENCE has no length byte");

  let contentLength: number;
  let headerLength: number;
  if (first < 0x80) {
    contentLength = first;
    headerLength = 2;
  } else {
    const octets = first & 0x7f;
    if (octets === 0) return fail("PKCS8_BAD_LENGTH", "the DER SEQUENCE uses indefinite length, which DER forbids");
    if (octets > MAX_LENGTH_OCTETS) {
      return fail("PKCS8_BAD_LENGTH", `the DER SEQUENCE length takes ${octets} bytes; at most ${MAX_LENGTH_OCTETS} are supported`);
    }
    headerLength = 2 + octets;
    if (bytes.length < headerLength) return fail("PKCS8_BAD_LENGTH", "the DER SEQUENCE length is cut off");
    contentLength = 0;
    for (let i = 2; i < headerLength; i++) contentLength = contentLength * 256 + (bytes[i] ?? 0);
    // DER requires the shortest form; a BER-style length means the producer is not what we expect.
    if (bytes[2] === 0 || contentLength < 0x80) {
      return fail("PKCS8_BAD_LENGTH", "the DER SEQUENCE length is not in its shortest form, which DER requires");
    }
  }

  const derLength = headerLength + contentLength;
  if (derLength > bytes.length) {
    return fail("PKCS8_TRUNCATED", `the DER SEQUENCE declares ${derLength} bytes but only ${bytes.length} are present`);
  }
  const trailing = bytes.subarray(derLength);
  if (trailing.some((b) => b !== 0)) {
    return fail("PKCS8_TRAILING_DATA", `${trailing.length} bytes follow the DER SEQUENCE and not all are zero`);
  }
  if (trailing.length > MAX_PKCS8_ZERO_PADDING) {
    return fail(
      "PKCS8_PADDING",
      `${trailing.length} zero bytes follow the DER SEQUENCE; padding to a multiple of 8 adds at most ${MAX_PKCS8_ZERO_PADDING}`,
    );
  }
  return { ok: true, der: bytes.subarray(0, derLength) };
}

export type AesKeyLengthResult =
  | { ok: true; size: AesSize }
  | { ok: false; code: "AES_KEY_LENGTH" | "AES_KEY_SIZE_MISMATCH"; message: string };

/** An oct target is raw key bytes: only AES-128/192/256. Pass `expected` to tie it to the requested key spec. */
export function checkAesKeyLength(bytes: Uint8Array, expected?: AesSize): AesKeyLengthResult {
  const size = AES_SIZES.find((bits) => bits === bytes.length * 8);
  if (size === undefined) {
    return {
      ok: false,
      code: "AES_KEY_LENGTH",
      message: `the AES key is ${bytes.length} bytes; expected ${AES_SIZES.map((bits) => bits / 8).join(", ")}`,
    };
  }
  if (expected !== undefined && size !== expected) {
    return { ok: false, code: "AES_KEY_SIZE_MISMATCH", message: `the AES key is ${size}-bit; the target key is AES-${expected}` };
  }
  return { ok: true, size };
}
