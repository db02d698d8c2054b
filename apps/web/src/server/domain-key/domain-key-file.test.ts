import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { domainKeyFromBytes } from "./domain-key";
import { domainKeyFilePath, installDomainKey, openDomainKey, readDomainKey } from "./domain-key-file";
import { DomainKeyError } from "./errors";
import { keyFileSealer } from "./key-file-sealer";
import type { DomainKeySealer } from "./sealer";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "keyward-domain-key-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function refusedWith(code: DomainKeyError["code"], run: () => Promise<unknown>, path: string) {
  const before = await readFile(path);
  const error = await run().then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(DomainKeyError);
  expect((error as DomainKeyError).code).toBe(code);
  // Never overwritten, not even when refused.
  expect(await readFile(path)).toEqual(before);
  return error as DomainKeyError;
}

describe("openDomainKey with the key-file sealer", () => {
  it("creates the key on first start with mode 0600 and opens the same key afterwards", async () => {
    const path = domainKeyFilePath(join(dir, "data"));
    const first = await openDomainKey({ path, sealer: keyFileSealer() });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "data"))).mode & 0o777).toBe(0o700);
    const contents = await readFile(path);
    const again = await openDomainKey({ path, sealer: keyFileSealer() });
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(await readFile(path)).toEqual(contents);
    expect(JSON.parse(contents.toString("utf8"))).toMatchObject({ format: "keyward-domain-key", version: 1, sealer: "key-file", fingerprint: first.fingerprint });
  });

  it("gives processes that start together one key", async () => {
    const path = domainKeyFilePath(dir);
    const keys = await Promise.all(Array.from({ length: 8 }, () => openDomainKey({ path, sealer: keyFileSealer() })));
    expect(new Set(keys.map((k) => k.fingerprint)).size).toBe(1);
  });

  it.each([0o640, 0o604, 0o644, 0o666])("refuses a file with mode 0%o", async (mode) => {
    const path = domainKeyFilePath(dir);
    await openDomainKey({ path, sealer: keyFileSealer() });
    await chmod(path, mode);
    const error = await refusedWith("KEY_FILE_MODE", () => openDomainKey({ path, sealer: keyFileSealer() }), path);
    expect(error.message).toContain("chmod 600");
  });

  it.each([
    ["not JSON", "garbage"],
    ["another format", JSON.stringify({ format: "other", version: 1 })],
    ["a key of the wrong length", null],
  ])("refuses a file that is %s", async (_label, contents) => {
    const path = domainKeyFilePath(dir);
    await openDomainKey({ path, sealer: keyFileSealer() });
    if (contents === null) {
      const file = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
      await writeFile(path, JSON.stringify({ ...file, sealed: Buffer.alloc(16).toString("base64url") }));
      await refusedWith("FINGERPRINT_MISMATCH", () => openDomainKey({ path, sealer: keyFileSealer() }), path);
    } else {
      await writeFile(path, contents);
      await refusedWith("KEY_FILE_INVALID", () => openDomainKey({ path, sealer: keyFileSealer() }), path);
    }
  });

  it("refuses a key that does not match its recorded fingerprint", async () => {
    const path = domainKeyFilePath(dir);
    await openDomainKey({ path, sealer: keyFileSealer() });
    const file = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...file, sealed: Buffer.alloc(32, 9).toString("base64url") }));
    await refusedWith("FINGERPRINT_MISMATCH", () => openDomainKey({ path, sealer: keyFileSealer() }), path);
  });

  it("refuses a file sealed by another kind of sealer", async () => {
    const path = domainKeyFilePath(dir);
    await openDomainKey({ path, sealer: keyFileSealer() });
    const pretend: DomainKeySealer = { kind: "pkcs11", seal: async (k) => Buffer.from(k), unseal: async (s) => Buffer.from(s) };
    const error = await refusedWith("SEALER_MISMATCH", () => openDomainKey({ path, sealer: pretend }), path);
    expect(error.message).toMatch(/sealed with key-file/);
  });

  it("refuses a directory in place of the file", async () => {
    await expect(openDomainKey({ path: dir, sealer: keyFileSealer() })).rejects.toMatchObject({ code: "KEY_FILE_INVALID" });
  });
});

describe("a restored domain key (readDomainKey, installDomainKey)", () => {
  const bytes = Buffer.alloc(32, 5);

  it("is never made up when the file is missing, and is written whole, 0600, when restored", async () => {
    const path = domainKeyFilePath(join(dir, "data"));
    expect(await readDomainKey({ path, sealer: keyFileSealer() })).toBeNull();
    expect(existsSync(path)).toBe(false);
    const key = await installDomainKey({ path, sealer: keyFileSealer() }, bytes);
    expect(key.fingerprint).toBe(domainKeyFromBytes(bytes).fingerprint);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readDomainKey({ path, sealer: keyFileSealer() }))?.fingerprint).toBe(key.fingerprint);
    expect((await readdir(join(dir, "data"))).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("takes the same key again (a second upload) but never replaces another", async () => {
    const path = domainKeyFilePath(dir);
    await installDomainKey({ path, sealer: keyFileSealer() }, bytes);
    expect((await installDomainKey({ path, sealer: keyFileSealer() }, bytes)).fingerprint).toBe(domainKeyFromBytes(bytes).fingerprint);
    await refusedWith("FINGERPRINT_MISMATCH", () => installDomainKey({ path, sealer: keyFileSealer() }, Buffer.alloc(32, 6)), path);
  });

  it("counts for nothing when a process was killed before it was linked into place (only its private temp file is left)", async () => {
    const path = domainKeyFilePath(dir);
    await writeFile(`${path}.0123456789ab.tmp`, "{\"format\":\"keyward-domain-key\"", { mode: 0o600 });
    expect(await readDomainKey({ path, sealer: keyFileSealer() })).toBeNull();
    expect((await installDomainKey({ path, sealer: keyFileSealer() }, bytes)).fingerprint).toBe(domainKeyFromBytes(bytes).fingerprint);
  });

  it("appears whole or not at all when the writing process is killed at any moment", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./test-support/install-child.ts", import.meta.url)), dir], { stdio: ["ignore", "pipe", "inherit"] });
    let started = 0;
    await new Promise<void>((resolve, reject) => {
      child.once("exit", (code) => reject(new Error(`the writing process stopped by itself (${code})`)));
      child.stdout.on("data", (chunk: Buffer) => {
        started = Number(chunk.toString("utf8").trim().split("\n").pop());
        if (started >= 20) resolve();
      });
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    for (let n = 0; n <= started + 1; n++) {
      const path = join(dir, String(n), "domain-key.json");
      const key = await readDomainKey({ path, sealer: keyFileSealer() });
      if (key) expect(key.fingerprint).toBe(domainKeyFromBytes(Buffer.alloc(32, n % 256)).fingerprint);
      else expect(n).toBeGreaterThanOrEqual(started);
    }
  });
});
