import { TargetError, roleDefinitionId, roleDefinitionName, sameScope, type RoleAssignment } from "@keyward/shared";

/** The same grant: one principal, one role, one scope (the role compared by GUID, whatever id form was used). */
export function sameGrant(a: RoleAssignment, b: RoleAssignment): boolean {
  return a.principalId === b.principalId && sameScope(a.scope, b.scope) && roleDefinitionName(a.roleDefinitionId) === roleDefinitionName(b.roleDefinitionId);
}

/**
 * What a store does with `put(next)` given what it already holds under that name and for that grant:
 * the existing assignment when `next` repeats it exactly, otherwise a Conflict.
 */
export function resolvePut(next: RoleAssignment, byName: RoleAssignment | undefined, byGrant: RoleAssignment | undefined): RoleAssignment | undefined {
  if (byName) {
    if (sameGrant(byName, next)) return byName;
    throw new TargetError("Conflict", "A role assignment with this name exists and role assignments cannot be changed; delete it first.", "RoleAssignmentUpdateNotPermitted");
  }
  if (byGrant) {
    throw new TargetError("Conflict", `The role assignment already exists as '${byGrant.name}'.`, "RoleAssignmentExists");
  }
  return undefined;
}

/** One spelling per role (the full MHSM id), so every form of the same role id stores as one. */
export function canonicalRoleId(id: string): string {
  const name = roleDefinitionName(id);
  return name === undefined ? id : roleDefinitionId(name);
}
