import { z } from "zod";
import { invalidParameter, missingParameter } from "./errors.js";
import { WRAPPING_KEY_SPECS, WrappingAlgorithmSchema } from "./import.js";
import { KMS_KEY_SPECS, KMS_KEY_USAGES, KMS_ORIGINS, KMS_PROTECTION_LEVELS } from "./keys.js";

/**
 * The parameters of each KMS action as they arrive: a flat map of strings (query and form body; the
 * official client flattens maps to `Name.key`). Each schema turns them into typed input or names the
 * first parameter that is missing or not valid, in the cloud's words.
 */
export const KMS_API_VERSION = "2016-01-20";

/** Plaintext limit of Encrypt (the cloud's: less than 6 KiB). */
export const KMS_MAX_PLAINTEXT_BYTES = 6144;

const text = (max: number) => z.string().max(max);
const base64 = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, { error: "It must be base64." });
const wholeNumber = z.string().regex(/^\d{1,15}$/, { error: "It must be a whole number." }).transform(Number);
const keyId = text(2048);

export const CreateKeyParamsSchema = z.object({
  KeySpec: z.enum(KMS_KEY_SPECS).default("Aliyun_AES_256"),
  KeyUsage: z.enum(KMS_KEY_USAGES).default("ENCRYPT/DECRYPT"),
  Origin: z.enum(KMS_ORIGINS).default("Aliyun_KMS"),
  ProtectionLevel: z.enum(KMS_PROTECTION_LEVELS).default("SOFTWARE"),
  Description: text(8192).default(""),
  EnableAutomaticRotation: z.enum(["true", "false"]).default("false"),
});
export type CreateKeyParams = z.infer<typeof CreateKeyParamsSchema>;

export const KeyIdParamsSchema = z.object({ KeyId: keyId });

export const ListKeysParamsSchema = z.object({
  PageNumber: wholeNumber.pipe(z.number().int().min(1)).default(1),
  PageSize: wholeNumber.pipe(z.number().int().min(1).max(100)).default(10),
});

export const CreateAliasParamsSchema = z.object({ KeyId: keyId, AliasName: text(300) });
export const TagResourceParamsSchema = z.object({ KeyId: keyId, Tags: text(16_384) });
export const UntagResourceParamsSchema = z.object({ KeyId: keyId, TagKeys: text(16_384) });

export const GetParametersForImportParamsSchema = z.object({
  KeyId: keyId,
  WrappingAlgorithm: WrappingAlgorithmSchema,
  WrappingKeySpec: z.enum(WRAPPING_KEY_SPECS),
});

export const ImportKeyMaterialParamsSchema = z.object({
  KeyId: keyId,
  EncryptedKeyMaterial: base64.max(8192),
  ImportToken: text(512),
  /** 0 or absent: the material never expires. */
  KeyMaterialExpireUnix: wholeNumber.default(0),
});

export const EncryptParamsSchema = z.object({ KeyId: keyId, Plaintext: z.string() });
export const DecryptParamsSchema = z.object({ CiphertextBlob: base64.max(16_384) });

/**
 * Parse one action's parameters. Empty values count as absent: the official client sends unset
 * optional fields as empty strings.
 */
export function parseKmsParams<T extends z.ZodType>(schema: T, params: Readonly<Record<string, string>>): z.infer<T> {
  const given = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== ""));
  const parsed = schema.safeParse(given);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? "request");
  if (given[name] === undefined) throw missingParameter(name);
  throw invalidParameter(name, issue?.message);
}

/**
 * The encryption context: `EncryptionContext` as a JSON object of strings (the API's form), or the
 * `EncryptionContext.<key>` entries the official Node client flattens a map into.
 */
export function parseEncryptionContext(params: Readonly<Record<string, string>>): Record<string, string> {
  const flattened = Object.entries(params).filter(([name]) => name.startsWith("EncryptionContext."));
  const json = params.EncryptionContext;
  if (json) {
    if (flattened.length) throw invalidParameter("EncryptionContext", "Give it either as JSON or as EncryptionContext.<key> entries, not both.");
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      throw invalidParameter("EncryptionContext", "It must be a JSON object of strings.");
    }
    const parsed = z.record(z.string(), z.string()).safeParse(value);
    if (!parsed.success) throw invalidParameter("EncryptionContext", "It must be a JSON object of strings.");
    return parsed.data;
  }
  return Object.fromEntries(flattened.map(([name, value]) => [name.slice("EncryptionContext.".length), value]));
}
