import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import {
  KMS_CIPHERTEXT_IV_BYTES,
  KMS_CIPHERTEXT_TAG_BYTES,
  KMS_MAX_PLAINTEXT_BYTES,
  invalidParameter,
  kmsCiphertextAad,
  kmsCiphertextHeader,
  parseKmsCiphertext,
  requireEnabled,
  serializeKmsCiphertext,
} from "@keyward/shared";
import type { KmsKey } from "./service";
import type { KmsSealing } from "./sealing";

export interface EncryptOutput {
  keyId: string;
  keyVersionId: string;
  ciphertextBlob: string;
}

/** The key's material, for an Enabled key only (Rejected.PendingImport otherwise). */
function materialOf(key: KmsKey, sealing: KmsSealing): Buffer {
  requireEnabled(key.state);
  if (!key.row.material) throw new Error("an Enabled key without material");
  return sealing.openMaterial(key.row.key_id, key.row.material);
}

/** Encrypt the plaintext's UTF-8 bytes with AES-256-GCM under the key's material (blob format: ciphertext.ts in shared). */
export function encryptWithKey(key: KmsKey, sealing: KmsSealing, plaintext: string, context: Record<string, string>): EncryptOutput {
  const bytes = Buffer.from(plaintext, "utf8");
  if (bytes.length > KMS_MAX_PLAINTEXT_BYTES) throw invalidParameter("Plaintext", `It must be at most ${KMS_MAX_PLAINTEXT_BYTES} bytes.`);
  const material = materialOf(key, sealing);
  try {
    const keyId = key.row.key_id;
    const keyVersionId = key.row.primary_key_version;
    const iv = randomBytes(KMS_CIPHERTEXT_IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", material, iv, { authTagLength: KMS_CIPHERTEXT_TAG_BYTES });
    cipher.setAAD(kmsCiphertextAad(kmsCiphertextHeader(keyId, keyVersionId), context));
    const ciphertext = Buffer.concat([cipher.update(bytes), cipher.final()]);
    const blob = serializeKmsCiphertext({ keyId, keyVersionId, iv, ciphertext, tag: cipher.getAuthTag() });
    return { keyId, keyVersionId, ciphertextBlob: Buffer.from(blob).toString("base64") };
  } finally {
    material.fill(0);
  }
}

/** Decrypt a blob of this endpoint; the key is the one the blob names (Decrypt takes no KeyId). */
export async function decryptWithKey(
  ciphertextBlob: string,
  context: Record<string, string>,
  sealing: KmsSealing,
  resolve: (keyId: string) => Promise<KmsKey>,
): Promise<{ keyId: string; keyVersionId: string; plaintext: string }> {
  const blob = parseKmsCiphertext(Buffer.from(ciphertextBlob, "base64"));
  if (!blob) throw invalidParameter("CiphertextBlob", "It is not a ciphertext of this endpoint.");
  const key = await resolve(blob.keyId);
  if (blob.keyVersionId !== key.row.primary_key_version) throw invalidParameter("CiphertextBlob", "It names a key version this key does not have.");
  const material = materialOf(key, sealing);
  try {
    const decipher = createDecipheriv("aes-256-gcm", material, blob.iv, { authTagLength: KMS_CIPHERTEXT_TAG_BYTES });
    decipher.setAAD(kmsCiphertextAad(kmsCiphertextHeader(blob.keyId, blob.keyVersionId), context));
    decipher.setAuthTag(blob.tag);
    const plaintext = Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]);
    return { keyId: blob.keyId, keyVersionId: blob.keyVersionId, plaintext: plaintext.toString("utf8") };
  } catch {
    throw invalidParameter("CiphertextBlob", "It cannot be decrypted with this key and EncryptionContext.");
  } finally {
    material.fill(0);
  }
}
