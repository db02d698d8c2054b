import { describe, expect, it } from "vitest";
import type { RoleAssignment } from "./assignments.js";
import { dataAction } from "./data-actions.js";
import { effectiveDataActions, isAllowed } from "./evaluate.js";
import { BUILT_IN_ROLES, BUILT_IN_ROLE_IDS, roleDefinitionId, type RoleDefinition } from "./roles.js";
import type { RoleScope } from "./scope.js";

const P = "11111111-1111-1111-1111-111111111111";
const OTHER = "22222222-2222-2222-2222-222222222222";
const GROUP = "33333333-3333-3333-3333-333333333333";

let n = 0;
function assign(principalId: string, role: string, scope: RoleScope): RoleAssignment {
  n += 1;
  return { name: `00000000-0000-0000-0000-${String(n).padStart(12, "0")}`, scope, principalId, roleDefinitionId: roleDefinitionId(role) };
}

const sign = dataAction("keys/sign/action");

describe("isAllowed", () => {
  it("denies with no assignments", () => {
    expect(isAllowed([], P, sign, "/keys/a")).toBe(false);
  });

  it("an assignment at / allows every key and the HSM", () => {
    const a = [assign(P, BUILT_IN_ROLE_IDS.cryptoUser, "/")];
    expect(isAllowed(a, P, sign, "/keys/a")).toBe(true);
    expect(isAllowed(a, P, sign, "/keys/b")).toBe(true);
    expect(isAllowed(a, P, dataAction("rng/action"), "/")).toBe(true);
    expect(isAllowed(a, P, dataAction("keys/read/action"), "/keys")).toBe(true);
  });

  it("an assignment at /keys is HSM-wide too", () => {
    const a = [assign(P, BUILT_IN_ROLE_IDS.cryptoUser, "/keys")];
    expect(isAllowed(a, P, sign, "/keys/b")).toBe(true);
    expect(isAllowed(a, P, dataAction("rng/action"), "/")).toBe(true);
  });

  it("an assignment at /keys/a allows key a (all versions), not key b, not listing", () => {
    const a = [assign(P, BUILT_IN_ROLE_IDS.cryptoUser, "/keys/a")];
    expect(isAllowed(a, P, sign, "/keys/a")).toBe(true);
    expect(isAllowed(a, P, sign, "/keys/b")).toBe(false);
    expect(isAllowed(a, P, dataAction("keys/read/action"), "/keys")).toBe(false);
    expect(isAllowed(a, P, dataAction("rng/action"), "/")).toBe(false);
  });

  it("another principal's assignment grants nothing", () => {
    expect(isAllowed([assign(OTHER, BUILT_IN_ROLE_IDS.cryptoUser, "/")], P, sign, "/keys/a")).toBe(false);
  });

  it("a role without the action grants nothing", () => {
    expect(isAllowed([assign(P, BUILT_IN_ROLE_IDS.administrator, "/")], P, sign, "/keys/a")).toBe(false);
  });

  it("an assignment to an unknown role grants nothing", () => {
    expect(isAllowed([assign(P, "99999999-9999-9999-9999-999999999999", "/")], P, sign, "/keys/a")).toBe(false);
  });

  it("an assignment to one of the caller's groups counts", () => {
    const a = [assign(GROUP, BUILT_IN_ROLE_IDS.cryptoUser, "/")];
    expect(isAllowed(a, [P, GROUP], sign, "/keys/a")).toBe(true);
    expect(isAllowed(a, [P], sign, "/keys/a")).toBe(false);
  });

  it("custom roles: a /* wildcard grants by prefix and notDataActions subtract", () => {
    const custom: RoleDefinition = {
      name: "44444444-4444-4444-4444-444444444444",
      roleName: "Key reader and signer",
      description: "",
      type: "CustomRole",
      dataActions: ["Microsoft.KeyVault/managedHsm/keys/*"],
      notDataActions: [dataAction("keys/delete")],
      assignableScopes: ["/"],
    };
    const roles = [...BUILT_IN_ROLES, custom];
    const a = [assign(P, custom.name, "/")];
    expect(isAllowed(a, P, sign, "/keys/a", roles)).toBe(true);
    expect(isAllowed(a, P, dataAction("keys/delete"), "/keys/a", roles)).toBe(false);
    expect(isAllowed(a, P, dataAction("rng/action"), "/", roles)).toBe(false);
  });
});

describe("effectiveDataActions", () => {
  it("unions the roles that apply at the scope", () => {
    const a = [assign(P, BUILT_IN_ROLE_IDS.cryptoAuditor, "/"), assign(P, BUILT_IN_ROLE_IDS.cryptoServiceReleaseUser, "/keys/a")];
    const prefix = "Microsoft.KeyVault/managedHsm/";
    expect(effectiveDataActions(a, P, "/keys/a").map((x) => x.slice(prefix.length))).toEqual([
      "keys/read/action",
      "keys/release/action",
      "keys/deletedKeys/read/action",
      "roleAssignments/read/action",
      "roleDefinitions/read/action",
    ]);
    expect(effectiveDataActions(a, P, "/keys/b")).not.toContain(dataAction("keys/release/action"));
    expect(effectiveDataActions([], P, "/")).toEqual([]);
  });
});
