import { createDecipheriv } from "node:crypto";
import { kmsCiphertextAad, kmsCiphertextHeader, parseByok, parseKmsCiphertext } from "@keyward/shared";
import type { BridgeClient } from "../../src/server/bridge/client";
import { scratch } from "../../src/server/crypto/test/openssl";

/**
 * The AES key under a token label, learned the independent way: the bridge wraps it (byok.wrap) for
 * an RSA key only the test holds, and the OpenSSL CLI unwraps it. Lets a test prove what a KMS key holds.
 */
export async function learnTokenMaterial(hsm: BridgeClient, label: string): Promise<Buffer> {
  const sh = scratch();
  try {
    sh.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "kek.pem");
    const kekPem = sh.openssl("pkey", "-in", "kek.pem", "-pubout").toString();
    const wrapped = await hsm.run({ type: "byok.wrap", target: label, kek: { kid: "https://localhost/keys/test-kek/0123456789abcdef0123456789abcdef", publicKeyPem: kekPem } });
    const envelope = parseByok(wrapped.byok);
    if (!envelope.ok) throw new Error(envelope.message);
    const ciphertext = Buffer.from(envelope.value.ciphertext);
    sh.write("transfer.wrapped", ciphertext.subarray(0, 256));
    sh.write("target.wrapped", ciphertext.subarray(256));
    const transfer = sh.openssl("pkeyutl", "-decrypt", "-inkey", "kek.pem", "-in", "transfer.wrapped", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha1", "-pkeyopt", "rsa_mgf1_md:sha1");
    return sh.openssl("enc", "-d", "-id-aes256-wrap-pad", "-K", transfer.toString("hex"), "-iv", "A65959A6", "-in", "target.wrapped");
  } finally {
    sh.remove();
  }
}

/** Open a KMS Encrypt blob with a known key and nothing of the endpoint's but the documented format. */
export function openKmsBlob(blobBase64: string, key: Buffer, context: Record<string, string> = {}): string {
  const blob = parseKmsCiphertext(Buffer.from(blobBase64, "base64"));
  if (!blob) throw new Error("not a KMS ciphertext blob");
  const decipher = createDecipheriv("aes-256-gcm", key, blob.iv);
  decipher.setAAD(kmsCiphertextAad(kmsCiphertextHeader(blob.keyId, blob.keyVersionId), context));
  decipher.setAuthTag(blob.tag);
  return Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]).toString("utf8");
}
