import { TargetError, type TargetErrorCode } from "@keyward/shared";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import type { Db } from "../db";
import { createKeyStore, type KeyStore } from "../key-store";
import { migrate } from "../migrate";
import type { KeyStoreOptions } from "../store-context";
import type { TestBackend } from "./backends";
import { frozenClock, snapshot, testCipher, truncate } from "./fixtures";

export interface StoreHarness {
  db: Db;
  store: KeyStore;
  clock: ReturnType<typeof frozenClock>;
  /** Another store on the same database, e.g. with different limits. */
  storeWith(options: Partial<KeyStoreOptions>): KeyStore;
}

/** Registers hooks: one migrated database per file, emptied and given a frozen clock before each test. */
export function useStore(open: () => Promise<TestBackend>): StoreHarness {
  let backend: TestBackend | undefined;
  const harness = {} as StoreHarness;
  beforeAll(async () => {
    backend = await open();
    harness.db = backend.db;
    await migrate(harness.db);
  });
  beforeEach(async () => {
    await truncate(harness.db);
    const clock = frozenClock();
    harness.clock = clock;
    harness.storeWith = (options) => createKeyStore({ db: harness.db, cipher: testCipher(), now: clock.now, ...options });
    harness.store = harness.storeWith({});
  });
  afterAll(async () => {
    await backend?.dispose();
  });
  return harness;
}

/** The call is refused with exactly this code (and inner code), and no row changed. */
export async function expectRefused(db: Db, action: () => Promise<unknown>, code: TargetErrorCode, inner?: string): Promise<TargetError> {
  const before = await snapshot(db);
  const outcome = await action().then(
    () => null,
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(TargetError);
  const error = outcome as TargetError;
  expect({ code: error.code, inner: error.inner }).toEqual({ code, inner });
  expect(await snapshot(db)).toEqual(before);
  return error;
}
