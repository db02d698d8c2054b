import { KmsError, invalidParameter } from "./errors.js";
import { KMS_KEY_ID } from "./keys.js";

/** Aliases carry the `alias/` prefix; after it, 1–255 letters, digits, `_`, `-` and `/`. */
export const KMS_ALIAS_PREFIX = "alias/";
export const KMS_ALIAS_NAME = /^alias\/[A-Za-z0-9_\-/]{1,255}$/;

export function checkAliasName(name: string): string {
  if (!name.startsWith(KMS_ALIAS_PREFIX)) throw invalidParameter("AliasName", `It must start with "${KMS_ALIAS_PREFIX}".`);
  if (!KMS_ALIAS_NAME.test(name)) {
    throw invalidParameter("AliasName", "After alias/ it is 1 to 255 letters, digits, underscores (_), hyphens (-) and forward slashes (/).");
  }
  return name;
}

/** How a request names a key: by id or by alias, bare or as an ARN (`acs:kms:<region>:<account>:key/<id>`). */
export type KmsKeyReference = { kind: "id"; keyId: string } | { kind: "alias"; alias: string };

const ARN = /^acs:kms:[^:]*:[^:]*:(key\/.+|alias\/.+)$/;

/** Anything else names no key: the cloud answers Forbidden.KeyNotFound, not a parameter error. */
export function parseKeyReference(value: string): KmsKeyReference {
  const bare = ARN.exec(value)?.[1] ?? value;
  if (bare.startsWith("key/")) {
    const keyId = bare.slice("key/".length);
    if (KMS_KEY_ID.test(keyId)) return { kind: "id", keyId };
  } else if (bare.startsWith(KMS_ALIAS_PREFIX)) {
    if (KMS_ALIAS_NAME.test(bare)) return { kind: "alias", alias: bare };
  } else if (KMS_KEY_ID.test(bare)) {
    return { kind: "id", keyId: bare };
  }
  throw keyNotFound();
}

export function keyNotFound(): KmsError {
  return new KmsError("Forbidden.KeyNotFound", "The specified Key is not found.");
}

export function aliasNotFound(): KmsError {
  return new KmsError("Forbidden.AliasNotFound", "The specified Alias is not found.");
}
