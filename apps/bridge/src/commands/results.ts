import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pruneExpiredFiles } from "./expiring-files.js";

/**
 * Signed results kept by command id until the command would have expired, so that a portal whose
 * connection dropped can fetch what its command produced instead of resending it (a replay). Results
 * carry no secret — wrapped blobs, public keys — and each is signed by the bridge.
 */
export class ResultStore {
  private readonly dir: string;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.dir = dir;
  }

  private path(jti: string): string {
    return join(this.dir, createHash("sha256").update(jti).digest("hex"));
  }

  /** Written whole or not at all (rename), with the command's expiry as its mtime for pruning. */
  save(jti: string, exp: number, jws: string): void {
    const path = this.path(jti);
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, jws, { mode: 0o600 });
    utimesSync(tmp, exp, exp);
    renameSync(tmp, path);
  }

  get(jti: string): string | undefined {
    const path = this.path(jti);
    return existsSync(path) ? readFileSync(path, "utf8") : undefined;
  }

  prune(now: Date = new Date()): Promise<number> {
    return pruneExpiredFiles(this.dir, now);
  }

}
