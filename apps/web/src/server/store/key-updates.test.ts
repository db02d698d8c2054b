import { describe, expect, it } from "vitest";
import { BACKENDS } from "./test-support/backends";
import { T0, ecKey, releasePolicy, rsaKey } from "./test-support/fixtures";
import { expectRefused, useStore } from "./test-support/harness";

describe.each(BACKENDS)("key store updates on $name", ({ open }) => {
  const h = useStore(open);

  describe("updateVersion", () => {
    it("changes what the patch names on the latest version and nothing else", async () => {
      const created = await h.store.createKey(rsaKey("patched", { tags: { a: "1" }, exp: T0 + 1000 }));
      h.clock.advance(5);
      const updated = await h.store.updateVersion("PATCHED", undefined, { enabled: false, tags: { b: "2" }, nbf: T0, keyOps: ["verify"] });
      expect(updated.version).toEqual({
        ...created.version,
        keyOps: ["verify"],
        tags: { b: "2" },
        attributes: { ...created.version.attributes, enabled: false, nbf: T0, updated: T0 + 5 },
      });
      expect(updated.key.updated).toBe(T0 + 5);
      expect(await h.store.getKey("patched")).toEqual(updated);
    });

    it("updates an older version by id and leaves the latest alone", async () => {
      const first = await h.store.createKey(rsaKey("two"));
      const second = await h.store.addVersion("two", rsaKey("two"));
      await h.store.updateVersion("two", first.version.version, { tags: { old: "yes" } });
      expect((await h.store.getKey("two", first.version.version)).version.tags).toEqual({ old: "yes" });
      expect((await h.store.getKey("two")).version).toEqual(second.version);
    });

    it("clears nbf, exp and the release policy with null", async () => {
      await h.store.createKey(rsaKey("clear", { nbf: T0, exp: T0 + 10, releasePolicy: releasePolicy() }));
      const { version } = await h.store.updateVersion("clear", undefined, { nbf: null, exp: null, releasePolicy: null });
      expect(version.attributes).toMatchObject({ nbf: null, exp: null });
      expect(version.releasePolicy).toBeNull();
    });

    it("computes a read-modify-write update from the stored version", async () => {
      await h.store.createKey(rsaKey("counter", { tags: { n: "0" } }));
      for (let i = 0; i < 3; i++) {
        await h.store.updateVersion("counter", undefined, (current) => ({ tags: { n: String(Number(current.tags.n) + 1) } }));
      }
      expect((await h.store.getKey("counter")).version.tags).toEqual({ n: "3" });
    });

    it("replaces a mutable release policy and accepts the same immutable one again", async () => {
      await h.store.createKey(rsaKey("mutable", { releasePolicy: releasePolicy(false, "a") }));
      const next = releasePolicy(true, "b");
      expect((await h.store.updateVersion("mutable", undefined, { releasePolicy: next })).version.releasePolicy).toEqual(next);
      expect((await h.store.updateVersion("mutable", undefined, { releasePolicy: next, enabled: false })).version.attributes.enabled).toBe(false);
    });

    it("refuses to change an immutable release policy", async () => {
      await h.store.createKey(ecKey("locked", { exportable: true, releasePolicy: releasePolicy(true, "a"), keyOps: ["sign", "export"] }));
      await expectRefused(h.db, () => h.store.updateVersion("locked", undefined, { releasePolicy: releasePolicy(true, "b") }), "BadParameter", "ReleasePolicyImmutable");
      await expectRefused(h.db, () => h.store.updateVersion("locked", undefined, { releasePolicy: releasePolicy(false, "a") }), "BadParameter", "ReleasePolicyImmutable");
      await expectRefused(h.db, () => h.store.updateVersion("locked", undefined, { releasePolicy: null }), "BadParameter", "ReleasePolicyImmutable");
    });

    it("refuses to change the exportable state", async () => {
      await h.store.createKey(rsaKey("fixed"));
      await expectRefused(h.db, () => h.store.updateVersion("fixed", undefined, { exportable: true, releasePolicy: releasePolicy() }), "BadParameter", "ExportableImmutable");
    });

    it("refuses to remove the release policy of an exportable key", async () => {
      await h.store.createKey(ecKey("export", { exportable: true, releasePolicy: releasePolicy(), keyOps: ["export"] }));
      await expectRefused(h.db, () => h.store.updateVersion("export", undefined, { releasePolicy: null }), "BadParameter", "ReleasePolicyRequired");
    });

    it.each([
      ["nbf after the stored exp", { nbf: 2_000_000_000 }, "ATTR_WINDOW"],
      ["key_ops the family cannot do", { keyOps: ["encrypt" as const] }, "KEY_OPS_FAMILY"],
      ["import next to another operation", { keyOps: ["import" as const, "verify" as const] }, "KEY_OPS_IMPORT_EXCLUSIVE"],
      ["too many tags", { tags: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, ""])) }, "TAG_COUNT"],
      ["a negative exp", { exp: -1 }, "InvalidAttribute"],
    ])("refuses %s", async (_label, patch, inner) => {
      await h.store.createKey(ecKey("ec", { exp: T0 + 100 }));
      await expectRefused(h.db, () => h.store.updateVersion("ec", undefined, patch), "BadParameter", inner);
    });

    it("refuses an unknown key, an unknown version and a soft-deleted key", async () => {
      await h.store.createKey(rsaKey("here"));
      await h.store.createKey(rsaKey("binned"));
      await h.store.deleteKey("binned");
      await expectRefused(h.db, () => h.store.updateVersion("nobody", undefined, { enabled: false }), "KeyNotFound");
      await expectRefused(h.db, () => h.store.updateVersion("here", "f".repeat(32), { enabled: false }), "KeyNotFound");
      await expectRefused(h.db, () => h.store.updateVersion("here", "nope", { enabled: false }), "KeyNotFound");
      await expectRefused(h.db, () => h.store.updateVersion("binned", undefined, { enabled: false }), "KeyNotFound");
    });
  });

  describe("rotation policy", () => {
    const policy = { lifetimeActions: [{ trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Notify" as const } }], expiryTime: "P90D" };

    it("is null until set, then keeps its creation time across updates", async () => {
      await h.store.createKey(rsaKey("rotated"));
      expect(await h.store.getRotationPolicy("rotated")).toBeNull();
      expect(await h.store.setRotationPolicy("rotated", policy)).toEqual({ ...policy, created: T0, updated: T0 });
      h.clock.advance(30);
      const next = { lifetimeActions: [{ trigger: { timeAfterCreate: "P28D" }, action: { type: "Rotate" as const } }], expiryTime: null };
      expect(await h.store.setRotationPolicy("ROTATED", next)).toEqual({ ...next, created: T0, updated: T0 + 30 });
      expect(await h.store.getRotationPolicy("rotated")).toEqual({ ...next, created: T0, updated: T0 + 30 });
    });

    it.each([
      ["an unknown action", { lifetimeActions: [{ trigger: {}, action: { type: "Delete" as never } }], expiryTime: null }],
      ["a malformed duration", { lifetimeActions: [{ trigger: { timeAfterCreate: "90 days" }, action: { type: "Rotate" as const } }], expiryTime: null }],
      ["a malformed expiry", { lifetimeActions: [], expiryTime: "P" }],
    ])("refuses %s", async (_label, bad) => {
      await h.store.createKey(rsaKey("rotated"));
      await expectRefused(h.db, () => h.store.setRotationPolicy("rotated", bad), "BadParameter", "InvalidRotationPolicy");
    });

    it("refuses an unknown key", async () => {
      await expectRefused(h.db, () => h.store.setRotationPolicy("nobody", policy), "KeyNotFound");
      await expectRefused(h.db, () => h.store.getRotationPolicy("nobody"), "KeyNotFound");
    });
  });
});
