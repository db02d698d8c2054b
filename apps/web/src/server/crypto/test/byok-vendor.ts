import type { Scratch } from "./openssl";

/*
 * Builds .byok files the way a vendor BYOK tool does with the OpenSSL CLI (the "SoftKEY" script in
 * the facts sheet): `openssl rand` for the transfer key, `openssl enc -id-aesN-wrap-pad -iv
 * A65959A6` for the target, `openssl pkeyutl` RSA-OAEP-SHA1 for the transfer key under the KEK's
 * public PEM, then base64url(wrapped key || wrapped target) in the JSON envelope.
 */

export const KID = "https://keyward.localhost/keys/kek/0123456789abcdef0123456789abcdef";

export interface VendorOptions {
  /** Transfer key length; 32 unless a test says otherwise. */
  transferKeyBytes?: 16 | 24 | 32;
  /** Envelope fields to override (schema_version, header.alg/enc). */
  schemaVersion?: string;
  alg?: string;
  enc?: string;
  /** Keep `=` padding, as Python's urlsafe_b64encode does. */
  padded?: boolean;
}

export interface VendorByok {
  text: string;
  ciphertext: Buffer;
}

/** Wraps the bytes in `targetFile` for the KEK whose public SPKI PEM is `kekPemFile`. */
export function vendorByok(sh: Scratch, kekPemFile: string, targetFile: string, options: VendorOptions = {}): VendorByok {
  const bytes = options.transferKeyBytes ?? 32;
  sh.openssl("rand", "-out", "transfer.key", String(bytes));
  const transferHex = sh.read("transfer.key").toString("hex");
  sh.openssl("enc", `-id-aes${bytes * 8}-wrap-pad`, "-K", transferHex, "-iv", "A65959A6", "-in", targetFile, "-out", "target.wrapped");
  sh.openssl(
    "pkeyutl", "-encrypt", "-pubin", "-inkey", kekPemFile, "-in", "transfer.key", "-out", "transfer.wrapped",
    "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha1", "-pkeyopt", "rsa_mgf1_md:sha1",
  );
  const ciphertext = Buffer.concat([sh.read("transfer.wrapped"), sh.read("target.wrapped")]);
  return { text: envelope(ciphertext, options), ciphertext };
}

export function envelope(ciphertext: Uint8Array, options: VendorOptions = {}): string {
  const encoded = Buffer.from(ciphertext).toString("base64url");
  const padded = options.padded ? encoded + "=".repeat((4 - (encoded.length % 4)) % 4) : encoded;
  return JSON.stringify({
    schema_version: options.schemaVersion ?? "1.0.0",
    header: { kid: KID, alg: options.alg ?? "dir", enc: options.enc ?? "CKM_RSA_AES_KEY_WRAP" },
    ciphertext: padded,
    generator: "Keyward test vendor tool; OpenSSL CLI",
  });
}

/** PKCS#8 DER zero-padded to a multiple of 8, as SoftHSM 2.6.1 does before wrapping. */
export function padTo8(der: Uint8Array): Buffer {
  return Buffer.concat([der, Buffer.alloc((8 - (der.length % 8)) % 8)]);
}
