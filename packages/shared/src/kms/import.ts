import { z } from "zod";

/**
 * Importing external key material (the cloud's BYOK): GetParametersForImport hands out a wrapping
 * public key and an import token that belong together; the customer encrypts the material with that
 * public key and one of these algorithms; ImportKeyMaterial takes the result with the token.
 */
export const WRAPPING_ALGORITHMS = ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "RSAES_PKCS1_V1_5"] as const;
export type WrappingAlgorithm = (typeof WRAPPING_ALGORITHMS)[number];
export const WrappingAlgorithmSchema = z.enum(WRAPPING_ALGORITHMS);

/**
 * NIST SP 800-131A Rev. 2: PKCS#1 v1.5 must not be used for key transport after 2023-12-31. The
 * cloud still offers it, marked deprecated; Keyward refuses it unless explicitly allowed.
 */
export const DEPRECATED_WRAPPING_ALGORITHMS: readonly WrappingAlgorithm[] = ["RSAES_PKCS1_V1_5"];

export const WRAPPING_KEY_SPECS = ["RSA_2048"] as const;
export type WrappingKeySpec = (typeof WRAPPING_KEY_SPECS)[number];
export const WRAPPING_KEY_BITS: Record<WrappingKeySpec, number> = { RSA_2048: 2048 };

/** An import token and its public key are valid for 24 hours. */
export const IMPORT_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/**
 * What the bridge can produce for a KMS import: the cloud's three, plus the two-step forms AWS KMS
 * takes for asymmetric material (RSA-OAEP of an ephemeral AES key, then RFC 5649 of the material).
 */
export const KMS_WRAPPING_ALGORITHMS = [...WRAPPING_ALGORITHMS, "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"] as const;
export type KmsWrappingAlgorithm = (typeof KMS_WRAPPING_ALGORITHMS)[number];
export const KmsWrappingAlgorithmSchema = z.enum(KMS_WRAPPING_ALGORITHMS);
