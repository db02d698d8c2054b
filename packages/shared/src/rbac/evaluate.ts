import { DATA_ACTIONS, type DataAction } from "./data-actions.js";
import { BUILT_IN_ROLES, findRole, type RoleDefinition } from "./roles.js";
import type { RoleAssignment } from "./assignments.js";
import { scopeCovers, type RoleScope } from "./scope.js";

/**
 * Who is asking: one principal id, or several when the caller also acts through groups (Entra's
 * `groups` claim) — an assignment to any of them counts.
 */
export type PrincipalIds = string | readonly string[];

/** A role's data-action pattern matches exactly, or as a prefix when it ends in `/*` (custom roles). */
function patternMatches(pattern: string, action: string): boolean {
  return pattern.endsWith("/*") ? action.startsWith(pattern.slice(0, -1)) : pattern === action;
}

function roleGrants(role: RoleDefinition, action: string): boolean {
  return role.dataActions.some((p) => patternMatches(p, action)) && !role.notDataActions.some((p) => patternMatches(p, action));
}

/** The roles that apply to these principals at this scope. An assignment to an unknown role grants nothing. */
function applicableRoles(
  assignments: readonly RoleAssignment[],
  principals: PrincipalIds,
  scope: RoleScope,
  roles: readonly RoleDefinition[],
): RoleDefinition[] {
  const ids: readonly string[] = typeof principals === "string" ? [principals] : principals;
  return assignments
    .filter((a) => ids.includes(a.principalId) && scopeCovers(a.scope, scope))
    .flatMap((a) => findRole(roles, a.roleDefinitionId) ?? []);
}

/**
 * Whether the principal may perform `action` at `scope`. Deny by default: only a matching assignment
 * grants, and a role's notDataActions subtract from its own grant (as in Azure RBAC, not across roles).
 */
export function isAllowed(
  assignments: readonly RoleAssignment[],
  principals: PrincipalIds,
  action: DataAction,
  scope: RoleScope,
  roles: readonly RoleDefinition[] = BUILT_IN_ROLES,
): boolean {
  return applicableRoles(assignments, principals, scope, roles).some((role) => roleGrants(role, action));
}

/** Every known data action the principal holds at `scope`, in `DATA_ACTIONS` order (the UI's matrix row). */
export function effectiveDataActions(
  assignments: readonly RoleAssignment[],
  principals: PrincipalIds,
  scope: RoleScope,
  roles: readonly RoleDefinition[] = BUILT_IN_ROLES,
): DataAction[] {
  const applicable = applicableRoles(assignments, principals, scope, roles);
  return DATA_ACTIONS.filter((action) => applicable.some((role) => roleGrants(role, action)));
}
