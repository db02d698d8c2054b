import { describe, expect, it } from "vitest";
import { roleDefinitionId } from "@keyward/shared";
import { cachedRoleAssignments } from "./cached-store";
import { createMemoryRoleAssignmentStore } from "./memory-store";
import type { RoleAssignmentStore } from "./store";

const assignment = { name: "00000000-0000-4000-8000-000000000001", scope: "/" as const, principalId: "p1", roleDefinitionId: roleDefinitionId("21dbd100-6940-42c2-9190-5d6cb909625b") };

function counting(store: RoleAssignmentStore) {
  let reads = 0;
  return { store: { ...store, list: (f?: Parameters<RoleAssignmentStore["list"]>[0]) => (reads++, store.list(f)) }, reads: () => reads };
}

describe("cachedRoleAssignments", () => {
  it("reads the store once per ttl for the same filter", async () => {
    let now = 0;
    const inner = counting(createMemoryRoleAssignmentStore());
    const cached = cachedRoleAssignments(inner.store, 1000, () => now);
    await cached.list({ principalId: ["p1"] });
    await cached.list({ principalId: ["p1"] });
    expect(inner.reads()).toBe(1);
    now = 1001;
    await cached.list({ principalId: ["p1"] });
    expect(inner.reads()).toBe(2);
  });

  it("sees its own grants and revocations at once", async () => {
    const cached = cachedRoleAssignments(createMemoryRoleAssignmentStore(), 60_000, () => 0);
    expect(await cached.list({ principalId: ["p1"] })).toEqual([]);
    await cached.put(assignment);
    expect(await cached.list({ principalId: ["p1"] })).toHaveLength(1);
    await cached.delete(assignment.name);
    expect(await cached.list({ principalId: ["p1"] })).toEqual([]);
  });
});
