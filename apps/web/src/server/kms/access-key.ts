import { randomBytes, randomInt } from "node:crypto";
import { chmod, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { createSecretFile, readIfExists } from "../auth/files";

export const KMS_ACCESS_KEY_FILE = "access-key.json";

/**
 * The AccessKey pair KMS clients sign their requests with (RPC signature v1 is an HMAC, so the
 * endpoint needs the secret itself), and the account id that names this instance in ARNs.
 */
const AccessKeySchema = z.strictObject({
  accessKeyId: z.string().regex(/^[A-Za-z0-9]{16,64}$/),
  accessKeySecret: z.string().min(24).max(128),
  accountId: z.string().regex(/^\d{16}$/),
});
export type KmsAccessKey = z.infer<typeof AccessKeySchema>;

export interface LoadedAccessKey {
  accessKey: KmsAccessKey;
  path: string;
  /** True only on the start that generated it: the one time it is printed. */
  created: boolean;
}

/**
 * `<dataDir>/kms/access-key.json` (0600), generated on first start. An operator may replace it with a
 * pair of their own; the file is read at every start.
 */
export async function loadOrCreateKmsAccessKey(dataDir: string): Promise<LoadedAccessKey> {
  const dir = join(dataDir, "kms");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const path = join(dir, KMS_ACCESS_KEY_FILE);
  const existing = await readIfExists(path);
  if (existing !== undefined) return { accessKey: parse(existing, path), path, created: false };
  const fresh: KmsAccessKey = {
    // The cloud's ids start with LTAI; these say whose they are instead.
    accessKeyId: `KWAK${randomBytes(10).toString("hex").toUpperCase()}`,
    accessKeySecret: randomBytes(24).toString("base64url"),
    accountId: String(randomInt(1, 10)) + Array.from({ length: 15 }, () => randomInt(0, 10)).join(""),
  };
  // Two processes starting together: one file wins and both use it.
  if (!(await createSecretFile(path, `${JSON.stringify(fresh, null, 2)}\n`))) return loadOrCreateKmsAccessKey(dataDir);
  return { accessKey: fresh, path, created: true };
}

function parse(text: string, path: string): KmsAccessKey {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON`);
  }
  const parsed = AccessKeySchema.safeParse(json);
  // Never echo the file: it holds the secret.
  if (!parsed.success) throw new Error(`${path} must hold {accessKeyId, accessKeySecret, accountId}`);
  return parsed.data;
}

/** Printed once, next to the identity provider's initial credentials. */
export function formatKmsCredentials(loaded: LoadedAccessKey, origin: string): string | undefined {
  if (!loaded.created) return undefined;
  const endpoint = new URL(origin).host;
  return [
    "Keyward KMS endpoint (Alibaba Cloud KMS API): first start, AccessKey pair generated (shown once):",
    `  endpoint  ${endpoint} (https)  AccessKeyId ${loaded.accessKey.accessKeyId}  AccessKeySecret ${loaded.accessKey.accessKeySecret}`,
    `  also in   ${loaded.path} (mode 0600)`,
  ].join("\n");
}
