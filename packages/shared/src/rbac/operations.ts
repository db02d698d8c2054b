import { dataAction, type DataAction } from "./data-actions.js";
import { HSM_SCOPE, KEYS_SCOPE, keyScope, type RoleScope } from "./scope.js";

const d = dataAction;

/**
 * Every operation the local target serves → the data action it requires. The HTTP router checks
 * through this table and the UI's access matrix reads it, so both agree by construction.
 * Rotation policy: get needs keys/read, set needs keys/write — the policy is key metadata, and Managed
 * HSM has no dedicated rotation-policy actions (Key Vault's keyrotationpolicies/* have no MHSM twin).
 */
export const OPERATIONS = {
  // keys
  createKey: d("keys/create"),
  importKey: d("keys/import/action"),
  getKey: d("keys/read/action"),
  getKeys: d("keys/read/action"),
  getKeyVersions: d("keys/read/action"),
  updateKey: d("keys/write/action"),
  deleteKey: d("keys/delete"),
  getDeletedKeys: d("keys/deletedKeys/read/action"),
  getDeletedKey: d("keys/deletedKeys/read/action"),
  recoverDeletedKey: d("keys/deletedKeys/recover/action"),
  purgeDeletedKey: d("keys/deletedKeys/delete"),
  backupKey: d("keys/backup/action"),
  restoreKey: d("keys/restore/action"),
  rotateKey: d("keys/rotate/action"),
  getKeyRotationPolicy: d("keys/read/action"),
  updateKeyRotationPolicy: d("keys/write/action"),
  release: d("keys/release/action"),
  // cryptography
  encrypt: d("keys/encrypt/action"),
  decrypt: d("keys/decrypt/action"),
  wrapKey: d("keys/wrap/action"),
  unwrapKey: d("keys/unwrap/action"),
  sign: d("keys/sign/action"),
  verify: d("keys/verify/action"),
  getRandomBytes: d("rng/action"),
  // access control
  getRoleAssignment: d("roleAssignments/read/action"),
  listRoleAssignments: d("roleAssignments/read/action"),
  createRoleAssignment: d("roleAssignments/write/action"),
  deleteRoleAssignment: d("roleAssignments/delete/action"),
  getRoleDefinition: d("roleDefinitions/read/action"),
  listRoleDefinitions: d("roleDefinitions/read/action"),
  // security domain
  downloadSecurityDomain: d("securitydomain/download/action"),
  getSecurityDomainDownloadStatus: d("securitydomain/download/read"),
  getTransferKey: d("securitydomain/transferkey/read"),
  uploadSecurityDomain: d("securitydomain/upload/action"),
  getSecurityDomainUploadStatus: d("securitydomain/upload/read"),
} as const satisfies Record<string, DataAction>;

export type OperationName = keyof typeof OPERATIONS;
export const OPERATION_NAMES = Object.keys(OPERATIONS) as OperationName[];

export function isOperationName(value: string): value is OperationName {
  return Object.hasOwn(OPERATIONS, value);
}

/**
 * What scope an operation is checked at: "key" → `/keys/{name}` (the key in the path, any version);
 * "keys" → `/keys` (lists, and restore, whose key name is only known inside the blob); "hsm" → `/`;
 * "path" → the scope written in the request path (the roleAssignments/roleDefinitions APIs).
 */
export type OperationScopeKind = "key" | "keys" | "hsm" | "path";

export const OPERATION_SCOPE = {
  createKey: "key",
  importKey: "key",
  getKey: "key",
  getKeys: "keys",
  getKeyVersions: "key",
  updateKey: "key",
  deleteKey: "key",
  getDeletedKeys: "keys",
  getDeletedKey: "key",
  recoverDeletedKey: "key",
  purgeDeletedKey: "key",
  backupKey: "key",
  restoreKey: "keys",
  rotateKey: "key",
  getKeyRotationPolicy: "key",
  updateKeyRotationPolicy: "key",
  release: "key",
  encrypt: "key",
  decrypt: "key",
  wrapKey: "key",
  unwrapKey: "key",
  sign: "key",
  verify: "key",
  getRandomBytes: "hsm",
  getRoleAssignment: "path",
  listRoleAssignments: "path",
  createRoleAssignment: "path",
  deleteRoleAssignment: "path",
  getRoleDefinition: "path",
  listRoleDefinitions: "path",
  downloadSecurityDomain: "hsm",
  getSecurityDomainDownloadStatus: "hsm",
  getTransferKey: "hsm",
  uploadSecurityDomain: "hsm",
  getSecurityDomainUploadStatus: "hsm",
} as const satisfies Record<OperationName, OperationScopeKind>;

/**
 * The scope to check an operation at. `keyName` is required for key-scoped operations and `pathScope`
 * for the access-control APIs; a missing one is a programming error in the router, so it throws.
 */
export function operationScope(operation: OperationName, at: { keyName?: string; pathScope?: RoleScope } = {}): RoleScope {
  const kind: OperationScopeKind = OPERATION_SCOPE[operation];
  switch (kind) {
    case "hsm":
      return HSM_SCOPE;
    case "keys":
      return KEYS_SCOPE;
    case "key":
      if (at.keyName === undefined) throw new Error(`${operation} is checked at a key's scope: pass keyName`);
      return keyScope(at.keyName);
    case "path":
      if (at.pathScope === undefined) throw new Error(`${operation} is checked at the request's scope: pass pathScope`);
      return at.pathScope;
  }
}
