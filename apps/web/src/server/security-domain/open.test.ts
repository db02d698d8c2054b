import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TargetError } from "@keyward/shared";
import { DomainKeyError, domainKeyFilePath, keyFileSealer, openDomainKey } from "../domain-key";
import { LeaseLostError } from "../store/leases";
import { migrate } from "../store/migrate";
import { BACKENDS, type TestBackend } from "../store/test-support/backends";
import { openSecurityDomain } from "./open";
import { SecurityDomainStore } from "./store";

const log = pino({ level: "silent" });
const T0 = 1_790_000_000;

describe.each(BACKENDS)("security-domain state on $name", ({ name, open }) => {
  let backend: TestBackend;
  let dataDir: string;
  let store: SecurityDomainStore;
  const opened = () => openSecurityDomain({ db: backend.db, dataDir, sealer: keyFileSealer(), log, now: () => T0 });
  const activate = () =>
    backend.db.query("UPDATE security_domain SET state = 'active', file = '{}', required = 2, activated_at = $1, downloaded_at = $1", [T0]);

  beforeAll(async () => {
    backend = await open();
    await migrate(backend.db);
    store = new SecurityDomainStore(backend.db);
  });
  afterAll(() => backend.dispose());
  beforeEach(async () => {
    await backend.db.exec("DELETE FROM security_domain; DELETE FROM kms_keys; DELETE FROM keys");
    dataDir = await mkdtemp(join(tmpdir(), "keyward-sd-open-"));
    return () => rm(dataDir, { recursive: true, force: true });
  });

  it("a fresh install makes its domain key and records it provisioned; a restart finds both", async () => {
    const first = await opened();
    expect(await first.service.state()).toBe("provisioned");
    const key = first.holder.current();
    expect(await store.read()).toMatchObject({ fingerprint: key.fingerprint, state: "provisioned", createdAt: T0, custodians: [], file: null, upload: null });
    const again = await opened();
    expect(again.holder.current().fingerprint).toBe(key.fingerprint);
    await expect(again.service.requireKeyOperations()).rejects.toMatchObject({ code: "Forbidden", inner: "SecurityDomainNotActivated" });
  });

  it("an active domain whose key file is gone awaits restore and never makes a new key", async () => {
    const { holder } = await opened();
    const fingerprint = holder.current().fingerprint;
    await activate();
    await rm(domainKeyFilePath(dataDir));
    const wiped = await opened();
    expect(await wiped.service.state()).toBe("awaiting-restore");
    expect(existsSync(domainKeyFilePath(dataDir))).toBe(false);
    expect((await store.read())?.fingerprint).toBe(fingerprint);
    const refusal = await wiped.service.requireKeyOperations().catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(TargetError);
    expect(refusal).toMatchObject({ code: "Forbidden", inner: "SecurityDomainRestoreRequired", message: expect.stringContaining(fingerprint) });
    // Anything that reaches for the key meets the same refusal, not a made-up key.
    expect(() => wiped.holder.view().secret).toThrow(/domain key file is missing/);
  });

  it("a provisioned domain whose key file is gone takes a new key when nothing is encrypted under the old one", async () => {
    const old = (await opened()).holder.current().fingerprint;
    await rm(domainKeyFilePath(dataDir));
    const again = await opened();
    const fresh = again.holder.current().fingerprint;
    expect(fresh).not.toBe(old);
    expect((await store.read())?.fingerprint).toBe(fresh);
  });

  it("refuses to start when the lost never-downloaded key still encrypts something, and writes no key", async () => {
    await opened();
    await backend.db.query(
      "INSERT INTO kms_keys (key_id, key_spec, key_usage, origin, protection_level, creation_date, primary_key_version, material) VALUES ($1, 'Aliyun_AES_256', 'ENCRYPT/DECRYPT', 'Aliyun_KMS', 'SOFTWARE', 1, 'v1', $2)",
      ["00000000-0000-4000-8000-000000000001", Buffer.alloc(48, 1)],
    );
    await rm(domainKeyFilePath(dataDir));
    const before = await store.read();
    await expect(opened()).rejects.toMatchObject({ code: "KEY_FILE_MISSING", message: expect.stringContaining("put the domain key file back") });
    expect(existsSync(domainKeyFilePath(dataDir))).toBe(false);
    expect(await store.read()).toEqual(before);
  });

  it("refuses a domain key file of another domain than the database records", async () => {
    await opened();
    await rm(domainKeyFilePath(dataDir));
    await openDomainKey({ path: domainKeyFilePath(dataDir), sealer: keyFileSealer() });
    await activate();
    const error = await opened().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DomainKeyError);
    expect(error).toMatchObject({ code: "FINGERPRINT_MISMATCH", message: expect.stringContaining("belong to different instances") });
  });

  it("lets one download hold the lease; another is refused until it ends or its holder's lease lapses", async () => {
    const { holder } = await opened();
    const write = { fingerprint: holder.current().fingerprint, required: 2, custodians: [], file: "{}", at: T0 + 5 };
    expect(await store.claimDownload("a")).toBe(true);
    expect(await store.claimDownload("b")).toBe(false);
    const before = await store.read();
    await expect(store.recordDownload("b", write)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.read()).toEqual(before);
    await store.recordDownload("a", write);
    expect(await store.read()).toMatchObject({ state: "active", activatedAt: T0 + 5, downloadedAt: T0 + 5, required: 2, downloadLeaseUntil: null });
    expect(await store.claimDownload("b")).toBe(true);
    await backend.db.query("UPDATE security_domain SET lease_until = 0");
    expect(await store.claimDownload("c")).toBe(true);
    await store.releaseDownload("c");
  });

  it(`at start ${name === "pglite" ? "drops a lease left by a dead process (the database is this process's)" : "keeps another live process's lease"}`, async () => {
    await opened();
    expect(await store.claimDownload("elsewhere")).toBe(true);
    await opened();
    expect((await store.read())?.downloadLeaseUntil === null).toBe(name === "pglite");
  });
});
