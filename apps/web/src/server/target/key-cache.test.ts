import { describe, expect, it } from "vitest";
import type { KeyBundleRecord, KeyStore } from "../store";
import { forgettingStore, KeyRecordCache } from "./key-cache";

function fakeStore() {
  let reads = 0;
  const record = { key: { name: "k" }, version: { version: "v" } } as unknown as KeyBundleRecord;
  const store = {
    getKey: async () => (reads++, record),
    updateVersion: async () => record,
    purgeDue: async () => ["k"],
  } as unknown as KeyStore;
  return { store, reads: () => reads };
}

describe("KeyRecordCache", () => {
  it("reads a key once per ttl", async () => {
    let now = 0;
    const s = fakeStore();
    const cache = new KeyRecordCache(1000, () => now);
    await cache.get(s.store, "k", undefined);
    await cache.get(s.store, "K", undefined);
    expect(s.reads()).toBe(1);
    now = 1000;
    await cache.get(s.store, "k", undefined);
    expect(s.reads()).toBe(2);
  });

  it("forgets a key at once when it is written through the store", async () => {
    const s = fakeStore();
    const cache = new KeyRecordCache(60_000, () => 0);
    const store = forgettingStore(s.store, cache);
    await cache.get(store, "k", undefined);
    await store.updateVersion("k", undefined, {});
    await cache.get(store, "k", undefined);
    expect(s.reads()).toBe(2);
    await store.purgeDue();
    await cache.get(store, "k", undefined);
    expect(s.reads()).toBe(3);
  });
});
