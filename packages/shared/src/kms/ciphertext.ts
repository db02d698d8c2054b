/**
 * The CiphertextBlob of the local KMS endpoint's Encrypt/Decrypt (the cloud's own blob format is
 * not public, so this one is Keyward's), base64 on the wire:
 *
 *   offset  size  field
 *        0     1  format version, 0x01
 *        1    16  KeyId (the UUID's 16 bytes)
 *       17    16  KeyVersionId (the UUID's 16 bytes)
 *       33    12  AES-GCM IV
 *       45     n  AES-256-GCM ciphertext of the plaintext's bytes under the key's material
 *     45+n    16  GCM tag
 *
 * The GCM additional data is bytes 0–32 followed by the UTF-8 of the encryption context as JSON with
 * its keys sorted (nothing when there is no context). Anyone holding the material can therefore
 * decrypt a blob with any AES-GCM implementation — which is how a test proves the material is the HSM's.
 */
export const KMS_CIPHERTEXT_VERSION = 0x01;
export const KMS_CIPHERTEXT_HEADER_BYTES = 33;
export const KMS_CIPHERTEXT_IV_BYTES = 12;
export const KMS_CIPHERTEXT_TAG_BYTES = 16;

export interface KmsCiphertextBlob {
  keyId: string;
  keyVersionId: string;
  iv: Uint8Array;
  /** Ciphertext without the tag. */
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

export function uuidToBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new RangeError("not a UUID");
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

export function bytesToUuid(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function kmsCiphertextHeader(keyId: string, keyVersionId: string): Uint8Array {
  const header = new Uint8Array(KMS_CIPHERTEXT_HEADER_BYTES);
  header[0] = KMS_CIPHERTEXT_VERSION;
  header.set(uuidToBytes(keyId), 1);
  header.set(uuidToBytes(keyVersionId), 17);
  return header;
}

/** The GCM additional data: the header, then the sorted-key JSON of the encryption context. */
export function kmsCiphertextAad(header: Uint8Array, context: Readonly<Record<string, string>>): Uint8Array {
  const keys = Object.keys(context).sort();
  const json = keys.length ? JSON.stringify(Object.fromEntries(keys.map((k) => [k, context[k]]))) : "";
  const text = new TextEncoder().encode(json);
  const aad = new Uint8Array(header.length + text.length);
  aad.set(header, 0);
  aad.set(text, header.length);
  return aad;
}

export function serializeKmsCiphertext(blob: KmsCiphertextBlob): Uint8Array {
  const header = kmsCiphertextHeader(blob.keyId, blob.keyVersionId);
  const out = new Uint8Array(header.length + blob.iv.length + blob.ciphertext.length + blob.tag.length);
  out.set(header, 0);
  out.set(blob.iv, header.length);
  out.set(blob.ciphertext, header.length + blob.iv.length);
  out.set(blob.tag, header.length + blob.iv.length + blob.ciphertext.length);
  return out;
}

/** The blob's parts, or null when it is not a blob of this format. */
export function parseKmsCiphertext(bytes: Uint8Array): KmsCiphertextBlob | null {
  const fixed = KMS_CIPHERTEXT_HEADER_BYTES + KMS_CIPHERTEXT_IV_BYTES + KMS_CIPHERTEXT_TAG_BYTES;
  if (bytes.length < fixed || bytes[0] !== KMS_CIPHERTEXT_VERSION) return null;
  const ivEnd = KMS_CIPHERTEXT_HEADER_BYTES + KMS_CIPHERTEXT_IV_BYTES;
  return {
    keyId: bytesToUuid(bytes.subarray(1, 17)),
    keyVersionId: bytesToUuid(bytes.subarray(17, 33)),
    iv: bytes.slice(KMS_CIPHERTEXT_HEADER_BYTES, ivEnd),
    ciphertext: bytes.slice(ivEnd, bytes.length - KMS_CIPHERTEXT_TAG_BYTES),
    tag: bytes.slice(bytes.length - KMS_CIPHERTEXT_TAG_BYTES),
  };
}
