import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const work = mkdtempSync(join(tmpdir(), "keyward-openssl-"));
let n = 0;

function openssl(args: string[], input?: Buffer): Buffer {
  return execFileSync("openssl", args, { input, stdio: ["pipe", "pipe", "pipe"] });
}

/** An RSA KEK made by OpenSSL: the test holds the private key; the bridge only ever sees the public PEM. */
export function opensslRsaKey(bits: number): { privatePath: string; publicPem: string } {
  const privatePath = join(work, `kek-${bits}-${n++}.pem`);
  openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", `rsa_keygen_bits:${bits}`, "-out", privatePath]);
  return { privatePath, publicPem: openssl(["pkey", "-in", privatePath, "-pubout"]).toString() };
}

/**
 * Open a CKM_RSA_AES_KEY_WRAP blob with the OpenSSL CLI alone: RSA-OAEP-SHA1 over the first
 * |modulus| bytes gives the AES key, RFC 5649 unwrap of the rest gives the target's plaintext.
 */
export function opensslUnwrap(ciphertext: Buffer, kekPrivatePath: string, modulusBytes: number): { aesKey: Buffer; plaintext: Buffer } {
  const wrappedKey = join(work, `wk-${n}.bin`);
  const wrappedTarget = join(work, `wt-${n++}.bin`);
  writeFileSync(wrappedKey, ciphertext.subarray(0, modulusBytes));
  writeFileSync(wrappedTarget, ciphertext.subarray(modulusBytes));
  const aesKey = openssl(["pkeyutl", "-decrypt", "-inkey", kekPrivatePath, "-in", wrappedKey, "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha1", "-pkeyopt", "rsa_mgf1_md:sha1"]);
  const plaintext = openssl(["enc", "-d", "-id-aes256-wrap-pad", "-K", aesKey.toString("hex"), "-iv", "A65959A6", "-in", wrappedTarget]);
  return { aesKey, plaintext };
}

/** RSA decryption with the OpenSSL CLI: OAEP (SHA-1 or SHA-256, MGF1 alike) or PKCS#1 v1.5. */
export function opensslRsaDecrypt(ciphertext: Buffer, privatePath: string, padding: "oaep-sha1" | "oaep-sha256" | "pkcs1"): Buffer {
  const input = join(work, `rsa-${n++}.bin`);
  writeFileSync(input, ciphertext);
  const opts =
    padding === "pkcs1"
      ? ["-pkeyopt", "rsa_padding_mode:pkcs1"]
      : ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", `rsa_oaep_md:${padding.slice(5)}`, "-pkeyopt", `rsa_mgf1_md:${padding.slice(5)}`];
  return openssl(["pkeyutl", "-decrypt", "-inkey", privatePath, "-in", input, ...opts]);
}

/** Public key (SPKI DER) of a PKCS#8 private key, as OpenSSL reads it. */
export function opensslPublicFromPkcs8(der: Buffer): Buffer {
  const path = join(work, `pk-${n++}.der`);
  writeFileSync(path, der);
  return openssl(["pkey", "-inform", "DER", "-in", path, "-pubout", "-outform", "DER"]);
}

/** AES key check value: the first 3 bytes of AES-ECB(key, zero block), computed by OpenSSL. */
export function opensslKcv(key: Buffer): string {
  const cipher = `aes-${key.length * 8}-ecb`;
  return openssl(["enc", `-${cipher}`, "-K", key.toString("hex"), "-nopad"], Buffer.alloc(16)).subarray(0, 3).toString("hex");
}

export function readText(path: string): string {
  return readFileSync(path, "utf8");
}
