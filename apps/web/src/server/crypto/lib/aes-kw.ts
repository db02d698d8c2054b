import { createCipheriv, createDecipheriv } from "node:crypto";

/*
 * AES key wrap through OpenSSL's wrap ciphers: RFC 3394 (KW, integrity value A6A6A6A6A6A6A6A6) and
 * RFC 5649 (KWP, alternative IV A65959A6 followed by the length). OpenSSL checks the integrity
 * value, and for KWP the length indicator and the zero padding, on unwrap.
 */

const KW_IV = Buffer.from("a6a6a6a6a6a6a6a6", "hex");
const KWP_IV = Buffer.from("a65959a6", "hex");

export type KeyWrapMode = "kw" | "kwp";

function cipherName(mode: KeyWrapMode, kek: Uint8Array): string {
  return `id-aes${kek.length * 8}-wrap${mode === "kwp" ? "-pad" : ""}`;
}

/** Input lengths each mode accepts, or a message saying why not. */
export function wrapInputProblem(mode: KeyWrapMode, length: number): string | undefined {
  if (mode === "kw") {
    return length >= 16 && length % 8 === 0 ? undefined : `AES key wrap (RFC 3394) takes a multiple of 8 bytes, at least 16; got ${length}`;
  }
  return length >= 1 ? undefined : "AES key wrap with padding (RFC 5649) needs at least 1 byte";
}

export function unwrapInputProblem(mode: KeyWrapMode, length: number): string | undefined {
  const min = mode === "kw" ? 24 : 16;
  return length >= min && length % 8 === 0
    ? undefined
    : `a ${mode === "kw" ? "RFC 3394" : "RFC 5649"} wrapped key is a multiple of 8 bytes, at least ${min}; got ${length}`;
}

/** The caller checks wrapInputProblem first. */
export function aesWrap(mode: KeyWrapMode, kek: Uint8Array, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv(cipherName(mode, kek), kek, mode === "kw" ? KW_IV : KWP_IV);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]);
}

/** `undefined` when the integrity check fails: wrong key or altered ciphertext, indistinguishably. */
export function aesUnwrap(mode: KeyWrapMode, kek: Uint8Array, wrapped: Uint8Array): Buffer | undefined {
  try {
    const decipher = createDecipheriv(cipherName(mode, kek), kek, mode === "kw" ? KW_IV : KWP_IV);
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    return undefined;
  }
}
