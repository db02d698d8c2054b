import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, expect } from "@playwright/test";
import { GuardRefusal, assertLocalDatabase, assertSoftHsmModule } from "../harness/guard";

// The guard that keeps e2e off real databases and real HSMs (the global setup calls it before starting anything).
test.describe("e2e guard", () => {
  test("accepts the embedded PGlite and a loopback PostgreSQL", () => {
    for (const url of [undefined, "", "postgres://postgres@127.0.0.1:5432/keyward_e2e", "postgresql://u:p@localhost/db", "postgres://[::1]:5432/db", "postgres:///db?host=/var/run/postgresql"]) {
      expect(() => assertLocalDatabase(url), String(url)).not.toThrow();
    }
  });

  test("refuses a database on another host, or one it cannot read", () => {
    for (const [url, host] of [
      ["postgres://admin@db.prod.example.com:5432/keyward", "db.prod.example.com"],
      ["postgres://u@10.0.0.5/keyward", "10.0.0.5"],
      ["postgres:///db?host=db.example.com", "localhost"],
    ] as const) {
      expect(() => assertLocalDatabase(url), url).toThrow(GuardRefusal);
      if (host !== "localhost") expect(() => assertLocalDatabase(url)).toThrow(`e2e refuses to run against the database on ${host}`);
    }
    expect(() => assertLocalDatabase("not a url")).toThrow("DATABASE_URL is not a URL");
  });

  test("accepts SoftHSM2 and refuses any other PKCS#11 module, even one linked under SoftHSM's name", () => {
    expect(() => assertSoftHsmModule("/usr/lib/softhsm/libsofthsm2.so")).not.toThrow();
    const dir = mkdtempSync(join(tmpdir(), "keyward-guard-"));
    const vendor = join(dir, "libcklog2.so");
    writeFileSync(vendor, "");
    expect(() => assertSoftHsmModule(vendor)).toThrow(`e2e refuses to run with the PKCS#11 module ${vendor}: only SoftHSM2 may be used`);
    const disguised = join(dir, "libsofthsm2.so");
    symlinkSync(vendor, disguised);
    expect(() => assertSoftHsmModule(disguised)).toThrow(GuardRefusal);
    expect(() => assertSoftHsmModule(join(dir, "missing.so"))).toThrow("does not exist");
  });
});
