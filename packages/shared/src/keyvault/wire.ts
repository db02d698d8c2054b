import { z } from "zod";
import { KeyAttributesInputSchema, RECOVERY_LEVELS, type RecoveryLevel } from "../keys/attributes.js";
import { KeyOpsSchema, type KeyOp } from "../keys/key-ops.js";
import { EC_CURVES, KEY_TYPES, type EcCurve, type KeyType } from "../keys/spec.js";
import { TagsSchema, type Tags } from "../keys/tags.js";

/**
 * Request bodies and response shapes of the Key Vault keys data plane, as the local target speaks it
 * (facts §2). Field names are the wire names. Unknown request fields are dropped, not refused: the
 * official clients send fields this version may not know yet.
 */

/** Key and version names: 1–127 of 0-9 a-z A-Z '-' (Key Vault's object name rule). */
export const KeyNameSchema = z.string().regex(/^[0-9a-zA-Z-]{1,127}$/, {
  error: "a key name is 1–127 characters of letters, digits and '-'",
});
export const KeyVersionSchema = z.string().regex(/^[0-9a-f]{32}$/, { error: "a key version is 32 hexadecimal characters" });

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;
export const Base64UrlSchema = z.string().regex(BASE64URL, { error: "must be base64url" });

export const ReleasePolicyWireSchema = z.object({
  contentType: z.string().optional(),
  data: Base64UrlSchema.optional(),
  immutable: z.boolean().optional(),
});
export type ReleasePolicyWire = z.infer<typeof ReleasePolicyWireSchema>;

export const KeyTypeSchema = z.enum(KEY_TYPES, { error: (i) => `kty ${JSON.stringify(i.input)} is not one of ${KEY_TYPES.join(", ")}` });
export const CurveNameSchema = z.enum(EC_CURVES, { error: (i) => `crv ${JSON.stringify(i.input)} is not one of ${EC_CURVES.join(", ")}` });

export const KeyCreateParametersSchema = z.object({
  kty: KeyTypeSchema,
  key_size: z.int().positive().optional(),
  public_exponent: z.int().positive().optional(),
  key_ops: KeyOpsSchema.optional(),
  attributes: KeyAttributesInputSchema.optional(),
  tags: TagsSchema.optional(),
  crv: CurveNameSchema.optional(),
  release_policy: ReleasePolicyWireSchema.optional(),
});
export type KeyCreateParameters = z.infer<typeof KeyCreateParametersSchema>;

/** A JSON Web Key as Key Vault carries it; all byte fields base64url. `key_hsm` holds a `.byok` file. */
export const JsonWebKeySchema = z.object({
  kid: z.string().optional(),
  kty: KeyTypeSchema,
  key_ops: KeyOpsSchema.optional(),
  n: Base64UrlSchema.optional(),
  e: Base64UrlSchema.optional(),
  d: Base64UrlSchema.optional(),
  dp: Base64UrlSchema.optional(),
  dq: Base64UrlSchema.optional(),
  qi: Base64UrlSchema.optional(),
  p: Base64UrlSchema.optional(),
  q: Base64UrlSchema.optional(),
  k: Base64UrlSchema.optional(),
  key_hsm: Base64UrlSchema.optional(),
  crv: CurveNameSchema.optional(),
  x: Base64UrlSchema.optional(),
  y: Base64UrlSchema.optional(),
});
export type JsonWebKeyInput = z.infer<typeof JsonWebKeySchema>;

export const KeyImportParametersSchema = z.object({
  Hsm: z.boolean().optional(),
  key: JsonWebKeySchema,
  attributes: KeyAttributesInputSchema.optional(),
  tags: TagsSchema.optional(),
  release_policy: ReleasePolicyWireSchema.optional(),
});
export type KeyImportParameters = z.infer<typeof KeyImportParametersSchema>;

export const KeyUpdateParametersSchema = z.object({
  key_ops: KeyOpsSchema.optional(),
  attributes: KeyAttributesInputSchema.optional(),
  tags: TagsSchema.optional(),
  release_policy: ReleasePolicyWireSchema.optional(),
});
export type KeyUpdateParameters = z.infer<typeof KeyUpdateParametersSchema>;

export const KeyOperationsParametersSchema = z.object({
  alg: z.string().min(1, { error: "alg is required" }),
  value: Base64UrlSchema,
  iv: Base64UrlSchema.optional(),
  aad: Base64UrlSchema.optional(),
  tag: Base64UrlSchema.optional(),
});
export type KeyOperationsParameters = z.infer<typeof KeyOperationsParametersSchema>;

export const KeySignParametersSchema = z.object({ alg: z.string().min(1, { error: "alg is required" }), value: Base64UrlSchema });
export const KeyVerifyParametersSchema = z.object({ alg: z.string().min(1, { error: "alg is required" }), digest: Base64UrlSchema, value: Base64UrlSchema });

export const KeyReleaseParametersSchema = z.object({
  target: z.string().min(1, { error: "target (the attestation token) is required" }),
  nonce: z.string().optional(),
  enc: z.enum(["CKM_RSA_AES_KEY_WRAP", "RSA_AES_KEY_WRAP_256", "RSA_AES_KEY_WRAP_384"]).optional(),
});
export const KeyRestoreParametersSchema = z.object({ value: Base64UrlSchema.min(1, { error: "value (the backup blob) is required" }) });
export const RandomBytesRequestSchema = z.object({
  count: z.int({ error: "count must be a whole number" }).min(1, { error: "count must be 1–128" }).max(128, { error: "count must be 1–128" }),
});

// ---- Responses (produced by the server; types only) ----

export interface JsonWebKeyOutput {
  kid: string;
  kty: KeyType;
  key_ops: KeyOp[];
  n?: string;
  e?: string;
  crv?: EcCurve;
  x?: string;
  y?: string;
}

export interface KeyAttributesOutput {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoverableDays: number;
  recoveryLevel: RecoveryLevel;
  exportable?: boolean;
  hsmPlatform?: string;
}
export const RECOVERY_LEVEL_VALUES: readonly RecoveryLevel[] = RECOVERY_LEVELS;

export interface KeyBundle {
  key: JsonWebKeyOutput;
  attributes: KeyAttributesOutput;
  tags?: Tags;
  managed?: boolean;
  release_policy?: { contentType: string; data: string; immutable: boolean };
}
export interface DeletedKeyBundle extends KeyBundle {
  recoveryId: string;
  scheduledPurgeDate: number;
  deletedDate: number;
}
export interface KeyItem {
  kid: string;
  attributes: KeyAttributesOutput;
  tags?: Tags;
  managed?: boolean;
}
export interface DeletedKeyItem extends KeyItem {
  recoveryId: string;
  scheduledPurgeDate: number;
  deletedDate: number;
}
export interface ListResponse<T> {
  value: T[];
  nextLink: string | null;
}
