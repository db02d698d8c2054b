import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Everything the identity side keeps on disk lives in `<dataDir>/auth` (mode 0700). */
export async function authDir(dataDir: string): Promise<string> {
  const dir = join(dataDir, "auth");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode is ignored when the directory exists; tighten it anyway.
  await chmod(dir, 0o700);
  return dir;
}

function tempPath(path: string): string {
  return `${path}.${randomBytes(6).toString("hex")}.tmp`;
}

/**
 * Creates `path` with `contents` (0600) only if it does not exist, atomically: the content is written
 * to a temp file first and hard-linked into place, so a concurrent reader never sees a half-written
 * secret and two processes starting together cannot both win. Returns false if it already existed.
 */
export async function createSecretFile(path: string, contents: string): Promise<boolean> {
  const tmp = tempPath(path);
  await writeFile(tmp, contents, { mode: 0o600, flag: "wx" });
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    await unlink(tmp);
  }
}

/** Replaces `path` atomically (temp file + rename), mode 0600. */
export async function replaceSecretFile(path: string, contents: string): Promise<void> {
  const tmp = tempPath(path);
  await writeFile(tmp, contents, { mode: 0o600, flag: "wx" });
  await rename(tmp, path);
}

/** Reads a file, or undefined if it does not exist (any other error is real and propagates). */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
