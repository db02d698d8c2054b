import { z } from "zod";
import { SecurityDomainError } from "./errors.js";
import { securityDomainDataKey, SECURITY_DOMAIN_KDF } from "./kdf.js";
import { decryptDirJwe, decryptRsaJwe, encryptDirJwe, encryptToRsaJwe, type RsaPublicJwk, type UnwrapContentKey } from "./jwe.js";
import { SecurityDomainFileSchema, SHA256_THUMBPRINT_PATTERN, type SecurityDomainFile } from "./file.js";
import { MASTER_KEY_BYTES } from "./domain.js";
import { combineShares } from "./shamir.js";

/**
 * The restore blob (Azure CLI `keyvault security-domain restore-blob`, facts §4.4): the EncData of a
 * security domain re-encrypted under a new master key, and that master key wrapped (RSA-OAEP-256 JWE)
 * to the target's exchange key. Built where the shares are combined — the recovery bridge — so that the
 * old master key and the shares never travel; only the target can open it.
 *
 *   { "EncData": { "data": [{ "compact_jwe", "tag" }], "kdf": "sp108_kdf" },
 *     "WrappedKey": { "enc_key": <JWE to the exchange key>, "x5t_256": <b64url SHA-256 of its certificate> } }
 */

export const MAX_RESTORE_BLOB_LENGTH = 1024 * 1024;

const EncDataSchema = SecurityDomainFileSchema.shape.EncData;

export const RestoreBlobSchema = z.object({
  EncData: EncDataSchema,
  WrappedKey: z.object({
    enc_key: z.string().min(1).max(8192),
    x5t_256: z.string().regex(SHA256_THUMBPRINT_PATTERN, { error: "expected the base64url SHA-256 thumbprint of the exchange certificate" }),
  }),
});
export type RestoreBlob = z.infer<typeof RestoreBlobSchema>;

export interface ExchangeKey {
  publicJwk: RsaPublicJwk;
  thumbprintSha256: string;
}

export function parseRestoreBlob(text: string): RestoreBlob {
  const fail = (message: string) => new SecurityDomainError("SD_RESTORE_BLOB_MALFORMED", message);
  if (text.length > MAX_RESTORE_BLOB_LENGTH) throw fail(`the restore blob is ${text.length} characters; at most ${MAX_RESTORE_BLOB_LENGTH}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail("the restore blob is not JSON");
  }
  const parsed = RestoreBlobSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fail(`the restore blob is not one: ${issue ? `${issue.path.join(".") || "top level"}: ${issue.message}` : "unknown shape"}`);
  }
  return parsed.data;
}

const WRONG_DOMAIN = "the shares do not open this security domain: at least one comes from another domain or is damaged";

/** Shares of different splits may not even combine to bytes: for this file that is the same refusal as not opening it. */
function combined(shares: readonly Uint8Array[], required: number): Uint8Array {
  try {
    return combineShares(shares, required);
  } catch (err) {
    if (err instanceof SecurityDomainError && err.code === "SD_SHARES_INCONSISTENT") throw new SecurityDomainError("SD_WRONG_DOMAIN", WRONG_DOMAIN);
    throw err;
  }
}

/**
 * On the recovery bridge: combine `required` plaintext shares, open every EncData item with the old
 * master key, re-encrypt under a new one and wrap it to the exchange key. Shares of another domain or a
 * damaged share are refused (the items do not open), never turned into a blob.
 */
export async function buildRestoreBlob(input: {
  file: SecurityDomainFile;
  shares: readonly Uint8Array[];
  exchangeKey: ExchangeKey;
  random?: (bytes: Uint8Array) => Uint8Array;
}): Promise<RestoreBlob> {
  const { file } = input;
  const random = input.random ?? ((bytes: Uint8Array) => globalThis.crypto.getRandomValues(bytes));
  const oldMaster = combined(input.shares, file.SharedKeys.required);
  const newMaster = random(new Uint8Array(MASTER_KEY_BYTES));
  try {
    const data = [];
    for (const item of file.EncData.data) {
      const oldKey = await securityDomainDataKey(oldMaster, item.tag);
      let plaintext: Uint8Array;
      try {
        plaintext = await decryptDirJwe(item.compact_jwe, oldKey);
      } catch {
        throw new SecurityDomainError("SD_WRONG_DOMAIN", WRONG_DOMAIN);
      } finally {
        oldKey.fill(0);
      }
      const newKey = await securityDomainDataKey(newMaster, item.tag);
      data.push({ compact_jwe: await encryptDirJwe(newKey, plaintext, item.tag), tag: item.tag });
      newKey.fill(0);
      plaintext.fill(0);
    }
    return {
      EncData: { data, kdf: SECURITY_DOMAIN_KDF },
      WrappedKey: { enc_key: await encryptToRsaJwe(input.exchangeKey.publicJwk, newMaster), x5t_256: input.exchangeKey.thumbprintSha256 },
    };
  } finally {
    oldMaster.fill(0);
    newMaster.fill(0);
  }
}

/** On the target: the EncData plaintexts by tag, with the exchange key's private half behind `unwrap`. */
export async function openRestoreBlob(blob: RestoreBlob, exchangeThumbprint: string, unwrap: UnwrapContentKey): Promise<Map<string, Uint8Array>> {
  if (blob.WrappedKey.x5t_256 !== exchangeThumbprint) {
    throw new SecurityDomainError("SD_RESTORE_BLOB_MALFORMED", "the restore blob was made for another exchange key: ask the target for its exchange key again and rebuild the blob");
  }
  let master: Uint8Array;
  try {
    master = await decryptRsaJwe(blob.WrappedKey.enc_key, unwrap);
  } catch {
    throw new SecurityDomainError("SD_RESTORE_BLOB_MALFORMED", "the restore blob's wrapped key does not open with this target's exchange key: it was altered or made for another exchange key");
  }
  try {
    if (master.length !== MASTER_KEY_BYTES) throw new SecurityDomainError("SD_RESTORE_BLOB_MALFORMED", "the restore blob's wrapped key is not a master key");
    const out = new Map<string, Uint8Array>();
    for (const item of blob.EncData.data) {
      const key = await securityDomainDataKey(master, item.tag);
      try {
        out.set(item.tag, await decryptDirJwe(item.compact_jwe, key));
      } catch {
        throw new SecurityDomainError("SD_RESTORE_BLOB_MALFORMED", `the restore blob's item "${item.tag}" does not open: the blob was altered`);
      } finally {
        key.fill(0);
      }
    }
    return out;
  } finally {
    master.fill(0);
  }
}
