import { TargetError, roleDefinitionId } from "@keyward/shared";
import { beforeEach, describe, expect, it } from "vitest";
import { createAuthorizer } from "./authorize";
import { createMemoryRoleAssignmentStore } from "./memory-store";
import { matchRbacRoute } from "./routes";
import type { RoleAssignmentStore } from "./store";

const HOST = "https://hsm.test";
const ADMIN = "a290e904-7015-4bba-90c8-60543313cdb4";
const USER = "21dbd100-6940-42c2-9190-5d6cb909625b";
const AUDITOR = "2c18b078-7c48-4d3a-af88-5a3a1b3f82b3";
const N1 = "1a53457b-e855-469a-8bc6-3b5f450396b3";
const N2 = "e64687c6-9920-45c3-aeac-91380893591c";

let store: RoleAssignmentStore;

/** What the router does, in miniature: match → authorize the operation at the scope → run; errors → Azure's body. */
async function send(caller: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const req = new Request(`${HOST}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }) });
  try {
    const route = matchRbacRoute(req, { store });
    if (!route) return { status: 404, body: null };
    await createAuthorizer(store).authorize({ id: caller }, route.operation, route.scope);
    const res = await route.run(req);
    return { status: res.status, body: await res.json() };
  } catch (err) {
    if (err instanceof TargetError) return { status: err.status, body: err.toBody() };
    throw err;
  }
}

const create = (roleId: string, principalId: string) => ({ properties: { roleDefinitionId: roleDefinitionId(roleId), principalId } });

beforeEach(() => {
  store = createMemoryRoleAssignmentStore([{ name: "00000000-0000-0000-0000-00000000000a", scope: "/", principalId: "admin", roleDefinitionId: roleDefinitionId(ADMIN) }]);
});

describe("roleAssignments", () => {
  it("PUT creates (201) in the service's shape, GET reads it, DELETE returns it (200), then 404", async () => {
    const put = await send("admin", "PUT", `///providers/Microsoft.Authorization/roleAssignments/${N1}?api-version=7.6`, create(AUDITOR, "p-9"));
    const expected = {
      id: `/providers/Microsoft.Authorization/roleAssignments/${N1}`,
      name: N1,
      type: "Microsoft.Authorization/roleAssignments",
      properties: { scope: "/", roleDefinitionId: `Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/${AUDITOR}`, principalId: "p-9" },
    };
    expect(put).toEqual({ status: 201, body: expected });
    expect(await send("admin", "GET", `///providers/Microsoft.Authorization/roleAssignments/${N1}`)).toEqual({ status: 200, body: expected });
    expect(await send("admin", "DELETE", `///providers/Microsoft.Authorization/roleAssignments/${N1}`)).toEqual({ status: 200, body: expected });
    expect(await send("admin", "GET", `///providers/Microsoft.Authorization/roleAssignments/${N1}`)).toEqual({
      status: 404,
      body: { error: { code: "NotFound", message: "Requested role assignment not found.", innererror: { code: "RoleAssignmentNotFound" } } },
    });
  });

  it("creates at a key scope, with the id under that scope", async () => {
    const put = await send("admin", "PUT", `//keys/k1/providers/Microsoft.Authorization/roleAssignments/${N1}`, create(USER, "p-9"));
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ id: `/keys/k1/providers/Microsoft.Authorization/roleAssignments/${N1}`, properties: { scope: "/keys/k1" } });
    // Addressed under another scope, it does not exist.
    expect((await send("admin", "GET", `/providers/Microsoft.Authorization/roleAssignments/${N1}`)).status).toBe(404);
  });

  it("lists: everything at /, atScope() only what applies there, principalId eq filters", async () => {
    await send("admin", "PUT", `/keys/k1/providers/Microsoft.Authorization/roleAssignments/${N1}`, create(USER, "p-1"));
    await send("admin", "PUT", `/providers/Microsoft.Authorization/roleAssignments/${N2}`, create(AUDITOR, "p-2"));
    const names = async (path: string) => ((await send("admin", "GET", path)).body as { value: { name: string }[] }).value.map((v) => v.name).sort();
    const base = "/providers/Microsoft.Authorization/roleAssignments";
    expect(await names(base)).toEqual(["00000000-0000-0000-0000-00000000000a", N1, N2].sort());
    expect(await names(`${base}?$filter=${encodeURIComponent("atScope()")}`)).toEqual(["00000000-0000-0000-0000-00000000000a", N2].sort());
    expect(await names(`${base}?$filter=${encodeURIComponent("principalId eq 'p-1'")}`)).toEqual([N1]);
    expect(await names(`/keys/k1${base}?$filter=${encodeURIComponent("atScope() and principalId eq 'p-1'")}`)).toEqual([N1]);
    expect(await names(`/keys/k2${base}`)).toEqual(["00000000-0000-0000-0000-00000000000a", N2].sort());
  });

  it.each([
    ["an unsupported $filter", "GET", `/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent("roleName eq 'x'")}`, undefined, 400, "BadParameter"],
    ["a name that is not a GUID", "PUT", "/providers/Microsoft.Authorization/roleAssignments/not-a-guid", create(USER, "p"), 400, "BadParameter"],
    ["an unknown role", "PUT", `/providers/Microsoft.Authorization/roleAssignments/${N1}`, create("99999999-9999-9999-9999-999999999999", "p"), 400, "BadParameter"],
    ["a body without properties", "PUT", `/providers/Microsoft.Authorization/roleAssignments/${N1}`, { principalId: "p" }, 400, "BadParameter"],
    ["an invalid scope", "GET", "/secrets/providers/Microsoft.Authorization/roleAssignments", undefined, 400, "BadParameter"],
    ["PATCH", "PATCH", `/providers/Microsoft.Authorization/roleAssignments/${N1}`, {}, 405, "MethodNotAllowed"],
    ["deleting one that does not exist", "DELETE", `/providers/Microsoft.Authorization/roleAssignments/${N2}`, undefined, 404, "NotFound"],
  ])("refuses %s", async (_, method, path, body, status, code) => {
    const res = await send("admin", method, path, body);
    expect(res.status).toBe(status);
    expect((res.body as { error: { code: string } }).error.code).toBe(code);
  });

  it("refuses the same grant under a second name (409)", async () => {
    await send("admin", "PUT", `/providers/Microsoft.Authorization/roleAssignments/${N1}`, create(USER, "p-1"));
    const res = await send("admin", "PUT", `/providers/Microsoft.Authorization/roleAssignments/${N2}`, create(USER, "p-1"));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: "Conflict", innererror: { code: "RoleAssignmentExists" } } });
  });

  it("a Crypto User may read assignments but not create them (403 with Azure's message)", async () => {
    await send("admin", "PUT", `/providers/Microsoft.Authorization/roleAssignments/${N1}`, create(USER, "cu"));
    expect((await send("cu", "GET", "/providers/Microsoft.Authorization/roleAssignments")).status).toBe(200);
    expect(await send("cu", "PUT", `/providers/Microsoft.Authorization/roleAssignments/${N2}`, create(ADMIN, "cu"))).toEqual({
      status: 403,
      body: {
        error: {
          code: "Forbidden",
          message: "The user, group or application 'cu' does not have Microsoft.KeyVault/managedHsm/roleAssignments/write/action permission on scope '/'.",
        },
      },
    });
  });

  it("is not an access-control path → no route", () => {
    expect(matchRbacRoute(new Request(`${HOST}/keys/k1`), { store })).toBeUndefined();
  });
});

describe("roleDefinitions", () => {
  it("lists the nine built-ins and reads one", async () => {
    const list = await send("admin", "GET", "///providers/Microsoft.Authorization/roleDefinitions?api-version=7.6");
    expect(list.status).toBe(200);
    expect((list.body as { value: unknown[] }).value).toHaveLength(9);
    const one = await send("admin", "GET", `///providers/Microsoft.Authorization/roleDefinitions/${USER}`);
    expect(one.body).toMatchObject({ name: USER, properties: { roleName: "Managed HSM Crypto User", type: "AKVBuiltInRole" } });
  });

  it("filters by roleName", async () => {
    const res = await send("admin", "GET", `/providers/Microsoft.Authorization/roleDefinitions?$filter=${encodeURIComponent("roleName eq 'Managed HSM Backup User'")}`);
    expect((res.body as { value: { name: string }[] }).value.map((v) => v.name)).toEqual(["7b127d3c-77bd-4e3e-bbe0-dbb8971fa7f8"]);
  });

  it.each([
    ["an unknown definition", "GET", "/providers/Microsoft.Authorization/roleDefinitions/99999999-9999-9999-9999-999999999999", 404, "NotFound"],
    ["a custom role PUT", "PUT", `/providers/Microsoft.Authorization/roleDefinitions/${N1}`, 405, "MethodNotAllowed"],
    ["a DELETE", "DELETE", `/providers/Microsoft.Authorization/roleDefinitions/${USER}`, 405, "MethodNotAllowed"],
  ])("refuses %s", async (_, method, path, status, code) => {
    const res = await send("admin", method, path, method === "PUT" ? {} : undefined);
    expect([res.status, (res.body as { error: { code: string } }).error.code]).toEqual([status, code]);
  });

  it("needs roleDefinitions/read: a Crypto Service Release User is refused", async () => {
    await send("admin", "PUT", `/providers/Microsoft.Authorization/roleAssignments/${N1}`, create("21dbd100-6940-42c2-9190-5d6cb909625c", "svc"));
    expect((await send("svc", "GET", "/providers/Microsoft.Authorization/roleDefinitions")).status).toBe(403);
  });
});
