import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatKmsCredentials, loadOrCreateKmsAccessKey } from "./access-key";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "keyward-kms-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

describe("the KMS AccessKey pair", () => {
  it("is generated once into <dataDir>/kms/access-key.json (0600) and printed only then", async () => {
    const first = await loadOrCreateKmsAccessKey(dataDir);
    expect(first).toMatchObject({ created: true, path: join(dataDir, "kms", "access-key.json") });
    expect(first.accessKey.accessKeyId).toMatch(/^KWAK[0-9A-F]{20}$/);
    expect(first.accessKey.accountId).toMatch(/^[1-9]\d{15}$/);
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dataDir, "kms"))).mode & 0o777).toBe(0o700);
    expect(formatKmsCredentials(first, "https://localhost:8443")).toContain(first.accessKey.accessKeySecret);

    const again = await loadOrCreateKmsAccessKey(dataDir);
    expect(again).toEqual({ ...first, created: false });
    expect(formatKmsCredentials(again, "https://localhost:8443")).toBeUndefined();
  });

  it("gives two processes starting together the same pair", async () => {
    const [a, b] = await Promise.all([loadOrCreateKmsAccessKey(dataDir), loadOrCreateKmsAccessKey(dataDir)]);
    expect(a.accessKey).toEqual(b.accessKey);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
  });
});
