import { createHmac, createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import type { JsonWebKey, KeyObject } from "node:crypto";
import type { AsymmetricKeyMaterial, EcKeyMaterial, KeyMaterial, OctKeyMaterial, RsaKeyMaterial } from "../material";
import { badParameter } from "../errors";
import { bytesToBigInt, fromBase64url } from "./bytes";
import { CURVES } from "./curves";
import type { CurveInfo } from "./curves";

/*
 * Parsed forms of key material, cached. Turning a JWK into an OpenSSL key and running its first
 * private operation (Montgomery contexts, blinding) costs about as much as a second RSA-2048
 * signature, so a cold parse per request halves throughput. Two levels:
 *  - by object (WeakMap): free when the caller keeps one material object per key version;
 *  - by content (bounded LRU): for callers that decrypt material afresh on every request. Entries
 *    are keyed by an HMAC of every field under a per-process random key, so equal content maps to
 *    the same entry, different content never does, and the map keys say nothing outside this process.
 * Material objects are treated as immutable.
 */

export interface RsaKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  modulusBits: number;
  /** k in RFC 8017: the length of a signature or ciphertext. */
  modulusBytes: number;
}

export interface EcKeys {
  curve: CurveInfo;
  d: bigint;
  /** Uncompressed SEC1 point 04 || x || y, as noble verifies with. */
  publicPoint: Uint8Array;
}

interface Parsed {
  node?: KeyObject;
  rsa?: RsaKeys;
  ec?: EcKeys;
  oct?: Buffer;
}

/** Enough for every key a busy target signs with; each entry is a few KiB. */
const MAX_CACHED = 1024;
const fingerprintKey = randomBytes(32);
const byObject = new WeakMap<KeyMaterial, Parsed>();
const byContent = new Map<string, Parsed>();

function fieldsOf(material: KeyMaterial): string[] {
  switch (material.kty) {
    case "RSA":
      return [material.kty, material.n, material.e, material.d, material.p, material.q, material.dp, material.dq, material.qi];
    case "EC":
      return [material.kty, material.crv, material.x, material.y, material.d];
    case "oct":
      return [material.kty, material.k];
  }
}

function parsed(material: KeyMaterial): Parsed {
  const known = byObject.get(material);
  if (known !== undefined) return known;
  const mac = createHmac("sha256", fingerprintKey);
  // Length-prefixed fields: no two materials share an encoding.
  for (const field of fieldsOf(material)) mac.update(`${field.length}:${field};`);
  const id = mac.digest("base64url");
  let entry = byContent.get(id);
  if (entry === undefined) {
    entry = {};
    if (byContent.size >= MAX_CACHED) {
      const oldest = byContent.keys().next();
      if (oldest.done !== true) byContent.delete(oldest.value);
    }
  } else {
    byContent.delete(id);
  }
  byContent.set(id, entry);
  byObject.set(material, entry);
  return entry;
}

/** The material as an OpenSSL private key. */
export function privateKeyObject(material: AsymmetricKeyMaterial): KeyObject {
  const entry = parsed(material);
  if (entry.node === undefined) {
    const { kty, d } = material;
    const jwk: JsonWebKey =
      kty === "EC"
        ? { kty, crv: CURVES[material.crv].nodeJwk, x: material.x, y: material.y, d }
        : { kty, n: material.n, e: material.e, d, p: material.p, q: material.q, dp: material.dp, dq: material.dq, qi: material.qi };
    try {
      entry.node = createPrivateKey({ key: jwk, format: "jwk" });
    } catch {
      throw badParameter("KeyMaterialInvalid", `the ${material.kty} key material is not a valid private JWK`);
    }
  }
  return entry.node;
}

export function publicKeyObject(material: AsymmetricKeyMaterial): KeyObject {
  return material.kty === "RSA" ? rsaKeys(material).publicKey : createPublicKey(privateKeyObject(material));
}

export function rsaKeys(material: RsaKeyMaterial): RsaKeys {
  const entry = parsed(material);
  if (entry.rsa === undefined) {
    const privateKey = privateKeyObject(material);
    const modulusBits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
    entry.rsa = { privateKey, publicKey: createPublicKey(privateKey), modulusBits, modulusBytes: Math.ceil(modulusBits / 8) };
  }
  return entry.rsa;
}

export function ecKeys(material: EcKeyMaterial): EcKeys {
  const entry = parsed(material);
  if (entry.ec === undefined) {
    const curve = CURVES[material.crv];
    const field = (name: string, value: string) => {
      const bytes = fromBase64url(value);
      // Some encoders drop leading zero bytes; none may add any.
      if (bytes.length === 0 || bytes.length > curve.bytes) {
        throw badParameter("KeyMaterialInvalid", `the EC key's ${name} is ${bytes.length} bytes; ${material.crv} uses ${curve.bytes}`);
      }
      return Buffer.concat([Buffer.alloc(curve.bytes - bytes.length), bytes]);
    };
    const publicPoint = Buffer.concat([Buffer.from([4]), field("x", material.x), field("y", material.y)]);
    entry.ec = { curve, d: bytesToBigInt(field("d", material.d)), publicPoint };
  }
  return entry.ec;
}

export function octKey(material: OctKeyMaterial): Buffer {
  const entry = parsed(material);
  entry.oct ??= fromBase64url(material.k);
  return entry.oct;
}
