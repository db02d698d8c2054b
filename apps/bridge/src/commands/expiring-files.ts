import { readdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { CLOCK_SKEW_SECONDS } from "@keyward/shared";

/**
 * Remove the files of `dir` whose mtime — the expiry of the command they belong to — has passed (with
 * the clock skew the bridge tolerates). The replay guard and the result store keep their files this way.
 */
export async function pruneExpiredFiles(dir: string, now: Date = new Date()): Promise<number> {
  const cutoff = now.getTime() / 1000 - CLOCK_SKEW_SECONDS;
  let removed = 0;
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    try {
      if ((await stat(path)).mtimeMs / 1000 < cutoff) {
        await unlink(path);
        removed++;
      }
    } catch {
      // Removed by another process meanwhile.
    }
  }
  return removed;
}
