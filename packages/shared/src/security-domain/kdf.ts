import { SecurityDomainError } from "./errors.js";

/**
 * NIST SP 800-108 KDF in counter mode with HMAC as the PRF, via WebCrypto:
 *   K(i) = HMAC(KI, [i]₃₂ || Label || 0x00 || Context || [L]₃₂), i = 1 … ⌈L/h⌉; KO = leftmost L bits.
 * Counter and L are 32-bit big-endian; label and context strings are UTF-8.
 *
 * The Azure CLI (`security_domain/sp800_108.py`) only ever uses it with HMAC-SHA-512 and L ≤ 512, where
 * one block suffices; for longer outputs its loop differs from the standard (it keeps feeding one HMAC
 * object), so outputs above 512 bits here follow SP 800-108, not the CLI.
 */

export type KdfHash = "SHA-256" | "SHA-512";

export interface Sp800108Params {
  key: Uint8Array;
  label: Uint8Array | string;
  context: Uint8Array | string;
  /** L, the output length in bits: a positive multiple of 8. */
  bits: number;
  hash: KdfHash;
}

/** 8 KiB of output: far beyond any use here; keeps a typo from spinning. */
export const MAX_KDF_BITS = 65536;

/** `kdf` of a security-domain file's EncData. */
export const SECURITY_DOMAIN_KDF = "sp108_kdf";
/** The CEK of a `dir` / A256CBC-HS512 JWE: 32 bytes of HMAC-SHA-512 key, then 32 of AES-256 key. */
export const SECURITY_DOMAIN_DATA_KEY_BITS = 512;

/** A copy on a fresh ArrayBuffer (what WebCrypto's types ask for; also keeps no caller reference). */
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);
const utf8 = (value: Uint8Array | string): Uint8Array => (typeof value === "string" ? new TextEncoder().encode(value) : value);

function uint32be(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

export async function sp800108CounterKdf(params: Sp800108Params): Promise<Uint8Array> {
  const { key, bits, hash } = params;
  if (!Number.isInteger(bits) || bits <= 0 || bits % 8 !== 0 || bits > MAX_KDF_BITS) {
    throw new SecurityDomainError("SD_KDF_PARAMETERS", `the output length must be a positive multiple of 8 bits up to ${MAX_KDF_BITS}; got ${bits}`);
  }
  if (key.length === 0) throw new SecurityDomainError("SD_KDF_PARAMETERS", "the key derivation key is empty");
  const label = utf8(params.label);
  const context = utf8(params.context);
  // Everything after the counter is the same in every block.
  const suffix = new Uint8Array(label.length + 1 + context.length + 4);
  suffix.set(label, 0);
  suffix.set(context, label.length + 1);
  suffix.set(uint32be(bits), label.length + 1 + context.length);

  const hmacKey = await globalThis.crypto.subtle.importKey("raw", own(key), { name: "HMAC", hash }, false, ["sign"]);
  const blockBytes = hash === "SHA-256" ? 32 : 64;
  const blocks = Math.ceil(bits / 8 / blockBytes);
  const out = new Uint8Array(blocks * blockBytes);
  for (let i = 1; i <= blocks; i++) {
    const input = new Uint8Array(4 + suffix.length);
    input.set(uint32be(i), 0);
    input.set(suffix, 4);
    out.set(new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", hmacKey, input)), (i - 1) * blockBytes);
  }
  return out.slice(0, bits / 8);
}

/**
 * The key of one `EncData.data[]` item: KDF(master key, label = its tag, context = "", L = 512) with
 * HMAC-SHA-512 — the 64-byte CEK of its `dir` / A256CBC-HS512 JWE (CLI `_security_domain_gen_blob`).
 */
export function securityDomainDataKey(masterKey: Uint8Array, tag: string): Promise<Uint8Array> {
  return sp800108CounterKdf({ key: masterKey, label: tag, context: "", bits: SECURITY_DOMAIN_DATA_KEY_BITS, hash: "SHA-512" });
}
