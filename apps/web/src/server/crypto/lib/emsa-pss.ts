import { randomBytes, timingSafeEqual } from "node:crypto";
import { HASHES, hash, mgf1 } from "./hashes";
import type { HashName } from "./hashes";

/*
 * EMSA-PSS (RFC 8017 §9.1) over a digest the caller already computed, with the salt as long as the
 * hash and MGF1 over the same hash — the parameters of JWA PS256/384/512 (RFC 7518 §3.5) and of
 * Key Vault. Node's sign() only takes messages, so the encoding is done here and the RSA private
 * operation is done raw.
 */

const ZEROS = Buffer.alloc(8);

/** Leading bits of the encoded message that must be zero so that EM < n. */
const topMask = (emBits: number, emLen: number) => 0xff >> (8 * emLen - emBits);

export function emsaPssEncode(name: HashName, mHash: Uint8Array, emBits: number): Buffer {
  const hLen = HASHES[name].bytes;
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + sLen + 2) throw new RangeError("EMSA-PSS: modulus too short for this hash");
  const salt = randomBytes(sLen);
  const h = hash(name, ZEROS, mHash, salt);
  const db = Buffer.alloc(emLen - hLen - 1);
  db[emLen - sLen - hLen - 2] = 0x01;
  salt.copy(db, db.length - sLen);
  const mask = mgf1(name, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] ?? 0) ^ (mask[i] ?? 0);
  db[0] = (db[0] ?? 0) & topMask(emBits, emLen);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** RFC 8017 §9.1.2 with sLen = hLen. `em` is the emLen-byte encoded message. */
export function emsaPssVerify(name: HashName, mHash: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLen = HASHES[name].bytes;
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || emLen < hLen + sLen + 2) return false;
  if (em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const mask = topMask(emBits, emLen);
  if (((maskedDb[0] ?? 0) & ~mask) !== 0) return false;
  const dbMask = mgf1(name, h, maskedDb.length);
  const db = Buffer.alloc(maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] = (maskedDb[i] ?? 0) ^ (dbMask[i] ?? 0);
  db[0] = (db[0] ?? 0) & mask;
  const psLen = emLen - hLen - sLen - 2;
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false;
  if (db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  return timingSafeEqual(hash(name, ZEROS, mHash, salt), h);
}
