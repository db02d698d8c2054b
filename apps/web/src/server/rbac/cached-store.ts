import type { RoleAssignment } from "@keyward/shared";
import type { RoleAssignmentFilter, RoleAssignmentStore } from "./store";

/**
 * Role assignments read through a short-lived cache: every request checks access, and reading the
 * assignments from the database each time costs more than the operation itself. A change made through
 * this store clears the cache at once; a change made by another portal process is seen within `ttlMs`
 * (Azure's own RBAC takes minutes to propagate).
 */
export function cachedRoleAssignments(store: RoleAssignmentStore, ttlMs: number, now: () => number = Date.now): RoleAssignmentStore {
  const cache = new Map<string, { at: number; value: Promise<RoleAssignment[]> }>();
  return {
    async list(filter?: RoleAssignmentFilter) {
      const key = JSON.stringify(filter ?? {});
      const hit = cache.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = store.list(filter);
      cache.set(key, { at: now(), value });
      value.catch(() => cache.delete(key));
      return value;
    },
    get: (name) => store.get(name),
    async put(assignment) {
      cache.clear();
      try {
        return await store.put(assignment);
      } finally {
        cache.clear();
      }
    },
    async delete(name) {
      cache.clear();
      try {
        return await store.delete(name);
      } finally {
        cache.clear();
      }
    },
  };
}
