import { describe, expect, it } from "vitest";
import { OPERATIONS, OPERATION_NAMES, OPERATION_SCOPE, operationScope } from "./operations.js";

/** The brief's table (operation → data action without prefix), written independently of operations.ts. */
const EXPECTED: Record<string, string> = {
  createKey: "keys/create",
  importKey: "keys/import/action",
  getKey: "keys/read/action",
  getKeys: "keys/read/action",
  getKeyVersions: "keys/read/action",
  updateKey: "keys/write/action",
  deleteKey: "keys/delete",
  getDeletedKeys: "keys/deletedKeys/read/action",
  getDeletedKey: "keys/deletedKeys/read/action",
  recoverDeletedKey: "keys/deletedKeys/recover/action",
  purgeDeletedKey: "keys/deletedKeys/delete",
  backupKey: "keys/backup/action",
  restoreKey: "keys/restore/action",
  rotateKey: "keys/rotate/action",
  getKeyRotationPolicy: "keys/read/action",
  updateKeyRotationPolicy: "keys/write/action",
  release: "keys/release/action",
  encrypt: "keys/encrypt/action",
  decrypt: "keys/decrypt/action",
  wrapKey: "keys/wrap/action",
  unwrapKey: "keys/unwrap/action",
  sign: "keys/sign/action",
  verify: "keys/verify/action",
  getRandomBytes: "rng/action",
  getRoleAssignment: "roleAssignments/read/action",
  listRoleAssignments: "roleAssignments/read/action",
  createRoleAssignment: "roleAssignments/write/action",
  deleteRoleAssignment: "roleAssignments/delete/action",
  getRoleDefinition: "roleDefinitions/read/action",
  listRoleDefinitions: "roleDefinitions/read/action",
  downloadSecurityDomain: "securitydomain/download/action",
  getSecurityDomainDownloadStatus: "securitydomain/download/read",
  getTransferKey: "securitydomain/transferkey/read",
  uploadSecurityDomain: "securitydomain/upload/action",
  getSecurityDomainUploadStatus: "securitydomain/upload/read",
};

describe("OPERATIONS", () => {
  it("maps each served operation to its data action", () => {
    expect(Object.fromEntries(OPERATION_NAMES.map((op) => [op, OPERATIONS[op].replace("Microsoft.KeyVault/managedHsm/", "")]))).toEqual(EXPECTED);
  });

  it("has a scope kind for every operation", () => {
    expect(Object.keys(OPERATION_SCOPE).sort()).toEqual([...OPERATION_NAMES].sort());
  });
});

describe("operationScope", () => {
  it("checks key operations at the key, lists and restore at /keys, rng and the security domain at /", () => {
    expect(operationScope("sign", { keyName: "k1" })).toBe("/keys/k1");
    expect(operationScope("getKeys")).toBe("/keys");
    expect(operationScope("restoreKey")).toBe("/keys");
    expect(operationScope("getRandomBytes")).toBe("/");
    expect(operationScope("downloadSecurityDomain")).toBe("/");
    expect(operationScope("createRoleAssignment", { pathScope: "/keys/k1" })).toBe("/keys/k1");
  });

  it("throws when the router forgets what a scope needs", () => {
    expect(() => operationScope("sign")).toThrow(/keyName/);
    expect(() => operationScope("listRoleAssignments")).toThrow(/pathScope/);
  });
});
