import { z } from "zod";
import { AES_SIZES, EC_CURVES, RSA_SIZES } from "@keyward/shared";
import type { EcCurve, KeySpec } from "@keyward/shared";
import { badParameter } from "./errors";
import { fromBase64url } from "./lib/bytes";

/**
 * Key material as the store keeps it: a private JWK with base64url fields (RFC 7518 §6), curves by
 * their Key Vault names. Plain JSON on purpose, so it can be sealed and stored as is.
 */
export interface RsaKeyMaterial {
  kty: "RSA";
  n: string;
  e: string;
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qi: string;
}
export interface EcKeyMaterial {
  kty: "EC";
  crv: EcCurve;
  x: string;
  y: string;
  d: string;
}
export interface OctKeyMaterial {
  kty: "oct";
  k: string;
}
export type KeyMaterial = RsaKeyMaterial | EcKeyMaterial | OctKeyMaterial;
export type AsymmetricKeyMaterial = RsaKeyMaterial | EcKeyMaterial;

// Strict alphabet, no padding: Buffer's decoder would silently skip anything else.
const b64u = z.string().regex(/^[A-Za-z0-9_-]+$/, "not unpadded base64url");

/** Shape only; `keySpecOf` checks sizes and curves, `materialFromJwk` also checks consistency. */
export const KeyMaterialSchema = z.discriminatedUnion("kty", [
  z.object({ kty: z.literal("RSA"), n: b64u, e: b64u, d: b64u, p: b64u, q: b64u, dp: b64u, dq: b64u, qi: b64u }),
  z.object({ kty: z.literal("EC"), crv: z.enum(EC_CURVES), x: b64u, y: b64u, d: b64u }),
  z.object({ kty: z.literal("oct"), k: b64u }),
]);

/** Bit length of a big-endian unsigned integer. */
export function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  const first = bytes[i];
  if (first === undefined) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(first));
}

const specs = new WeakMap<KeyMaterial, KeySpec>();

/** Family and size or curve of the material; refuses anything Keyward does not hold (RSA-1024, AES-64…). */
export function keySpecOf(material: KeyMaterial): KeySpec {
  const cached = specs.get(material);
  if (cached) return cached;
  const spec = computeSpec(material);
  specs.set(material, spec);
  return spec;
}

function computeSpec(material: KeyMaterial): KeySpec {
  switch (material.kty) {
    case "RSA": {
      const bits = bitLength(fromBase64url(material.n));
      const size = RSA_SIZES.find((s) => s === bits);
      if (size === undefined) {
        throw badParameter("KeyMaterialUnsupported", `RSA key size ${bits} is not supported; use ${RSA_SIZES.join(", ")}`);
      }
      return { kty: "RSA", size };
    }
    case "EC":
      if (!(EC_CURVES as readonly string[]).includes(material.crv)) {
        throw badParameter("KeyMaterialUnsupported", `curve ${JSON.stringify(material.crv)} is not supported; use ${EC_CURVES.join(", ")}`);
      }
      return { kty: "EC", crv: material.crv };
    case "oct": {
      const bits = fromBase64url(material.k).length * 8;
      const size = AES_SIZES.find((s) => s === bits);
      if (size === undefined) {
        throw badParameter("KeyMaterialUnsupported", `AES key size ${bits} is not supported; use ${AES_SIZES.join(", ")}`);
      }
      return { kty: "oct", size };
    }
  }
}
