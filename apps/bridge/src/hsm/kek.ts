import { createPublicKey, type KeyObject } from "node:crypto";
import { BridgeError, RSA_SIZES, type RsaSize } from "@keyward/shared";

export interface KekPublicKey {
  size: RsaSize;
  modulus: Buffer;
  exponent: Buffer;
}

/** KEKs are few and reused for many wraps (bulk ceremonies); parsing a PEM costs more than a wrap. */
const parsed = new Map<string, KekPublicKey>();
const MAX_CACHED = 64;

export function parseKek(pem: string): KekPublicKey {
  const hit = parsed.get(pem);
  if (hit) return hit;
  const kek = parseKekUncached(pem);
  if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value as string);
  parsed.set(pem, kek);
  return kek;
}

/** Parse and check a KEK public key: RSA (not RSA-PSS), 2048/3072/4096 bits, as Key Vault KEKs are. */
function parseKekUncached(pem: string): KekPublicKey {
  let key;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch {
    throw new BridgeError("INVALID_KEK", "the KEK public key is not a readable PEM public key");
  }
  return checkRsaPublicKey(key, "the KEK");
}

/** An RSA public key (not RSA-PSS) of 2048, 3072 or 4096 bits, as KEKs and KMS wrapping keys are. */
export function checkRsaPublicKey(key: KeyObject, what: string): KekPublicKey {
  if (key.asymmetricKeyType !== "rsa") {
    throw new BridgeError("INVALID_KEK", `${what} must be an RSA key; this one is ${key.asymmetricKeyType ?? "unknown"}`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (!(RSA_SIZES as readonly number[]).includes(bits)) {
    throw new BridgeError("INVALID_KEK", `${what} is RSA-${bits}; it must be RSA 2048, 3072 or 4096`);
  }
  const jwk = key.export({ format: "jwk" });
  if (!jwk.n || !jwk.e) throw new BridgeError("INVALID_KEK", `${what} has no modulus`);
  return { size: bits as RsaSize, modulus: Buffer.from(jwk.n, "base64url"), exponent: Buffer.from(jwk.e, "base64url") };
}
