import type { EcCurve } from "@keyward/shared";
import type { AsymmetricKeyMaterial, KeyMaterial } from "./material";
import { publicKeyObject } from "./lib/key-objects";

export interface RsaPublicJwk {
  kty: "RSA";
  n: string;
  e: string;
}
export interface EcPublicJwk {
  kty: "EC";
  crv: EcCurve;
  x: string;
  y: string;
}
/** What Key Vault shows of a key: public fields only, and nothing at all of a symmetric key. */
export type PublicJwk = RsaPublicJwk | EcPublicJwk | { kty: "oct" };

/**
 * The public half in Key Vault's JsonWebKey form (base64url fields). `kty` is the family; the
 * caller adds `-HSM`, `kid` and `key_ops`, which the material does not know.
 */
export function publicJwkOf(material: KeyMaterial): PublicJwk {
  switch (material.kty) {
    case "RSA":
      return { kty: "RSA", n: material.n, e: material.e };
    case "EC":
      return { kty: "EC", crv: material.crv, x: material.x, y: material.y };
    case "oct":
      return { kty: "oct" };
  }
}

/** SubjectPublicKeyInfo PEM, what `az keyvault key download` writes for a KEK. */
export function spkiPemOf(material: AsymmetricKeyMaterial): string {
  return publicKeyObject(material).export({ type: "spki", format: "pem" }).toString();
}
