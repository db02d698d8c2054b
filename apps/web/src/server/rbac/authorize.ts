import {
  BUILT_IN_ROLES,
  OPERATIONS,
  TargetError,
  effectiveDataActions,
  isAllowed,
  type DataAction,
  type OperationName,
  type RoleDefinition,
  type RoleScope,
} from "@keyward/shared";
import type { RoleAssignmentStore } from "./store";

/** The part of a principal access control looks at (auth's Principal satisfies it). */
export interface Caller {
  id: string;
  groups?: readonly string[];
}

export interface Authorizer {
  /** Resolves if the caller may perform `operation` at `scope`; otherwise throws TargetError Forbidden (403). */
  authorize(caller: Caller, operation: OperationName, scope: RoleScope): Promise<void>;
  /** The same decision as a boolean (for the UI's "can I?" questions). */
  can(caller: Caller, operation: OperationName, scope: RoleScope): Promise<boolean>;
  /** The caller's data actions at `scope` (the access matrix row). */
  dataActions(caller: Caller, scope: RoleScope): Promise<DataAction[]>;
}

/** Azure's wording for a denied data action, naming who, what and where. */
export function forbidden(principalId: string, action: DataAction, scope: RoleScope): TargetError {
  return new TargetError("Forbidden", `The user, group or application '${principalId}' does not have ${action} permission on scope '${scope}'.`);
}

const idsOf = (caller: Caller): string[] => [caller.id, ...(caller.groups ?? [])];

/**
 * The one access check every route goes through: the caller's assignments (their own and their groups')
 * are read fresh per request — a revoked role stops working at once — and evaluated by the shared, pure
 * `isAllowed`. Deny by default.
 */
export function createAuthorizer(store: RoleAssignmentStore, roles: readonly RoleDefinition[] = BUILT_IN_ROLES): Authorizer {
  const can = async (caller: Caller, operation: OperationName, scope: RoleScope) => {
    const ids = idsOf(caller);
    const assignments = await store.list({ principalId: ids });
    return isAllowed(assignments, ids, OPERATIONS[operation], scope, roles);
  };
  return {
    can,
    async authorize(caller, operation, scope) {
      if (!(await can(caller, operation, scope))) throw forbidden(caller.id, OPERATIONS[operation], scope);
    },
    async dataActions(caller, scope) {
      const ids = idsOf(caller);
      return effectiveDataActions(await store.list({ principalId: ids }), ids, scope, roles);
    },
  };
}
