import { createHash } from "node:crypto";
import { closeSync, existsSync, futimesSync, openSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pruneExpiredFiles } from "./expiring-files.js";
import { BridgeError } from "@keyward/shared";

/**
 * Memory of command ids, kept on disk so that a restart of the bridge (or a second process on the same
 * home, such as `exec` next to `start`) does not forget them. Each jti is one file created with O_EXCL:
 * the check and the record are a single atomic step. The file's mtime is the command's expiry, after
 * which a replay would be refused as expired anyway and the file can go.
 */
export class ReplayGuard {
  private readonly dir: string;
  private constructor(dir: string) {
    this.dir = dir;
  }

  static async open(dir: string): Promise<ReplayGuard> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const guard = new ReplayGuard(dir);
    await guard.prune();
    return guard;
  }

  /** Record `jti`, or refuse it if it was seen before. */
  claim(jti: string, exp: number): void {
    const name = createHash("sha256").update(jti).digest("hex");
    // Synchronous on purpose: three tiny syscalls cost less than three thread-pool round trips.
    let fd: number;
    try {
      fd = openSync(join(this.dir, name), "wx", 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") throw new BridgeError("REPLAYED");
      throw err;
    }
    try {
      futimesSync(fd, exp, exp);
    } finally {
      closeSync(fd);
    }
  }

  /** Whether a command with this id has been received (and so is running or done). */
  seen(jti: string): boolean {
    return existsSync(join(this.dir, createHash("sha256").update(jti).digest("hex")));
  }

  prune(now: Date = new Date()): Promise<number> {
    return pruneExpiredFiles(this.dir, now);
  }

}
