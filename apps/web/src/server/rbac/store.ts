import type { RoleAssignment, RoleScope } from "@keyward/shared";

export interface RoleAssignmentFilter {
  /** Only assignments made at exactly this scope (`/` and `/keys` are the same HSM-wide scope). */
  scope?: RoleScope;
  /** Only assignments to this principal, or to any of these (a user and their groups). */
  principalId?: string | readonly string[];
}

/**
 * Where role assignments live. The SQL implementation plugs into the portal's shared Db; the in-memory
 * one serves tests. Semantics both keep:
 * - names are unique across the HSM (lower-case GUIDs);
 * - `put` of an identical assignment under the same name is idempotent and returns it;
 * - `put` of a different assignment under an existing name, or of the same principal + role + scope
 *   under another name, throws TargetError Conflict (Azure: assignments are immutable, and unique);
 * - `delete` returns what it removed, or undefined.
 */
export interface RoleAssignmentStore {
  list(filter?: RoleAssignmentFilter): Promise<RoleAssignment[]>;
  get(name: string): Promise<RoleAssignment | undefined>;
  put(assignment: RoleAssignment): Promise<RoleAssignment>;
  delete(name: string): Promise<RoleAssignment | undefined>;
}
