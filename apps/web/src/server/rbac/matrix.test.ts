import { BUILT_IN_ROLES, OPERATIONS, OPERATION_NAMES, TargetError, operationScope, roleDefinitionId, type OperationName, type RoleScope } from "@keyward/shared";
import { describe, expect, it } from "vitest";
import { createAuthorizer } from "./authorize";
import { createMemoryRoleAssignmentStore } from "./memory-store";

/**
 * Who may do what, written out by hand from facts §5.2 (the live service's role definitions, Restore from
 * the docs) — not derived from the code under test. The operation → data action table itself is checked
 * against the brief in packages/shared (rbac/operations.test.ts); here it only words the expected 403.
 * Roles: Admin, Officer, User (Crypto User), Policy, Auditor, SvcEnc, SvcRelease, Backup, Restore.
 */
const READERS = ["Admin", "Officer", "User", "Policy", "Auditor"];
const ROLE_MANAGERS = ["Admin", "Officer", "Policy"];
const EXPECTED: Record<OperationName, string[]> = {
  createKey: ["User"],
  importKey: ["User"],
  getKey: ["User", "Auditor", "SvcEnc"],
  getKeys: ["User", "Auditor", "SvcEnc"],
  getKeyVersions: ["User", "Auditor", "SvcEnc"],
  updateKey: ["User"],
  deleteKey: ["User"],
  getDeletedKeys: ["Officer", "Auditor"],
  getDeletedKey: ["Officer", "Auditor"],
  recoverDeletedKey: ["Officer"],
  purgeDeletedKey: ["Officer"],
  backupKey: ["User", "Backup"],
  restoreKey: ["User", "Restore"],
  rotateKey: ["User"],
  getKeyRotationPolicy: ["User", "Auditor", "SvcEnc"],
  updateKeyRotationPolicy: ["User"],
  release: ["User", "SvcRelease"],
  encrypt: ["User"],
  decrypt: ["User"],
  wrapKey: ["User", "SvcEnc"],
  unwrapKey: ["User", "SvcEnc"],
  sign: ["User"],
  verify: ["User"],
  getRandomBytes: ["User"],
  getRoleAssignment: READERS,
  listRoleAssignments: READERS,
  createRoleAssignment: ROLE_MANAGERS,
  deleteRoleAssignment: ROLE_MANAGERS,
  getRoleDefinition: READERS,
  listRoleDefinitions: READERS,
  downloadSecurityDomain: ["Admin"],
  getSecurityDomainDownloadStatus: ["Admin"],
  getTransferKey: ["Admin"],
  uploadSecurityDomain: ["Admin"],
  getSecurityDomainUploadStatus: ["Admin"],
};

const ROLE_IDS: Record<string, string> = {
  Admin: "a290e904-7015-4bba-90c8-60543313cdb4",
  Officer: "515eb02d-2335-4d2d-92f2-b1cbdf9c3778",
  User: "21dbd100-6940-42c2-9190-5d6cb909625b",
  Policy: "4bd23610-cdcf-4971-bdee-bdc562cc28e4",
  Auditor: "2c18b078-7c48-4d3a-af88-5a3a1b3f82b3",
  SvcEnc: "33413926-3206-4cdd-b39a-83574fe37a17",
  SvcRelease: "21dbd100-6940-42c2-9190-5d6cb909625c",
  Backup: "7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8",
  Restore: "6efe6056-5259-49d2-8b3d-d3d73544b20b",
};


const principalOf = (role: string) => `principal-${role}`;

const assignments = Object.entries(ROLE_IDS).map(([role, id], i) => ({
  name: `00000000-0000-0000-0000-${String(i + 1).padStart(12, "0")}`,
  scope: "/" as const,
  principalId: principalOf(role),
  roleDefinitionId: roleDefinitionId(id),
}));
const authorizer = createAuthorizer(createMemoryRoleAssignmentStore(assignments));

const scopeOf = (op: OperationName): RoleScope => operationScope(op, { keyName: "k1", pathScope: "/" });

describe("the role × operation matrix (facts §5.2)", () => {
  it("covers every operation the target serves and every built-in role", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...OPERATION_NAMES].sort());
    expect(Object.values(ROLE_IDS).sort()).toEqual(BUILT_IN_ROLES.map((r) => r.name).sort());
  });

  const cases = OPERATION_NAMES.flatMap((operation) =>
    Object.keys(ROLE_IDS).map((role) => ({ role, operation, allowed: EXPECTED[operation].includes(role) })),
  );

  it.each(cases)("$role × $operation → $allowed", async ({ role, operation, allowed }) => {
    const caller = { id: principalOf(role) };
    const scope = scopeOf(operation);
    if (allowed) {
      await expect(authorizer.authorize(caller, operation, scope)).resolves.toBeUndefined();
      return;
    }
    const err = await authorizer.authorize(caller, operation, scope).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetError);
    const te = err as TargetError;
    expect(te.status).toBe(403);
    expect(te.toBody()).toEqual({
      error: {
        code: "Forbidden",
        message: `The user, group or application '${principalOf(role)}' does not have ${OPERATIONS[operation]} permission on scope '${scope}'.`,
      },
    });
  });

  it("someone with no assignment is refused everything", async () => {
    for (const op of OPERATION_NAMES) expect(await authorizer.can({ id: "stranger" }, op, scopeOf(op))).toBe(false);
  });
});

describe("scopes", () => {
  const store = createMemoryRoleAssignmentStore([
    { name: "10000000-0000-0000-0000-000000000001", scope: "/keys/a", principalId: "alice", roleDefinitionId: roleDefinitionId(ROLE_IDS.User!) },
    { name: "10000000-0000-0000-0000-000000000002", scope: "/", principalId: "root", roleDefinitionId: roleDefinitionId(ROLE_IDS.User!) },
    { name: "10000000-0000-0000-0000-000000000003", scope: "/keys", principalId: "keys-wide", roleDefinitionId: roleDefinitionId(ROLE_IDS.User!) },
    { name: "10000000-0000-0000-0000-000000000004", scope: "/keys/b", principalId: "team", roleDefinitionId: roleDefinitionId(ROLE_IDS.User!) },
  ]);
  const az = createAuthorizer(store);

  it("an assignment at /keys/a allows key a, not key b", async () => {
    await expect(az.authorize({ id: "alice" }, "sign", "/keys/a")).resolves.toBeUndefined();
    await expect(az.authorize({ id: "alice" }, "sign", "/keys/b")).rejects.toMatchObject({ code: "Forbidden" });
  });

  it("an assignment at /keys/a does not allow listing keys nor HSM-wide operations", async () => {
    await expect(az.authorize({ id: "alice" }, "getKeys", "/keys")).rejects.toMatchObject({ code: "Forbidden" });
    await expect(az.authorize({ id: "alice" }, "getRandomBytes", "/")).rejects.toMatchObject({ code: "Forbidden" });
  });

  it("an assignment at / or /keys allows every key", async () => {
    for (const id of ["root", "keys-wide"]) {
      for (const key of ["/keys/a", "/keys/b", "/keys/zzz"] as const) await expect(az.authorize({ id }, "sign", key)).resolves.toBeUndefined();
      await expect(az.authorize({ id }, "getKeys", "/keys")).resolves.toBeUndefined();
    }
  });

  it("an assignment to a group applies to its members", async () => {
    await expect(az.authorize({ id: "bob", groups: ["team"] }, "sign", "/keys/b")).resolves.toBeUndefined();
    await expect(az.authorize({ id: "bob" }, "sign", "/keys/b")).rejects.toMatchObject({ code: "Forbidden" });
  });

  it("reports the effective data actions at a scope", async () => {
    expect(await az.dataActions({ id: "alice" }, "/keys/b")).toEqual([]);
    expect(await az.dataActions({ id: "alice" }, "/keys/a")).toContain("Microsoft.KeyVault/managedHsm/keys/sign/action");
  });
});
