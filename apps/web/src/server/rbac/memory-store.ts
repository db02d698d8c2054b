import { sameScope, type RoleAssignment } from "@keyward/shared";
import { canonicalRoleId, resolvePut, sameGrant } from "./conflicts";
import type { RoleAssignmentFilter, RoleAssignmentStore } from "./store";

export function matchesFilter(a: RoleAssignment, filter: RoleAssignmentFilter): boolean {
  const ids = filter.principalId === undefined ? undefined : typeof filter.principalId === "string" ? [filter.principalId] : filter.principalId;
  return (filter.scope === undefined || sameScope(a.scope, filter.scope)) && (ids === undefined || ids.includes(a.principalId));
}

/** Role assignments in a Map: for tests, and for a portal run without a database. */
export function createMemoryRoleAssignmentStore(initial: readonly RoleAssignment[] = []): RoleAssignmentStore {
  const byName = new Map<string, RoleAssignment>(initial.map((a) => [a.name, { ...a }]));
  return {
    async list(filter = {}) {
      return [...byName.values()].filter((a) => matchesFilter(a, filter)).map((a) => ({ ...a }));
    },
    async get(name) {
      const a = byName.get(name.toLowerCase());
      return a && { ...a };
    },
    async put(assignment) {
      const next = { ...assignment, name: assignment.name.toLowerCase(), roleDefinitionId: canonicalRoleId(assignment.roleDefinitionId) };
      const existing = resolvePut(next, byName.get(next.name), [...byName.values()].find((a) => sameGrant(a, next)));
      if (existing) return { ...existing };
      byName.set(next.name, next);
      return { ...next };
    },
    async delete(name) {
      const key = name.toLowerCase();
      const a = byName.get(key);
      byName.delete(key);
      return a;
    },
  };
}
