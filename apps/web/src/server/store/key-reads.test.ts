import { TargetError } from "@keyward/shared";
import { describe, expect, it } from "vitest";
import { domainKeyFromBytes } from "../domain-key/domain-key";
import { materialCipher } from "../domain-key/material";
import { createKeyStore } from "./key-store";
import type { KeyStore, PageRequest } from "./index";
import { BACKENDS } from "./test-support/backends";
import { rsaKey } from "./test-support/fixtures";
import { expectRefused, useStore } from "./test-support/harness";

async function allPages<T>(fetch: (page: PageRequest) => Promise<{ items: T[]; continuation: string | null }>, limit: number) {
  const pages: T[][] = [];
  let continuation: string | null = null;
  do {
    const page: { items: T[]; continuation: string | null } = await fetch({ limit, continuation });
    pages.push(page.items);
    continuation = page.continuation;
  } while (continuation !== null && pages.length < 100);
  return pages;
}

describe.each(BACKENDS)("key store reads on $name", ({ open }) => {
  const h = useStore(open);

  describe("getKey", () => {
    it("finds a key whatever the case of its name or version", async () => {
      const { version } = await h.store.createKey(rsaKey("MixedCase"));
      expect((await h.store.getKey("mixedcase")).version.version).toBe(version.version);
      expect((await h.store.getKey("MIXEDCASE", version.version.toUpperCase())).version.version).toBe(version.version);
    });

    it.each([
      ["an unknown name", "nobody", undefined],
      ["an unknown version", "present", "0".repeat(32)],
      ["a malformed version", "present", "latest"],
    ])("answers KeyNotFound for %s", async (_label, name, version) => {
      await h.store.createKey(rsaKey("present"));
      await expectRefused(h.db, () => h.store.getKey(name, version), "KeyNotFound");
      await expectRefused(h.db, () => h.store.getKeyWithMaterial(name, version), "KeyNotFound");
    });

    it("answers KeyNotFound for a soft-deleted key, which getDeletedKey then finds", async () => {
      await h.store.createKey(rsaKey("binned"));
      await h.store.deleteKey("binned");
      await expectRefused(h.db, () => h.store.getKey("binned"), "KeyNotFound");
      expect((await h.store.getDeletedKey("BINNED")).key.deletion).not.toBeNull();
    });

    it("answers KeyNotFound from getDeletedKey for a live key", async () => {
      await h.store.createKey(rsaKey("alive"));
      const error = await expectRefused(h.db, () => h.store.getDeletedKey("alive"), "KeyNotFound");
      expect(error.message).toBe("Deleted Key not found: alive");
    });
  });

  describe("material binding", () => {
    it("refuses material moved to another version's row, and the error says nothing about it", async () => {
      const a = await h.store.createKey(rsaKey("a"));
      const b = await h.store.createKey(rsaKey("b"));
      // What an attacker with write access to the table, or a buggy migration, could do.
      await h.db.query(
        "UPDATE key_versions SET material = (SELECT material FROM key_versions WHERE version = $1) WHERE version = $2",
        [a.version.version, b.version.version],
      );
      const error = await expectRefused(h.db, () => h.store.getKeyWithMaterial("b"), "InternalError", "MaterialUnreadable");
      expect(error.message).toBe("the key material could not be decrypted");
      await expect(h.store.getKeyBackup("b")).rejects.toMatchObject({ code: "InternalError", inner: "MaterialUnreadable" });
      expect((await h.store.getKeyWithMaterial("a")).version.material.length).toBe(1218);
    });

    it("cannot open material under another domain key", async () => {
      await h.store.createKey(rsaKey("mine"));
      const other = createKeyStore({ db: h.db, cipher: materialCipher(domainKeyFromBytes(Buffer.alloc(32, 1))) });
      await expectRefused(h.db, () => other.getKeyWithMaterial("mine"), "InternalError", "MaterialUnreadable");
    });
  });

  describe("listKeys", () => {
    async function seed(store: KeyStore, names: string[]) {
      for (const name of names) await store.createKey(rsaKey(name));
    }

    it("pages through live keys in name order, ignoring case, with the latest version of each", async () => {
      await seed(h.store, ["delta", "Alpha", "charlie", "Echo", "bravo", "golf", "foxtrot"]);
      await h.store.addVersion("charlie", rsaKey("charlie", { tags: { v: "2" } }));
      await h.store.createKey(rsaKey("hotel"));
      await h.store.deleteKey("hotel");

      const pages = await allPages((page) => h.store.listKeys(page), 3);
      expect(pages.map((page) => page.map((b) => b.key.name))).toEqual([
        ["Alpha", "bravo", "charlie"],
        ["delta", "Echo", "foxtrot"],
        ["golf"],
      ]);
      const charlie = pages[0]![2]!;
      expect(charlie.version.version).toBe(charlie.key.latestVersion);
      expect(charlie.version.tags).toEqual({ v: "2" });
    });

    it("ends with a null continuation when the last page is exactly full", async () => {
      await seed(h.store, ["a", "b", "c", "d"]);
      const pages = await allPages((page) => h.store.listKeys(page), 2);
      expect(pages.map((p) => p.length)).toEqual([2, 2]);
    });

    it("neither repeats nor skips keys when keys are added and removed between pages", async () => {
      await seed(h.store, ["k1", "k3", "k5", "k7"]);
      const first = await h.store.listKeys({ limit: 2 });
      await h.store.createKey(rsaKey("k0"));
      await h.store.createKey(rsaKey("k4"));
      await h.store.deleteKey("k5");
      const second = await h.store.listKeys({ limit: 10, continuation: first.continuation });
      expect(first.items.map((b) => b.key.name)).toEqual(["k1", "k3"]);
      expect(second.items.map((b) => b.key.name)).toEqual(["k4", "k7"]);
      expect(second.continuation).toBeNull();
    });

    it("returns an empty page for an empty store", async () => {
      expect(await h.store.listKeys()).toEqual({ items: [], continuation: null });
    });

    it.each([
      ["a token that is not base64 JSON", { continuation: "%%%" }, "InvalidContinuationToken"],
      ["a token from another listing", "deleted", "InvalidContinuationToken"],
      ["a page size of 0", { limit: 0 }, "InvalidPageSize"],
      ["a page size of 1001", { limit: 1001 }, "InvalidPageSize"],
      ["a fractional page size", { limit: 2.5 }, "InvalidPageSize"],
    ] as const)("refuses %s", async (_label, request, inner) => {
      await seed(h.store, ["a", "b", "c"]);
      let page: PageRequest;
      if (request === "deleted") {
        await h.store.deleteKey("a");
        await h.store.deleteKey("b");
        page = { continuation: (await h.store.listDeletedKeys({ limit: 1 })).continuation };
      } else {
        page = request;
      }
      await expectRefused(h.db, () => h.store.listKeys(page), "BadParameter", inner);
    });
  });

  describe("listVersions", () => {
    it("pages through the versions of one key, oldest first", async () => {
      const first = await h.store.createKey(rsaKey("many"));
      const versions = [first.version.version];
      for (let i = 0; i < 4; i++) versions.push((await h.store.addVersion("many", rsaKey("many"))).version.version);
      await h.store.createKey(rsaKey("other"));
      const pages = await allPages((page) => h.store.listVersions("MANY", page), 2);
      expect(pages.map((p) => p.map((v) => v.version))).toEqual([versions.slice(0, 2), versions.slice(2, 4), versions.slice(4)]);
    });

    it("refuses a continuation token from another key", async () => {
      for (const name of ["one", "two"]) {
        await h.store.createKey(rsaKey(name));
        await h.store.addVersion(name, rsaKey(name));
      }
      const { continuation } = await h.store.listVersions("one", { limit: 1 });
      await expectRefused(h.db, () => h.store.listVersions("two", { continuation }), "BadParameter", "InvalidContinuationToken");
    });

    it("answers KeyNotFound for an unknown or soft-deleted key", async () => {
      await h.store.createKey(rsaKey("binned"));
      await h.store.deleteKey("binned");
      await expectRefused(h.db, () => h.store.listVersions("nobody"), "KeyNotFound");
      await expectRefused(h.db, () => h.store.listVersions("binned"), "KeyNotFound");
    });
  });

  describe("listDeletedKeys", () => {
    it("pages through soft-deleted keys only, in name order", async () => {
      for (const name of ["e", "d", "c", "b", "a"]) await h.store.createKey(rsaKey(name));
      for (const name of ["e", "c", "a"]) await h.store.deleteKey(name);
      const pages = await allPages((page) => h.store.listDeletedKeys(page), 2);
      expect(pages.map((p) => p.map((b) => b.key.name))).toEqual([["a", "c"], ["e"]]);
      expect(pages[0]![0]!.key.deletion).not.toBeNull();
    });
  });

  it("reports TargetErrors only", async () => {
    await expect(h.store.getKey("x")).rejects.toBeInstanceOf(TargetError);
  });
});
