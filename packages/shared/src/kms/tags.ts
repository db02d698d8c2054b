import { z } from "zod";
import { KmsError, invalidParameter } from "./errors.js";

/** The cloud's tag rules, exported so that a form can enforce them while typing. */
export const KMS_MAX_TAGS = 20;
export const KMS_MAX_TAG_LENGTH = 128;
/** Letters, digits, space and / \ _ - . + = : @ — the documented tag charset. */
export const KMS_TAG_CHARSET = /^[\p{L}\p{N} /\\_\-.+=:@]*$/u;
/** Reserved for the cloud's own tags. Compared without case: a key that reads as reserved is refused. */
export const KMS_RESERVED_TAG_PREFIXES = ["aliyun", "acs:"] as const;

export type KmsTags = Record<string, string>;

const TagKeySchema = z
  .string()
  .min(1, { error: "a tag key is empty" })
  .max(KMS_MAX_TAG_LENGTH, { error: `a tag key is at most ${KMS_MAX_TAG_LENGTH} characters` })
  .regex(KMS_TAG_CHARSET, { error: "a tag key has a character outside letters, digits, space and / \\ _ - . + = : @" })
  .refine((key) => !KMS_RESERVED_TAG_PREFIXES.some((prefix) => key.toLowerCase().startsWith(prefix)), {
    error: "a tag key may not start with aliyun or acs:",
  });

const TagValueSchema = z
  .string()
  .max(KMS_MAX_TAG_LENGTH, { error: `a tag value is at most ${KMS_MAX_TAG_LENGTH} characters` })
  .regex(KMS_TAG_CHARSET, { error: "a tag value has a character outside letters, digits, space and / \\ _ - . + = : @" });

/** TagResource's `Tags`: a JSON array of {TagKey, TagValue}, each key once, at most 20 in one call. */
export const KmsTagListSchema = z
  .array(z.strictObject({ TagKey: TagKeySchema, TagValue: TagValueSchema }))
  .min(1, { error: "at least one tag is needed" })
  .max(KMS_MAX_TAGS, { error: `at most ${KMS_MAX_TAGS} tags` })
  .refine((tags) => new Set(tags.map((t) => t.TagKey)).size === tags.length, { error: "a tag key appears twice" });

/** UntagResource's `TagKeys`: a JSON array of tag keys. */
export const KmsTagKeyListSchema = z
  .array(z.string().min(1).max(KMS_MAX_TAG_LENGTH))
  .min(1, { error: "at least one tag key is needed" })
  .max(KMS_MAX_TAGS, { error: `at most ${KMS_MAX_TAGS} tag keys` });

function parseJsonParameter<T extends z.ZodType>(name: string, text: string, schema: T): z.infer<T> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidParameter(name, "It must be JSON.");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw invalidParameter(name, parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

export function parseKmsTags(text: string): KmsTags {
  return Object.fromEntries(parseJsonParameter("Tags", text, KmsTagListSchema).map((t) => [t.TagKey, t.TagValue]));
}

export function parseKmsTagKeys(text: string): string[] {
  return parseJsonParameter("TagKeys", text, KmsTagKeyListSchema);
}

/** Tags after TagResource: new values replace old ones; a key may carry at most 20 in all. */
export function mergeKmsTags(current: Readonly<KmsTags>, added: Readonly<KmsTags>): KmsTags {
  const merged = { ...current, ...added };
  const count = Object.keys(merged).length;
  if (count > KMS_MAX_TAGS) {
    throw new KmsError("Rejected.LimitExceeded", `A key may carry at most ${KMS_MAX_TAGS} tags; this request would leave it with ${count}.`);
  }
  return merged;
}

export function removeKmsTags(current: Readonly<KmsTags>, keys: readonly string[]): KmsTags {
  return Object.fromEntries(Object.entries(current).filter(([key]) => !keys.includes(key)));
}
