import { createHash } from "node:crypto";

/**
 * EME-OAEP decoding (RFC 8017 §7.1.2) with SHA-256, MGF1-SHA-256 and an empty label: what RSA-OAEP-256
 * JWEs use. It runs in the bridge only for tokens that cannot do CKM_RSA_PKCS_OAEP with SHA-256
 * (SoftHSM 2.6.1): the token does the raw RSA private operation (CKM_RSA_X_509) — the private key never
 * leaves it — and this removes the padding.
 *
 * Every check is folded into one flag over the whole block and there is one failure, raised at the
 * end: an error or timing that told *which* check failed would be a padding oracle (Manger's attack)
 * for whoever can submit ciphertexts.
 */

const HASH_BYTES = 32;
const EMPTY_LABEL_HASH = createHash("sha256").digest();

export class OaepDecodingError extends Error {
  override name = "OaepDecodingError";
  constructor() {
    super("RSA-OAEP decryption error");
  }
}

/** MGF1 (RFC 8017 B.2.1) with SHA-256. */
export function mgf1Sha256(seed: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(Math.ceil(length / HASH_BYTES) * HASH_BYTES);
  const counter = Buffer.alloc(4);
  for (let i = 0; i * HASH_BYTES < length; i++) {
    counter.writeUInt32BE(i);
    createHash("sha256").update(seed).update(counter).digest().copy(out, i * HASH_BYTES);
  }
  return out.subarray(0, length);
}

/** 1 when the bytes are equal, else 0, without a branch on them. */
const byteEquals = (a: number, b: number): number => (((a ^ b) - 1) >>> 31) & 1;

function xorInto(target: Buffer, mask: Buffer): void {
  for (let i = 0; i < target.length; i++) target[i] = (target[i] ?? 0) ^ (mask[i] ?? 0);
}

/**
 * The message inside `em`, the k-byte output of the raw RSA private operation (left-padded by the caller
 * to the modulus length). Throws OaepDecodingError, and only that, when the block is not valid.
 * The caller owns `em` and zeroes it; the intermediate seed and data block are zeroed here.
 */
export function decodeOaepSha256(em: Uint8Array): Buffer {
  const k = em.length;
  // Depends only on the modulus size, which is public.
  if (k < 2 * HASH_BYTES + 2) throw new OaepDecodingError();
  const seed = Buffer.from(em.subarray(1, 1 + HASH_BYTES));
  const db = Buffer.from(em.subarray(1 + HASH_BYTES));
  const seedMask = mgf1Sha256(db, HASH_BYTES);
  xorInto(seed, seedMask);
  const dbMask = mgf1Sha256(seed, db.length);
  xorInto(db, dbMask);
  try {
    // DB = lHash' || PS (zero bytes) || 0x01 || M, and the first byte of EM (Y) must be zero.
    let bad = em[0] ?? 1;
    for (let i = 0; i < HASH_BYTES; i++) bad |= (db[i] ?? 0) ^ (EMPTY_LABEL_HASH[i] ?? 0);
    let found = 0;
    let separator = 0;
    for (let i = HASH_BYTES; i < db.length; i++) {
      const byte = db[i] ?? 0;
      const isOne = byteEquals(byte, 1);
      const isZero = byteEquals(byte, 0);
      const notFound = found ^ 1;
      const first = isOne & notFound;
      // Remember the index of the first 0x01 (mask select, no branch).
      separator = (separator & (first - 1)) | (i & -first);
      // Before the separator only zero bytes may appear.
      bad |= notFound & ((isOne | isZero) ^ 1);
      found |= isOne;
    }
    bad |= found ^ 1;
    if (bad !== 0) throw new OaepDecodingError();
    return Buffer.from(db.subarray(separator + 1));
  } finally {
    seed.fill(0);
    seedMask.fill(0);
    db.fill(0);
    dbMask.fill(0);
  }
}
