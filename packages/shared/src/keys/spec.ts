import { z } from "zod";

/** RSA modulus sizes Keyward handles end to end; 1024 is refused everywhere (seed 000). */
export const RSA_SIZES = [2048, 3072, 4096] as const;
export type RsaSize = (typeof RSA_SIZES)[number];

/** Curves by their Key Vault names (P-256K is secp256k1). */
export const EC_CURVES = ["P-256", "P-256K", "P-384", "P-521"] as const;
export type EcCurve = (typeof EC_CURVES)[number];

export const AES_SIZES = [128, 192, 256] as const;
export type AesSize = (typeof AES_SIZES)[number];

/** Base key families; the `-HSM` variants are the same material held in an HSM. */
export const KEY_FAMILIES = ["RSA", "EC", "oct"] as const;
export type KeyFamily = (typeof KEY_FAMILIES)[number];

export const KEY_TYPES = ["RSA", "RSA-HSM", "EC", "EC-HSM", "oct", "oct-HSM"] as const;
export type KeyType = (typeof KEY_TYPES)[number];

export function familyOf(kty: KeyType): KeyFamily {
  return kty.replace(/-HSM$/, "") as KeyFamily;
}

const listed = (values: readonly (string | number)[]) => values.join(", ");

export const RsaSizeSchema = z.literal(RSA_SIZES, {
  error: (i) => `RSA key size ${String(i.input)} is not supported; use ${listed(RSA_SIZES)}`,
});
export const EcCurveSchema = z.enum(EC_CURVES, {
  error: (i) => `curve ${JSON.stringify(i.input)} is not supported; use ${listed(EC_CURVES)}`,
});
export const AesSizeSchema = z.literal(AES_SIZES, {
  error: (i) => `AES key size ${String(i.input)} is not supported; use ${listed(AES_SIZES)}`,
});

/** What to generate in an HSM: a family and its size or curve. */
export const KeySpecSchema = z.discriminatedUnion(
  "kty",
  [
    z.object({ kty: z.literal("RSA"), size: RsaSizeSchema }).strict(),
    z.object({ kty: z.literal("EC"), crv: EcCurveSchema }).strict(),
    z.object({ kty: z.literal("oct"), size: AesSizeSchema }).strict(),
  ],
  { error: (i) => `key type ${JSON.stringify((i.input as { kty?: unknown } | undefined)?.kty)} is not supported; use ${listed(KEY_FAMILIES)}` },
);
export type KeySpec = z.infer<typeof KeySpecSchema>;

export function describeKeySpec(spec: KeySpec): string {
  switch (spec.kty) {
    case "RSA":
      return `RSA-${spec.size}`;
    case "EC":
      return `EC ${spec.crv}`;
    case "oct":
      return `AES-${spec.size}`;
  }
}
