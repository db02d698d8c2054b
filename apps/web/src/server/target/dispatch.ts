import type { OperationName } from "@keyward/shared";
import type { TargetHandler } from "./context";
import { backupKeyHandler, restoreKeyHandler } from "./handlers/backup";
import { decryptHandler, encryptHandler, rngHandler, signHandler, unwrapKeyHandler, verifyHandler, wrapKeyHandler } from "./handlers/crypto";
import { getDeletedKey, getDeletedKeys, purgeDeletedKey, recoverDeletedKey } from "./handlers/deleted";
import { createKey, deleteKeyHandler, getKey, getKeyVersions, getKeys, importKey, updateKey } from "./handlers/keys";
import { releaseHandler } from "./handlers/release";
import { getKeyRotationPolicy, rotateKey, updateKeyRotationPolicy } from "./handlers/rotation";

/** Operations served by the key handlers; access control and security domain go their own ways. */
export const HANDLERS: Partial<Record<OperationName, TargetHandler>> = {
  createKey,
  importKey,
  getKey,
  getKeys,
  getKeyVersions,
  updateKey,
  deleteKey: deleteKeyHandler,
  getDeletedKeys,
  getDeletedKey,
  recoverDeletedKey,
  purgeDeletedKey,
  backupKey: backupKeyHandler,
  restoreKey: restoreKeyHandler,
  rotateKey,
  getKeyRotationPolicy,
  updateKeyRotationPolicy,
  encrypt: encryptHandler,
  decrypt: decryptHandler,
  wrapKey: wrapKeyHandler,
  unwrapKey: unwrapKeyHandler,
  sign: signHandler,
  verify: verifyHandler,
  getRandomBytes: rngHandler,
  release: releaseHandler,
};
