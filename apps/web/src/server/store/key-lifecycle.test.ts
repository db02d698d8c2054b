import { describe, expect, it } from "vitest";
import { BACKENDS } from "./test-support/backends";
import { T0, rsaKey } from "./test-support/fixtures";
import { expectRefused, useStore } from "./test-support/harness";

const DAY = 86_400;

describe.each(BACKENDS)("key store soft delete, recover and purge on $name", ({ open }) => {
  const h = useStore(open);

  it("soft-deletes a key with all its versions and schedules its purge", async () => {
    const first = await h.store.createKey(rsaKey("old"));
    await h.store.addVersion("old", rsaKey("old"));
    h.clock.advance(100);
    const deleted = await h.store.deleteKey("OLD");
    expect(deleted.key.deletion).toEqual({ deletedDate: T0 + 100, scheduledPurgeDate: T0 + 100 + 90 * DAY });
    await expectRefused(h.db, () => h.store.getKey("old", first.version.version), "KeyNotFound");
    expect((await h.store.listKeys()).items).toEqual([]);
    expect(await h.store.getDeletedKey("old")).toEqual(deleted);
  });

  it("uses the configured retention", async () => {
    const store = h.storeWith({ recoverableDays: 7 });
    await store.createKey(rsaKey("short"));
    const deleted = await store.deleteKey("short");
    expect(deleted.key).toMatchObject({ recoverableDays: 7, deletion: { scheduledPurgeDate: T0 + 7 * DAY } });
  });

  it("refuses to delete an unknown or already deleted key", async () => {
    await h.store.createKey(rsaKey("once"));
    await h.store.deleteKey("once");
    await expectRefused(h.db, () => h.store.deleteKey("once"), "KeyNotFound");
    await expectRefused(h.db, () => h.store.deleteKey("nobody"), "KeyNotFound");
  });

  it("recovers a deleted key with its versions intact", async () => {
    const created = await h.store.createKey(rsaKey("back", { tags: { keep: "me" } }));
    await h.store.deleteKey("back");
    const recovered = await h.store.recoverKey("Back");
    expect(recovered).toEqual(created);
    expect((await h.store.getKeyWithMaterial("back")).version.material.length).toBe(1218);
    await expectRefused(h.db, () => h.store.getDeletedKey("back"), "KeyNotFound");
  });

  it("refuses to recover a live or unknown key", async () => {
    await h.store.createKey(rsaKey("live"));
    await expectRefused(h.db, () => h.store.recoverKey("live"), "KeyNotFound");
    await expectRefused(h.db, () => h.store.recoverKey("nobody"), "KeyNotFound");
  });

  it("purges a deleted key for good and frees its name", async () => {
    await h.store.createKey(rsaKey("doomed"));
    await h.store.addVersion("doomed", rsaKey("doomed"));
    await h.store.createKey(rsaKey("bystander"));
    await h.store.deleteKey("doomed");
    await h.store.purgeKey("DOOMED");
    expect((await h.db.query("SELECT name FROM keys")).rows).toEqual([{ name: "bystander" }]);
    expect((await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM key_versions")).rows).toEqual([{ n: 1 }]);
    expect((await h.store.createKey(rsaKey("doomed"))).key.versionCount).toBe(1);
  });

  it("refuses to purge a live or unknown key", async () => {
    await h.store.createKey(rsaKey("live"));
    await expectRefused(h.db, () => h.store.purgeKey("live"), "KeyNotFound");
    await expectRefused(h.db, () => h.store.purgeKey("nobody"), "KeyNotFound");
  });

  it("purges deleted keys once their scheduled date has come, and only those", async () => {
    for (const name of ["early", "late", "live"]) await h.store.createKey(rsaKey(name));
    await h.store.deleteKey("early");
    h.clock.advance(DAY);
    await h.store.deleteKey("late");
    h.clock.advance(89 * DAY - 1);
    expect(await h.store.purgeDue()).toEqual([]);
    h.clock.advance(1);
    expect(await h.store.purgeDue()).toEqual(["early"]);
    expect((await h.store.listDeletedKeys()).items.map((b) => b.key.name)).toEqual(["late"]);
    expect((await h.store.listKeys()).items.map((b) => b.key.name)).toEqual(["live"]);
  });
});
