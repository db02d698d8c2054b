import { existsSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pruneExpiredFiles } from "../src/commands/expiring-files.js";
import { ReplayGuard } from "../src/commands/replay.js";

describe("pruneExpiredFiles", () => {
  it("removes only files whose expiry (mtime) is past, allowing the clock skew", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyward-expiring-"));
    const now = new Date("2026-11-23T12:00:00Z");
    const at = (s: number) => now.getTime() / 1000 + s;
    for (const [name, exp] of [["old", at(-3600)], ["in-skew", at(-10)], ["live", at(300)]] as const) {
      writeFileSync(join(dir, name), "");
      utimesSync(join(dir, name), exp, exp);
    }
    expect(await pruneExpiredFiles(dir, now)).toBe(1);
    expect(["old", "in-skew", "live"].map((n) => existsSync(join(dir, n)))).toEqual([false, true, true]);
  });

  it("lets an expired jti be forgotten by the replay guard (it would be refused as expired anyway)", async () => {
    const guard = await ReplayGuard.open(mkdtempSync(join(tmpdir(), "keyward-jti-")));
    const now = Math.floor(Date.now() / 1000);
    guard.claim("0123456789abcdef-old", now - 3600);
    guard.claim("0123456789abcdef-new", now + 300);
    expect(await guard.prune()).toBe(1);
    expect(guard.seen("0123456789abcdef-old")).toBe(false);
    expect(() => guard.claim("0123456789abcdef-new", now + 300)).toThrow(/already been received/);
  });
});
