import { base64url, CompactEncrypt, compactDecrypt, importJWK } from "jose";
import { SecurityDomainError } from "./errors.js";
import { DATA_JWE_ALG, SECURITY_DOMAIN_JWE_ENC, SHARE_JWE_ALG } from "./file.js";

/**
 * The two JWE forms of a security domain (Azure CLI `security_domain/jwe.py`), both A256CBC-HS512:
 * `dir` under a KDF-derived 64-byte key (EncData items), and RSA-OAEP-256 to a certificate's key
 * (shares, the restore blob's wrapped master key). Encryption and `dir` decryption are jose's. An
 * RSA-OAEP-256 JWE is opened with a caller-supplied unwrap of its content key, because on a custodian's
 * bridge the RSA private key is in an HSM and only the HSM may use it.
 */

/** What the share and wrapped-key JWEs carry as `kid` (the CLI writes exactly this). */
export const RSA_JWE_KID = "not used";
/** A256CBC-HS512's content key: 32 bytes of HMAC-SHA-512 key, then 32 of AES-256-CBC key. */
export const CBC_HS512_KEY_BYTES = 64;

/** An RSA public key as JWK (`n`, `e` base64url). */
export interface RsaPublicJwk {
  kty: "RSA";
  n: string;
  e: string;
}

/** Unwraps the JWE's encrypted key (RSA-OAEP-256) to the 64-byte content key. */
export type UnwrapContentKey = (encryptedKey: Uint8Array) => Promise<Uint8Array>;

const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);
const subtle = () => globalThis.crypto.subtle;

function invalid(what: string): SecurityDomainError {
  return new SecurityDomainError("SD_JWE_INVALID", what);
}

export async function encryptDirJwe(key: Uint8Array, plaintext: Uint8Array, kid: string): Promise<string> {
  if (key.length !== CBC_HS512_KEY_BYTES) throw invalid(`a dir / ${SECURITY_DOMAIN_JWE_ENC} key is ${CBC_HS512_KEY_BYTES} bytes; got ${key.length}`);
  return new CompactEncrypt(own(plaintext)).setProtectedHeader({ alg: DATA_JWE_ALG, enc: SECURITY_DOMAIN_JWE_ENC, kid }).encrypt(own(key));
}

export async function decryptDirJwe(jwe: string, key: Uint8Array): Promise<Uint8Array> {
  try {
    const { plaintext } = await compactDecrypt(jwe, own(key), { keyManagementAlgorithms: [DATA_JWE_ALG], contentEncryptionAlgorithms: [SECURITY_DOMAIN_JWE_ENC] });
    return plaintext;
  } catch {
    throw invalid("an EncData item does not open under the key derived from this master key (another domain, or damaged)");
  }
}

export async function encryptToRsaJwe(publicKey: RsaPublicJwk, plaintext: Uint8Array): Promise<string> {
  const key = await importJWK({ kty: "RSA", n: publicKey.n, e: publicKey.e }, SHARE_JWE_ALG);
  return new CompactEncrypt(own(plaintext)).setProtectedHeader({ alg: SHARE_JWE_ALG, enc: SECURITY_DOMAIN_JWE_ENC, kid: RSA_JWE_KID }).encrypt(key);
}

export interface CompactJweParts {
  header: { alg?: unknown; enc?: unknown; kid?: unknown };
  /** The protected header as written (base64url): the JWE's additional authenticated data. */
  protectedHeader: string;
  encryptedKey: Uint8Array;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
}

export function splitCompactJwe(jwe: string): CompactJweParts {
  const parts = jwe.split(".");
  if (parts.length !== 5) throw invalid(`expected a compact JWE (5 parts); got ${parts.length}`);
  const [h = "", k = "", i = "", c = "", t = ""] = parts;
  try {
    const header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64url.decode(h))) as CompactJweParts["header"];
    if (typeof header !== "object" || header === null) throw new Error("not an object");
    return { header, protectedHeader: h, encryptedKey: base64url.decode(k), iv: base64url.decode(i), ciphertext: base64url.decode(c), tag: base64url.decode(t) };
  } catch {
    throw invalid("the JWE is not base64url parts with a JSON protected header");
  }
}

function uint64be(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value), false);
  return out;
}

function concat(...chunks: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** RFC 7518 §5.2.2.2: the tag is checked (constant time) before any decryption. */
async function decryptCbcHs512(cek: Uint8Array, parts: CompactJweParts): Promise<Uint8Array> {
  if (cek.length !== CBC_HS512_KEY_BYTES) throw invalid(`the JWE content key is ${cek.length} bytes; ${SECURITY_DOMAIN_JWE_ENC} needs ${CBC_HS512_KEY_BYTES}`);
  const aad = new TextEncoder().encode(parts.protectedHeader);
  const macKey = await subtle().importKey("raw", own(cek.subarray(0, 32)), { name: "HMAC", hash: "SHA-512" }, false, ["sign"]);
  const mac = new Uint8Array(await subtle().sign("HMAC", macKey, concat(aad, parts.iv, parts.ciphertext, uint64be(aad.length * 8))));
  let diff = parts.tag.length === 32 ? 0 : 1;
  for (let i = 0; i < 32; i++) diff |= (mac[i] ?? 0) ^ (parts.tag[i] ?? 0);
  if (diff !== 0) throw invalid("the JWE's authentication tag does not match: it was altered, or is for another key");
  const aesKey = await subtle().importKey("raw", own(cek.subarray(32)), "AES-CBC", false, ["decrypt"]);
  try {
    return new Uint8Array(await subtle().decrypt({ name: "AES-CBC", iv: own(parts.iv) }, aesKey, own(parts.ciphertext)));
  } catch {
    throw invalid("the JWE ciphertext does not decrypt");
  }
}

/** Opens an RSA-OAEP-256 / A256CBC-HS512 JWE; `unwrap` recovers its content key (in an HSM or otherwise). */
export async function decryptRsaJwe(jwe: string, unwrap: UnwrapContentKey): Promise<Uint8Array> {
  const parts = splitCompactJwe(jwe);
  if (parts.header.alg !== SHARE_JWE_ALG || parts.header.enc !== SECURITY_DOMAIN_JWE_ENC) {
    throw invalid(`expected a ${SHARE_JWE_ALG} / ${SECURITY_DOMAIN_JWE_ENC} JWE; got ${JSON.stringify(parts.header.alg)} / ${JSON.stringify(parts.header.enc)}`);
  }
  const cek = await unwrap(parts.encryptedKey);
  try {
    return await decryptCbcHs512(cek, parts);
  } finally {
    cek.fill(0);
  }
}

/** The standard unwrap with a WebCrypto RSA-OAEP (SHA-256) private key, for keys held in software. */
export function unwrapWithPrivateKey(privateKey: CryptoKey): UnwrapContentKey {
  return async (encryptedKey) => {
    try {
      return new Uint8Array(await subtle().decrypt({ name: "RSA-OAEP" }, privateKey, own(encryptedKey)));
    } catch {
      throw invalid("the JWE's content key does not decrypt with this private key: it was encrypted to another key");
    }
  };
}
