import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, open, unlink } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Write a secret file (mode 0600, its directory 0700) under a name that does not exist yet. The text is
 * written whole under a private name, synced, then linked into place: link() fails if the name exists,
 * so no reader ever sees half a file and no existing file is overwritten — also when the process is
 * killed half-way. Returns false when the name already existed (another writer came first).
 */
export async function writeNewPrivateFile(path: string, text: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temp, "wx", 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temp, 0o600);
    await link(temp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    await unlink(temp);
  }
  await syncDirectory(dirname(path));
  return true;
}

/** A new name survives a crash only once its directory is on disk too. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
