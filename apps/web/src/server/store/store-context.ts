import type { MaterialCipher } from "../domain-key/material";
import type { Db } from "./db";

export interface KeyStoreOptions {
  /** The database, or a transaction's handle to make store calls part of the caller's transaction. */
  db: Db;
  /** Encrypts material before it is written and decrypts it on the way out. */
  cipher: MaterialCipher;
  /** Current unix time in seconds; tests freeze it. */
  now?: () => number;
  /** Soft-delete retention given to new keys, 7 to 90 days (Key Vault's default is 90). */
  recoverableDays?: number;
  /** Managed HSM allows 100 versions per key. */
  maxVersionsPerKey?: number;
}

export interface StoreContext {
  db: Db;
  cipher: MaterialCipher;
  now: () => number;
  recoverableDays: number;
  maxVersionsPerKey: number;
}

export function storeContext(options: KeyStoreOptions): StoreContext {
  const recoverableDays = options.recoverableDays ?? 90;
  if (!Number.isInteger(recoverableDays) || recoverableDays < 7 || recoverableDays > 90) {
    throw new RangeError(`recoverableDays must be a whole number from 7 to 90; got ${recoverableDays}`);
  }
  const maxVersionsPerKey = options.maxVersionsPerKey ?? 100;
  if (!Number.isInteger(maxVersionsPerKey) || maxVersionsPerKey < 1) throw new RangeError("maxVersionsPerKey must be at least 1");
  return {
    db: options.db,
    cipher: options.cipher,
    now: options.now ?? (() => Math.floor(Date.now() / 1000)),
    recoverableDays,
    maxVersionsPerKey,
  };
}

export const SECONDS_PER_DAY = 86_400;
