import { deleteKey, purgeDue, purgeKey, recoverKey } from "./key-lifecycle";
import {
  getDeletedKey,
  getKey,
  getKeyBackup,
  getKeyWithMaterial,
  getRotationPolicy,
  listDeletedKeys,
  listKeys,
  listVersions,
} from "./key-reads";
import type {
  KeyBackupRecord,
  KeyBundleRecord,
  KeyBundleWithMaterial,
  KeyVersionRecord,
  NewKey,
  NewVersion,
  Page,
  PageRequest,
  RestoredKey,
  RotationPolicy,
  StoredRotationPolicy,
} from "./key-records";
import { setRotationPolicy, updateVersion, type VersionUpdate } from "./key-updates";
import { addVersion, createKey, createOrAddVersion, restoreKey, type WriteResult } from "./key-writes";
import { storeContext, type KeyStoreOptions } from "./store-context";

/**
 * The keys the local target holds. Every refusal is a TargetError (KeyNotFound, Conflict with
 * `ObjectIsDeletedButRecoverable`, BadParameter…) thrown before anything is written; every write is
 * one transaction. Names are matched without regard to case.
 */
export interface KeyStore {
  createKey(input: NewKey): Promise<KeyBundleRecord>;
  addVersion(name: string, input: NewVersion): Promise<KeyBundleRecord>;
  createOrAddVersion(input: NewKey): Promise<WriteResult>;
  restoreKey(input: RestoredKey): Promise<KeyBundleRecord>;

  getKey(name: string, version?: string): Promise<KeyBundleRecord>;
  getKeyWithMaterial(name: string, version?: string): Promise<KeyBundleWithMaterial>;
  getKeyBackup(name: string): Promise<KeyBackupRecord>;
  listKeys(page?: PageRequest): Promise<Page<KeyBundleRecord>>;
  listVersions(name: string, page?: PageRequest): Promise<Page<KeyVersionRecord>>;

  updateVersion(name: string, version: string | undefined, update: VersionUpdate): Promise<KeyBundleRecord>;
  getRotationPolicy(name: string): Promise<StoredRotationPolicy | null>;
  setRotationPolicy(name: string, policy: RotationPolicy): Promise<StoredRotationPolicy>;

  deleteKey(name: string): Promise<KeyBundleRecord>;
  getDeletedKey(name: string): Promise<KeyBundleRecord>;
  listDeletedKeys(page?: PageRequest): Promise<Page<KeyBundleRecord>>;
  recoverKey(name: string): Promise<KeyBundleRecord>;
  purgeKey(name: string): Promise<void>;
  purgeDue(): Promise<string[]>;
}

/** To include store calls in a larger transaction, create a store on the transaction's handle. */
export function createKeyStore(options: KeyStoreOptions): KeyStore {
  const ctx = storeContext(options);
  return {
    createKey: (input) => createKey(ctx, input),
    addVersion: (name, input) => addVersion(ctx, name, input),
    createOrAddVersion: (input) => createOrAddVersion(ctx, input),
    restoreKey: (input) => restoreKey(ctx, input),
    getKey: (name, version) => getKey(ctx, name, version),
    getKeyWithMaterial: (name, version) => getKeyWithMaterial(ctx, name, version),
    getKeyBackup: (name) => getKeyBackup(ctx, name),
    listKeys: (page) => listKeys(ctx, page),
    listVersions: (name, page) => listVersions(ctx, name, page),
    updateVersion: (name, version, update) => updateVersion(ctx, name, version, update),
    getRotationPolicy: (name) => getRotationPolicy(ctx, name),
    setRotationPolicy: (name, policy) => setRotationPolicy(ctx, name, policy),
    deleteKey: (name) => deleteKey(ctx, name),
    getDeletedKey: (name) => getDeletedKey(ctx, name),
    listDeletedKeys: (page) => listDeletedKeys(ctx, page),
    recoverKey: (name) => recoverKey(ctx, name),
    purgeKey: (name) => purgeKey(ctx, name),
    purgeDue: () => purgeDue(ctx),
  };
}
