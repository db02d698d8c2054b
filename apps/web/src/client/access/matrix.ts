import { BUILT_IN_ROLES, DATA_ACTIONS, effectiveDataActions, findRole, scopeCovers, type DataAction, type PrincipalEntry, type RoleAssignment, type RoleScope } from "@keyward/shared";
import { actionSuffix, groupOf, type ActionGroup } from "./groups";

/** One row of the matrix: a principal, the roles that apply at the scope, and what they grant there. */
export interface MatrixRow {
  principal: PrincipalEntry;
  /** "Managed HSM Crypto User (/keys)": each applicable assignment's role and where it was made. */
  roles: { roleName: string; scope: RoleScope }[];
  granted: ReadonlySet<DataAction>;
}

export interface MatrixFilter {
  /** Matches a principal's name, sign-in name or id (case-insensitive substring). */
  principal: string;
  /** Matches a data action's suffix (`keys/sign`). */
  action: string;
  group: ActionGroup | "all";
  /** Hide principals holding none of the shown actions, and actions nobody shown holds. */
  onlyGranted: boolean;
}

export const NO_FILTER: MatrixFilter = { principal: "", action: "", group: "all", onlyGranted: false };

export interface Matrix {
  scope: RoleScope;
  rows: MatrixRow[];
  actions: DataAction[];
}

/** Principals the page knows of: the listed ones, then any id found only in an assignment. */
export function principalsOf(assignments: readonly RoleAssignment[], known: readonly PrincipalEntry[]): PrincipalEntry[] {
  const byId = new Map(known.map((p) => [p.id, p]));
  for (const a of assignments) if (!byId.has(a.principalId)) byId.set(a.principalId, { id: a.principalId, kind: "unknown" });
  return [...byId.values()];
}

/** Whether a principal's name, sign-in name or id contains `needle` (already trimmed and lower-cased). */
export function principalMatches(p: PrincipalEntry, needle: string): boolean {
  return !needle || [p.name, p.username, p.id].some((s) => s?.toLowerCase().includes(needle));
}

export function principalLabel(p: PrincipalEntry): string {
  return p.name ?? p.username ?? p.id;
}

/**
 * The matrix at `scope`, computed exactly as the server's authorizer decides (the shared
 * `effectiveDataActions` over the same assignments and built-in roles), then filtered.
 */
export function buildMatrix(assignments: readonly RoleAssignment[], principals: readonly PrincipalEntry[], scope: RoleScope, filter: MatrixFilter = NO_FILTER): Matrix {
  const needle = filter.principal.trim().toLowerCase();
  const actionNeedle = filter.action.trim().toLowerCase();
  let actions = DATA_ACTIONS.filter((a) => (filter.group === "all" || groupOf(a) === filter.group) && actionSuffix(a).toLowerCase().includes(actionNeedle));
  let rows = principalsOf(assignments, principals)
    .filter((p) => principalMatches(p, needle))
    .map((principal) => ({
      principal,
      roles: assignments
        .filter((a) => a.principalId === principal.id && scopeCovers(a.scope, scope))
        .map((a) => ({ roleName: findRole(BUILT_IN_ROLES, a.roleDefinitionId)?.roleName ?? a.roleDefinitionId, scope: a.scope })),
      granted: new Set(effectiveDataActions(assignments, principal.id, scope)),
    }));
  if (filter.onlyGranted) {
    rows = rows.filter((r) => actions.some((a) => r.granted.has(a)));
    actions = actions.filter((a) => rows.some((r) => r.granted.has(a)));
  }
  rows.sort((x, y) => principalLabel(x.principal).localeCompare(principalLabel(y.principal)) || x.principal.id.localeCompare(y.principal.id));
  return { scope, rows, actions };
}
