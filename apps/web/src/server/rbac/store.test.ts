import { PGlite } from "@electric-sql/pglite";
import { TargetError, roleDefinitionId, type RoleAssignment } from "@keyward/shared";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMemoryRoleAssignmentStore } from "./memory-store";
import { ROLE_ASSIGNMENTS_SQL, createSqlRoleAssignmentStore } from "./sql-store";
import type { RoleAssignmentStore } from "./store";

const USER = "21dbd100-6940-42c2-9190-5d6cb909625b";
const AUDITOR = "2c18b078-7c48-4d3a-af88-5a3a1b3f82b3";
const a = (n: number, over: Partial<RoleAssignment> = {}): RoleAssignment => ({
  name: `aaaaaaaa-0000-0000-0000-${String(n).padStart(12, "0")}`,
  scope: "/",
  principalId: "p1",
  roleDefinitionId: roleDefinitionId(USER),
  ...over,
});

let pg: PGlite;
beforeAll(async () => {
  pg = await PGlite.create();
  await pg.exec(ROLE_ASSIGNMENTS_SQL);
});
afterAll(() => pg.close());

const stores: [string, () => Promise<RoleAssignmentStore>][] = [
  ["memory", async () => createMemoryRoleAssignmentStore()],
  [
    "SQL (PGlite)",
    async () => {
      await pg.exec("DELETE FROM role_assignments");
      return createSqlRoleAssignmentStore(pg);
    },
  ],
];

describe.each(stores)("RoleAssignmentStore: %s", (_, make) => {
  let store: RoleAssignmentStore;
  beforeEach(async () => {
    store = await make();
  });

  it("puts, gets, lists and deletes", async () => {
    expect(await store.put(a(1))).toEqual(a(1));
    expect(await store.get(a(1).name)).toEqual(a(1));
    expect(await store.get(a(1).name.toUpperCase())).toEqual(a(1));
    expect(await store.list()).toEqual([a(1)]);
    expect(await store.delete(a(1).name)).toEqual(a(1));
    expect(await store.get(a(1).name)).toBeUndefined();
    expect(await store.delete(a(1).name)).toBeUndefined();
  });

  it("stores the role id in its full form, whatever form it was given in", async () => {
    expect((await store.put(a(1, { roleDefinitionId: USER }))).roleDefinitionId).toBe(roleDefinitionId(USER));
  });

  it("filters by scope (HSM-wide scopes are one; key names fold case) and by principal(s)", async () => {
    await store.put(a(1, { scope: "/" }));
    await store.put(a(2, { scope: "/keys", principalId: "p2" }));
    await store.put(a(3, { scope: "/keys/Signing", principalId: "p3" }));
    const names = (xs: RoleAssignment[]) => xs.map((x) => x.name.slice(-1)).sort();
    expect(names(await store.list({ scope: "/" }))).toEqual(["1", "2"]);
    expect(names(await store.list({ scope: "/keys/signing" }))).toEqual(["3"]);
    expect(names(await store.list({ principalId: "p2" }))).toEqual(["2"]);
    expect(names(await store.list({ principalId: ["p1", "p3"] }))).toEqual(["1", "3"]);
    expect(names(await store.list({ principalId: [] }))).toEqual([]);
    expect(names(await store.list({ scope: "/", principalId: "p3" }))).toEqual([]);
  });

  it("is idempotent for the identical assignment under the same name", async () => {
    await store.put(a(1));
    expect(await store.put(a(1))).toEqual(a(1));
    expect(await store.list()).toHaveLength(1);
  });

  const conflict = async (p: Promise<unknown>, inner: string) => {
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetError);
    expect([(err as TargetError).status, (err as TargetError).code, (err as TargetError).inner]).toEqual([409, "Conflict", inner]);
  };

  it("refuses to change an existing assignment (409)", async () => {
    await store.put(a(1));
    await conflict(store.put(a(1, { roleDefinitionId: roleDefinitionId(AUDITOR) })), "RoleAssignmentUpdateNotPermitted");
    await conflict(store.put(a(1, { scope: "/keys/x" })), "RoleAssignmentUpdateNotPermitted");
  });

  it("refuses the same grant under a second name (409), also across /, /keys and name case", async () => {
    await store.put(a(1, { scope: "/keys/Signing" }));
    await conflict(store.put(a(2, { scope: "/keys/signing" })), "RoleAssignmentExists");
    await store.put(a(3, { scope: "/" }));
    await conflict(store.put(a(4, { scope: "/keys" })), "RoleAssignmentExists");
    expect(await store.list()).toHaveLength(2);
  });
});

describe("the SQL schema", () => {
  it.each([
    ["a name that is not a lower-case GUID", "('NOT-A-GUID', '/', '/', 'p', 'r')"],
    ["a scope that is not one", "('aaaaaaaa-0000-0000-0000-000000000009', '/secrets', '/secrets', 'p', 'r')"],
    ["a folded scope that disagrees with the scope", "('aaaaaaaa-0000-0000-0000-000000000009', '/keys/A', '/keys/A', 'p', 'r')"],
  ])("refuses %s", async (_, values) => {
    await expect(pg.query(`INSERT INTO role_assignments (name, scope, scope_folded, principal_id, role_definition_id) VALUES ${values}`)).rejects.toThrow();
  });
});
