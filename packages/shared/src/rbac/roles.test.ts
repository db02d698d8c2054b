import { describe, expect, it } from "vitest";
import { DATA_ACTIONS, MHSM_DATA_ACTION_PREFIX } from "./data-actions.js";
import { BUILT_IN_ROLES, findRole, roleDefinitionName, roleDefinitionToWire } from "./roles.js";

/**
 * Facts §5.2 "Matrix", typed in by hand from the reference — deliberately not derived from roles.ts.
 * Columns: Admin, CryptoOfficer, CryptoUser, PolicyAdmin, Auditor, SvcEncryption, SvcRelease, Backup, Restore.
 */
const COLUMNS = [
  "Managed HSM Administrator",
  "Managed HSM Crypto Officer",
  "Managed HSM Crypto User",
  "Managed HSM Policy Administrator",
  "Managed HSM Crypto Auditor",
  "Managed HSM Crypto Service Encryption User",
  "Managed HSM Crypto Service Release User",
  "Managed HSM Backup User",
  "Managed HSM Restore",
] as const;

const MATRIX: Record<string, string> = {
  "securitydomain/download/action": "X........",
  "securitydomain/download/read": "X........",
  "securitydomain/upload/action": "X........",
  "securitydomain/upload/read": "X........",
  "securitydomain/transferkey/read": "X........",
  "backup/start/action": "X......X.",
  "backup/status/action": "X......X.",
  "restore/start/action": "X.......X",
  "restore/status/action": "X.......X",
  "settings/read/action": "X........",
  "settings/write/action": "X........",
  "roleAssignments/read/action": "XXXXX....",
  "roleDefinitions/read/action": "XXXXX....",
  "roleAssignments/write/action": "XX.X.....",
  "roleAssignments/delete/action": "XX.X.....",
  "roleDefinitions/write/action": "XX.X.....",
  "roleDefinitions/delete/action": "XX.X.....",
  "keys/read/action": "..X.XX...",
  "keys/write/action": "..X......",
  "keys/create": "..X......",
  "keys/delete": "..X......",
  "keys/import/action": "..X......",
  "keys/rotate/action": "..X......",
  "keys/encrypt/action": "..X......",
  "keys/decrypt/action": "..X......",
  "keys/sign/action": "..X......",
  "keys/verify/action": "..X......",
  "keys/derive/action": "..X......",
  "keys/wrap/action": "..X..X...",
  "keys/unwrap/action": "..X..X...",
  "keys/release/action": "..X...X..",
  "keys/backup/action": "..X....X.",
  "keys/restore/action": "..X.....X",
  "keys/deletedKeys/read/action": ".X..X....",
  "keys/deletedKeys/recover/action": ".X.......",
  "keys/deletedKeys/delete": ".X.......",
  "keys/export/action": ".X.......",
  "rng/action": "..X......",
};

const IDS: Record<(typeof COLUMNS)[number], string> = {
  "Managed HSM Administrator": "a290e904-7015-4bba-90c8-60543313cdb4",
  "Managed HSM Crypto Officer": "515eb02d-2335-4d2d-92f2-b1cbdf9c3778",
  "Managed HSM Crypto User": "21dbd100-6940-42c2-9190-5d6cb909625b",
  "Managed HSM Policy Administrator": "4bd23610-cdcf-4971-bdee-bdc562cc28e4",
  "Managed HSM Crypto Auditor": "2c18b078-7c48-4d3a-af88-5a3a1b3f82b3",
  "Managed HSM Crypto Service Encryption User": "33413926-3206-4cdd-b39a-83574fe37a17",
  "Managed HSM Crypto Service Release User": "21dbd100-6940-42c2-9190-5d6cb909625c",
  "Managed HSM Backup User": "7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8",
  "Managed HSM Restore": "6efe6056-5259-49d2-8b3d-d3d73544b20b",
};

describe("built-in roles", () => {
  it("are the nine of facts §5.2, by id and service name", () => {
    expect(BUILT_IN_ROLES.map((r) => [r.roleName, r.name])).toEqual(COLUMNS.map((c) => [c, IDS[c]]));
  });

  it("the matrix covers every data action exactly once", () => {
    expect(Object.keys(MATRIX).sort()).toEqual(DATA_ACTIONS.map((a) => a.slice(MHSM_DATA_ACTION_PREFIX.length)).sort());
  });

  const cases = Object.entries(MATRIX).flatMap(([action, row]) =>
    COLUMNS.map((roleName, i) => ({ action, roleName, granted: row[i] === "X" })),
  );
  it.each(cases)("$roleName × $action → $granted", ({ action, roleName, granted }) => {
    const role = BUILT_IN_ROLES.find((r) => r.roleName === roleName)!;
    expect(role.dataActions.includes(`${MHSM_DATA_ACTION_PREFIX}${action}`)).toBe(granted);
  });

  it("grant nothing beyond the matrix and nothing twice", () => {
    for (const role of BUILT_IN_ROLES) {
      const col = (COLUMNS as readonly string[]).indexOf(role.roleName);
      const expected = Object.entries(MATRIX).filter(([, row]) => row[col] === "X").length;
      expect(new Set(role.dataActions).size).toBe(role.dataActions.length);
      expect(role.dataActions.length).toBe(expected);
    }
  });

  it("serialize as the service does", () => {
    const wire = roleDefinitionToWire(BUILT_IN_ROLES[7]);
    expect(wire).toEqual({
      id: "Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8",
      name: "7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8",
      type: "Microsoft.Authorization/roleDefinitions",
      properties: {
        roleName: "Managed HSM Backup User",
        description: "",
        type: "AKVBuiltInRole",
        permissions: [
          {
            actions: [],
            notActions: [],
            dataActions: [
              "Microsoft.KeyVault/managedHsm/backup/start/action",
              "Microsoft.KeyVault/managedHsm/backup/status/action",
              "Microsoft.KeyVault/managedHsm/keys/backup/action",
            ],
            notDataActions: [],
          },
        ],
        assignableScopes: ["/"],
      },
    });
  });
});

describe("role definition ids", () => {
  const guid = "21dbd100-6940-42c2-9190-5d6cb909625b";
  it.each([
    `Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    `/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    guid,
    guid.toUpperCase(),
  ])("accepts %s", (id) => {
    expect(roleDefinitionName(id)).toBe(guid);
    expect(findRole(BUILT_IN_ROLES, id)?.roleName).toBe("Managed HSM Crypto User");
  });

  it.each(["", "not-a-guid", `/subscriptions/x/roleAssignments/${guid}`, `${guid}/extra`])("refuses %s", (id) => {
    expect(roleDefinitionName(id)).toBeUndefined();
  });

  it("an unknown GUID finds no role", () => {
    expect(findRole(BUILT_IN_ROLES, "00000000-0000-0000-0000-000000000000")).toBeUndefined();
  });
});
