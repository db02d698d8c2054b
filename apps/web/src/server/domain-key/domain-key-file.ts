import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { domainKeyFromBytes, generateDomainKeyBytes, type DomainKey } from "./domain-key";
import { DomainKeyError } from "./errors";
import { writeNewPrivateFile } from "./private-file";
import type { DomainKeySealer } from "./sealer";

export const DOMAIN_KEY_FILE_NAME = "domain-key.json";

const FileSchema = z.strictObject({
  format: z.literal("keyward-domain-key"),
  version: z.literal(1),
  sealer: z.enum(["key-file", "pkcs11"]),
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
  sealed: z.base64url(),
});
type DomainKeyFile = z.infer<typeof FileSchema>;

export interface OpenDomainKeyOptions {
  /** The domain key file, normally `<data dir>/domain-key.json`. */
  path: string;
  sealer: DomainKeySealer;
}

/**
 * The instance's domain key. On first start (no file) a new key is generated, sealed and written
 * with mode 0600; an existing file is never replaced, even by two processes starting together. A
 * file readable by group or others is refused, as ssh refuses such a private key.
 */
export async function openDomainKey({ path, sealer }: OpenDomainKeyOptions): Promise<DomainKey> {
  const existing = await readDomainKey({ path, sealer });
  if (existing) return existing;
  const bytes = generateDomainKeyBytes();
  try {
    // Another process starting at the same moment may have written its key first: that one is the key.
    return (await writeKeyFile(path, sealer, bytes)) ?? (await readDomainKey({ path, sealer })) ?? missing(path);
  } finally {
    bytes.fill(0);
  }
}

/** The domain key of an existing file, or null when there is none. Never creates one. */
export async function readDomainKey({ path, sealer }: OpenDomainKeyOptions): Promise<DomainKey | null> {
  const file = await readKeyFile(path);
  return file ? unsealFile(path, file, sealer) : null;
}

/**
 * Seal these key bytes into the domain key file (a restore of the security domain, or a first start).
 * The file appears whole or not at all. When another process wrote the file first, its key is returned
 * if it is the same key, and refused otherwise: an existing domain key is never replaced.
 */
export async function installDomainKey({ path, sealer }: OpenDomainKeyOptions, bytes: Uint8Array): Promise<DomainKey> {
  const written = await writeKeyFile(path, sealer, bytes);
  if (written) return written;
  const existing = (await readDomainKey({ path, sealer })) ?? missing(path);
  if (existing.fingerprint !== domainKeyFromBytes(bytes).fingerprint) {
    throw new DomainKeyError("FINGERPRINT_MISMATCH", `${path} already holds another domain key (fingerprint ${existing.fingerprint}); it is never replaced`);
  }
  return existing;
}

export function domainKeyFilePath(dataDir: string): string {
  return join(dataDir, DOMAIN_KEY_FILE_NAME);
}

async function readKeyFile(path: string): Promise<DomainKeyFile | null> {
  let mode: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new DomainKeyError("KEY_FILE_INVALID", `${path} is not a regular file`);
    mode = info.mode & 0o777;
  } catch (err) {
    if (isErrno(err, "ENOENT")) return null;
    throw err;
  }
  if ((mode & 0o077) !== 0) {
    throw new DomainKeyError(
      "KEY_FILE_MODE",
      `${path} has mode 0${mode.toString(8)}; the domain key file must be readable by its owner only (chmod 600 ${path})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch {
    throw new DomainKeyError("KEY_FILE_INVALID", `${path} is not a Keyward domain key file`);
  }
  const file = FileSchema.safeParse(parsed);
  if (!file.success) throw new DomainKeyError("KEY_FILE_INVALID", `${path} is not a Keyward domain key file`);
  return file.data;
}

async function unsealFile(path: string, file: DomainKeyFile, sealer: DomainKeySealer): Promise<DomainKey> {
  if (file.sealer !== sealer.kind) {
    throw new DomainKeyError(
      "SEALER_MISMATCH",
      `${path} was sealed with ${file.sealer} but this instance is configured for ${sealer.kind}; configure ${file.sealer} to open it`,
    );
  }
  const bytes = await sealer.unseal(Buffer.from(file.sealed, "base64url"));
  try {
    if (bytes.length !== 32) throw new DomainKeyError("FINGERPRINT_MISMATCH", `${path} did not unseal to a domain key`);
    const key = domainKeyFromBytes(bytes);
    // The fingerprint catches a damaged file or the wrong wrapping key before any material is touched.
    if (key.fingerprint !== file.fingerprint) {
      throw new DomainKeyError("FINGERPRINT_MISMATCH", `${path} did not unseal to the domain key it records (fingerprint ${file.fingerprint})`);
    }
    return key;
  } finally {
    bytes.fill(0);
  }
}

/** Write these key bytes sealed, or return null when the file exists (another process wrote it first). */
async function writeKeyFile(path: string, sealer: DomainKeySealer, bytes: Uint8Array): Promise<DomainKey | null> {
  const key = domainKeyFromBytes(bytes);
  const file: DomainKeyFile = {
    format: "keyward-domain-key",
    version: 1,
    sealer: sealer.kind,
    fingerprint: key.fingerprint,
    sealed: (await sealer.seal(bytes)).toString("base64url"),
  };
  return (await writeNewPrivateFile(path, `${JSON.stringify(file, null, 2)}\n`)) ? key : null;
}

function missing(path: string): never {
  throw new DomainKeyError("KEY_FILE_INVALID", `${path} disappeared while the domain key was being created`);
}

function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}
