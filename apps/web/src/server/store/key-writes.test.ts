import { describe, expect, it } from "vitest";
import { newVersionId } from "./key-names";
import { BACKENDS } from "./test-support/backends";
import { T0, ecKey, octKey, releasePolicy, rsaKey } from "./test-support/fixtures";
import { expectRefused, useStore } from "./test-support/harness";

describe.each(BACKENDS)("key store writes on $name", ({ open }) => {
  const h = useStore(open);

  describe("createKey", () => {
    it("stores a key with its first version and reports it as Key Vault needs", async () => {
      const input = rsaKey("Signing-Key", { tags: { team: "payments" }, nbf: T0 - 10, exp: T0 + 86_400 });
      const bundle = await h.store.createKey(input);
      expect(bundle.key).toEqual({
        name: "Signing-Key",
        kty: "RSA-HSM",
        managed: false,
        created: T0,
        updated: T0,
        recoverableDays: 90,
        rotationPolicy: null,
        deletion: null,
        latestVersion: bundle.version.version,
        versionCount: 1,
      });
      expect(bundle.version).toEqual({
        name: "Signing-Key",
        version: expect.stringMatching(/^[0-9a-f]{32}$/),
        kty: "RSA-HSM",
        keyOps: ["sign", "verify"],
        attributes: { enabled: true, nbf: T0 - 10, exp: T0 + 86_400, exportable: false, created: T0, updated: T0 },
        tags: { team: "payments" },
        releasePolicy: null,
        publicJwk: input.publicJwk,
        origin: "generated",
        hsmPlatform: "0",
      });
      expect(await h.store.getKey("signing-key")).toEqual(bundle);
    });

    it("keeps material encrypted at rest and returns it decrypted for use", async () => {
      const input = octKey("aes");
      const { version } = await h.store.createKey(input);
      const { rows } = await h.db.query<{ material: Uint8Array }>("SELECT material FROM key_versions");
      const stored = Buffer.from(rows[0]!.material);
      expect(stored.includes(Buffer.from(input.material))).toBe(false);
      expect(stored.length).toBe(1 + 12 + input.material.length + 16);
      const used = await h.store.getKeyWithMaterial("AES", version.version);
      expect(used.version.material).toEqual(Buffer.from(input.material));
    });

    it("stores an exportable key with its release policy, and EC and KEK shapes", async () => {
      const policy = releasePolicy(true);
      const exportable = await h.store.createKey(ecKey("exportable", { exportable: true, releasePolicy: policy, keyOps: ["sign", "verify", "export"] }));
      expect(exportable.version.attributes.exportable).toBe(true);
      expect(exportable.version.releasePolicy).toEqual(policy);
      const kek = await h.store.createKey(rsaKey("kek", { keyOps: ["import"] }));
      expect(kek.version.keyOps).toEqual(["import"]);
    });

    it("refuses a name that exists, whatever its case", async () => {
      await h.store.createKey(rsaKey("taken"));
      await expectRefused(h.db, () => h.store.createKey(rsaKey("TAKEN")), "Conflict", "KeyAlreadyExists");
    });

    it("refuses the name of a soft-deleted key", async () => {
      await h.store.createKey(rsaKey("gone"));
      await h.store.deleteKey("gone");
      await expectRefused(h.db, () => h.store.createKey(rsaKey("Gone")), "Conflict", "ObjectIsDeletedButRecoverable");
    });

    it.each([
      ["an empty name", ""],
      ["a name with an underscore", "bad_name"],
      ["a 128-character name", "a".repeat(128)],
      ["a name with a slash", "a/b"],
    ])("refuses %s", async (_label, name) => {
      await expectRefused(h.db, () => h.store.createKey(rsaKey(name)), "BadParameter", "InvalidKeyName");
    });

    it.each([
      ["import with other operations", rsaKey("k", { keyOps: ["import", "sign"] }), "KEY_OPS_IMPORT_EXCLUSIVE"],
      ["encrypt on an EC key", ecKey("k", { keyOps: ["encrypt"] }), "KEY_OPS_FAMILY"],
      ["no key operations", rsaKey("k", { keyOps: [] }), "KEY_OPS_EMPTY"],
      ["16 tags", rsaKey("k", { tags: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "v"])) }), "TAG_COUNT"],
      ["a 257-character tag value", rsaKey("k", { tags: { t: "v".repeat(257) } }), "TAG_VALUE_LENGTH"],
      ["nbf after exp", rsaKey("k", { nbf: T0 + 10, exp: T0 }), "ATTR_WINDOW"],
      ["exp in milliseconds", rsaKey("k", { exp: Date.UTC(2030, 0) }), "InvalidAttribute"],
      ["exportable without a release policy", rsaKey("k", { exportable: true }), "ReleasePolicyRequired"],
      ["a malformed release policy", rsaKey("k", { releasePolicy: { contentType: "", data: "!", immutable: false } }), "InvalidReleasePolicy"],
      ["no material", rsaKey("k", { material: new Uint8Array(0) }), "MissingMaterial"],
      ["an RSA key with an EC public key", rsaKey("k", { publicJwk: { crv: "P-256", x: "AA", y: "AA" } }), "InvalidPublicKey"],
      ["an oct key with a public part", octKey("k", { publicJwk: { n: "AA", e: "AQAB" } }), "InvalidPublicKey"],
      ["an unknown key type", rsaKey("k", { kty: "DSA" as never }), "InvalidKeyType"],
      ["an unknown origin", rsaKey("k", { origin: "found" as never }), "InvalidOrigin"],
    ])("refuses %s", async (_label, input, inner) => {
      await expectRefused(h.db, () => h.store.createKey(input), "BadParameter", inner);
    });
  });

  describe("addVersion", () => {
    it("adds a new latest version and keeps the old one", async () => {
      const first = await h.store.createKey(rsaKey("rotating"));
      h.clock.advance(60);
      const second = await h.store.addVersion("ROTATING", rsaKey("ignored", { origin: "byok-imported", keyOps: ["decrypt"] }));
      expect(second.key).toMatchObject({ name: "rotating", versionCount: 2, latestVersion: second.version.version, created: T0, updated: T0 + 60 });
      expect(second.version).toMatchObject({ origin: "byok-imported", keyOps: ["decrypt"], attributes: { created: T0 + 60 } });
      expect((await h.store.getKey("rotating")).version.version).toBe(second.version.version);
      expect((await h.store.getKey("rotating", first.version.version)).version).toEqual(first.version);
    });

    it("refuses an unknown name", async () => {
      await h.store.createKey(rsaKey("exists"));
      await expectRefused(h.db, () => h.store.addVersion("missing", rsaKey("x")), "KeyNotFound");
    });

    it("refuses a soft-deleted key", async () => {
      await h.store.createKey(rsaKey("deleted"));
      await h.store.deleteKey("deleted");
      await expectRefused(h.db, () => h.store.addVersion("deleted", rsaKey("x")), "Conflict", "ObjectIsDeletedButRecoverable");
    });

    it("refuses a version beyond the per-key limit", async () => {
      const store = h.storeWith({ maxVersionsPerKey: 2 });
      await store.createKey(rsaKey("full"));
      await store.addVersion("full", rsaKey("x"));
      await expectRefused(h.db, () => store.addVersion("full", rsaKey("x")), "Conflict", "TooManyVersions");
    });

    it("refuses an invalid version without touching the key", async () => {
      await h.store.createKey(rsaKey("stable"));
      await expectRefused(h.db, () => h.store.addVersion("stable", rsaKey("x", { keyOps: ["import", "sign"] })), "BadParameter", "KEY_OPS_IMPORT_EXCLUSIVE");
    });
  });

  describe("createOrAddVersion", () => {
    it("creates a key when the name is free and adds a version when it is not", async () => {
      const created = await h.store.createOrAddVersion(rsaKey("either"));
      expect(created).toMatchObject({ created: true, bundle: { key: { versionCount: 1 } } });
      const added = await h.store.createOrAddVersion(rsaKey("Either"));
      expect(added).toMatchObject({ created: false, bundle: { key: { name: "either", versionCount: 2 } } });
    });

    it("refuses the name of a soft-deleted key", async () => {
      await h.store.createKey(rsaKey("deleted"));
      await h.store.deleteKey("deleted");
      await expectRefused(h.db, () => h.store.createOrAddVersion(rsaKey("deleted")), "Conflict", "ObjectIsDeletedButRecoverable");
    });

    it("gives two concurrent creators of one new name one key with two versions", async () => {
      const results = await Promise.all([h.store.createOrAddVersion(rsaKey("race")), h.store.createOrAddVersion(rsaKey("race"))]);
      expect(results.map((r) => r.created).sort()).toEqual([false, true]);
      expect((await h.store.getKey("race")).key.versionCount).toBe(2);
    });
  });

  describe("backup and restoreKey", () => {
    it("restores a purged key from its backup with the same versions and material", async () => {
      await h.store.createKey(rsaKey("saved", { tags: { a: "1" } }));
      h.clock.advance(10);
      await h.store.addVersion("saved", rsaKey("saved", { tags: { a: "2" } }));
      await h.store.setRotationPolicy("saved", { lifetimeActions: [{ trigger: { timeAfterCreate: "P90D" }, action: { type: "Rotate" } }], expiryTime: "P1Y" });
      const backup = await h.store.getKeyBackup("saved");
      expect(backup.versions).toHaveLength(2);
      await h.store.deleteKey("saved");
      await h.store.purgeKey("saved");
      h.clock.advance(100);

      const restored = await h.store.restoreKey({
        name: backup.key.name,
        rotationPolicy: backup.key.rotationPolicy,
        versions: backup.versions.map((v) => ({ ...v, ...v.attributes, version: v.version })),
      });
      expect(restored.key).toMatchObject({ name: "saved", versionCount: 2, latestVersion: backup.key.latestVersion, created: T0 });
      expect(restored.key.rotationPolicy?.lifetimeActions).toEqual(backup.key.rotationPolicy?.lifetimeActions);
      const again = await h.store.getKeyBackup("saved");
      expect(again.versions.map((v) => ({ ...v, origin: "x" }))).toEqual(backup.versions.map((v) => ({ ...v, origin: "x" })));
      expect(again.versions.map((v) => v.origin)).toEqual(["restored", "restored"]);
    });

    const restoreInput = (name: string, versions = [newVersionId()]) => ({
      name,
      versions: versions.map((version) => ({ ...rsaKey(name), version, created: T0 - 100, updated: T0 - 100 })),
    });

    it("refuses a name in use", async () => {
      await h.store.createKey(rsaKey("in-use"));
      await expectRefused(h.db, () => h.store.restoreKey(restoreInput("IN-USE")), "Conflict", "KeyAlreadyExists");
    });

    it("refuses the name of a soft-deleted key", async () => {
      await h.store.createKey(rsaKey("deleted"));
      await h.store.deleteKey("deleted");
      await expectRefused(h.db, () => h.store.restoreKey(restoreInput("deleted")), "Conflict", "ObjectIsDeletedButRecoverable");
    });

    it.each([
      ["no versions", restoreInput("k", []), "EmptyBackup"],
      ["a repeated version", restoreInput("k", ["a".repeat(32), "a".repeat(32)]), "DuplicateVersion"],
      ["a malformed version id", restoreInput("k", ["xyz"]), "InvalidKeyVersion"],
      ["a creation time in milliseconds", { ...restoreInput("k"), versions: restoreInput("k").versions.map((v) => ({ ...v, created: Date.now() })) }, "InvalidAttribute"],
      ["a malformed rotation policy", { ...restoreInput("k"), rotationPolicy: { lifetimeActions: [], expiryTime: "soon" } }, "InvalidRotationPolicy"],
      ["an invalid version", { ...restoreInput("k"), versions: restoreInput("k").versions.map((v) => ({ ...v, keyOps: ["fly" as never] })) }, "KEY_OPS_UNKNOWN"],
    ])("refuses a backup with %s", async (_label, input, inner) => {
      await expectRefused(h.db, () => h.store.restoreKey(input), "BadParameter", inner);
    });
  });
});
