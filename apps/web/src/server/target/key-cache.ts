import type { KeyBundleRecord, KeyStore } from "../store";

/**
 * Key records for cryptographic operations, remembered for `ttlMs`: a sign or decrypt must check the
 * key's attributes, and a database read per operation costs several times the signature. Every write
 * through this store forgets the key at once; a change made by another portal process (PostgreSQL) is
 * seen within `ttlMs`. Management reads (GET /keys/…) do not use it and always read the store.
 */
export class KeyRecordCache {
  private readonly entries = new Map<string, { at: number; value: Promise<KeyBundleRecord> }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.ttlMs = ttlMs;
    this.now = now;
  }

  get(store: KeyStore, name: string, version: string | undefined): Promise<KeyBundleRecord> {
    const id = `${name.toLowerCase()}/${version?.toLowerCase() ?? ""}`;
    const hit = this.entries.get(id);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = store.getKey(name, version);
    this.entries.set(id, { at: this.now(), value });
    value.catch(() => this.entries.delete(id));
    return value;
  }

  forget(name: string): void {
    const prefix = `${name.toLowerCase()}/`;
    for (const id of this.entries.keys()) if (id.startsWith(prefix)) this.entries.delete(id);
  }
}

const WRITES = ["createKey", "addVersion", "createOrAddVersion", "restoreKey", "updateVersion", "setRotationPolicy", "deleteKey", "recoverKey", "purgeKey"] as const;

/** The store, with every write by name also clearing that key from the cache. */
export function forgettingStore(store: KeyStore, cache: KeyRecordCache): KeyStore {
  const wrapped: KeyStore = { ...store };
  for (const method of WRITES) {
    const original = store[method] as (...args: unknown[]) => Promise<unknown>;
    (wrapped as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      const first = args[0];
      const name = typeof first === "string" ? first : (first as { name?: string } | undefined)?.name;
      try {
        return await original(...args);
      } finally {
        if (name) cache.forget(name);
      }
    };
  }
  const purgeDue = store.purgeDue;
  wrapped.purgeDue = async () => {
    const purged = await purgeDue();
    for (const name of purged) cache.forget(name);
    return purged;
  };
  return wrapped;
}
