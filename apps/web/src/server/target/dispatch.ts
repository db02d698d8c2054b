import type { OperationName } from "@keyward/shared";
import type { TargetHandler } from "./context";
import { backupKeyHandler, restoreKeyHandler } from "./handlers/backup";
import { decryptHandler, encryptHandler, rngHandler, signHandler, unwrapKeyHandler, verifyHandler, wrapKeyHandler } from "./handlers/crypto";
import { getDeletedKey, getDeletedKeys, purgeDeletedKey, recoverDeletedKey } from "./handlers/deleted";
import { createKey, deleteKeyHandler, getKey, getKeyVersions, getKeys, importKey, updateKey } from "./handlers/keys";
import { releaseHandler } from "./handlers/release";
import { getKeyRotationPolicy, rotateKey, updateKeyRotationPolicy } from "./handlers/rotation";
import {
  downloadSecurityDomain,
  getSecurityDomainDownloadStatus,
  getSecurityDomainUploadStatus,
  getTransferKey,
  uploadSecurityDomain,
} from "./handlers/security-domain";

/** Key operations: refused until the security domain is active and the domain key is held. */
const KEY_HANDLERS: Partial<Record<OperationName, TargetHandler>> = {
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

const gated =
  (handler: TargetHandler): TargetHandler =>
  async (ctx, req) => {
    await ctx.securityDomain.requireKeyOperations();
    return handler(ctx, req);
  };

/**
 * Operations served by handlers (access control goes its own way). Key operations pass the security
 * domain's gate here, so that in-process callers (ceremonies) meet it as HTTP callers do; the
 * security-domain operations themselves are what opens it.
 */
export const HANDLERS: Partial<Record<OperationName, TargetHandler>> = {
  ...Object.fromEntries(Object.entries(KEY_HANDLERS).map(([operation, handler]) => [operation, gated(handler)])),
  downloadSecurityDomain,
  getSecurityDomainDownloadStatus,
  getTransferKey,
  uploadSecurityDomain,
  getSecurityDomainUploadStatus,
};
