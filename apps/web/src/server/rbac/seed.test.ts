import { OPERATIONS, OPERATION_NAMES, operationScope, roleDefinitionId } from "@keyward/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientCredentialsToken, makeFixture, type Fixture } from "../auth/test-fixtures";
import { createAuthorizer } from "./authorize";
import { createMemoryRoleAssignmentStore } from "./memory-store";
import { seedEmbeddedAssignments } from "./seed";

let f: Fixture;
beforeAll(async () => {
  f = await makeFixture();
});
afterAll(() => f.cleanup());

const ids = () => ({ adminOid: f.seed.adminOid, cliOid: f.seed.cliOid });
const prefix = "Microsoft.KeyVault/managedHsm/";

describe("the embedded default's grants", () => {
  it("admin: Administrator + Crypto Officer + Crypto User at /; keyward-cli: Crypto User at /", async () => {
    const store = createMemoryRoleAssignmentStore();
    expect(await seedEmbeddedAssignments(store, { ...ids(), identitiesCreated: true })).toBe(4);
    const byPrincipal = async (p: string | undefined) => (await store.list({ principalId: p ?? "" })).map((a) => [a.scope, a.roleDefinitionId]).sort();
    expect(await byPrincipal(f.seed.adminOid)).toEqual(
      [
        ["/", roleDefinitionId("21dbd100-6940-42c2-9190-5d6cb909625b")],
        ["/", roleDefinitionId("515eb02d-2335-4d2d-92f2-b1cbdf9c3778")],
        ["/", roleDefinitionId("a290e904-7015-4bba-90c8-60543313cdb4")],
      ].sort(),
    );
    expect(await byPrincipal(f.seed.cliOid)).toEqual([["/", roleDefinitionId("21dbd100-6940-42c2-9190-5d6cb909625b")]]);

    // With those, admin can do every served operation; the CLI everything but security domain, purge/recover and role writes.
    const az = createAuthorizer(store);
    const scope = (op: (typeof OPERATION_NAMES)[number]) => operationScope(op, { keyName: "k", pathScope: "/" });
    for (const op of OPERATION_NAMES) expect(await az.can({ id: f.seed.adminOid ?? "" }, op, scope(op))).toBe(true);
    const cliDenied = [];
    for (const op of OPERATION_NAMES) if (!(await az.can({ id: f.seed.cliOid ?? "" }, op, scope(op)))) cliDenied.push(OPERATIONS[op].slice(prefix.length));
    expect(new Set(cliDenied)).toEqual(
      new Set([
        "keys/deletedKeys/read/action",
        "keys/deletedKeys/recover/action",
        "keys/deletedKeys/delete",
        "roleAssignments/write/action",
        "roleAssignments/delete/action",
        "securitydomain/download/action",
        "securitydomain/download/read",
        "securitydomain/transferkey/read",
        "securitydomain/upload/action",
        "securitydomain/upload/read",
      ]),
    );
  });

  it("does nothing on an ordinary restart, so a removed grant stays removed", async () => {
    const store = createMemoryRoleAssignmentStore();
    await seedEmbeddedAssignments(store, { ...ids(), identitiesCreated: true });
    const [first] = await store.list({ principalId: f.seed.cliOid ?? "" });
    await store.delete(first?.name ?? "");
    expect(await seedEmbeddedAssignments(store, { ...ids(), identitiesCreated: false })).toBe(0);
    expect(await store.list({ principalId: f.seed.cliOid ?? "" })).toEqual([]);
  });

  it("re-seeds a fresh, empty database even when the identities already existed", async () => {
    expect(await seedEmbeddedAssignments(createMemoryRoleAssignmentStore(), { ...ids(), identitiesCreated: false })).toBe(4);
  });
});

describe("the Key Vault client's path through auth and RBAC", () => {
  it("body-less first request → 401 challenge → token for the challenged scope → allowed; denied is 403", async () => {
    const store = createMemoryRoleAssignmentStore();
    await seedEmbeddedAssignments(store, { ...ids(), identitiesCreated: true });
    const az = createAuthorizer(store);

    const first = await f.authenticator.authenticate(undefined);
    if (first.ok) throw new Error("expected a challenge");
    const resource = /resource="([^"]+)"/.exec(first.challenge.headers.get("www-authenticate") ?? "")?.[1];
    const token = await clientCredentialsToken(f, `${resource}/.default`);

    const second = await f.authenticator.authenticate(`Bearer ${token}`);
    if (!second.ok) throw new Error("expected a principal");
    await expect(az.authorize(second.principal, "getRandomBytes", "/")).resolves.toBeUndefined();
    await expect(az.authorize(second.principal, "purgeDeletedKey", "/keys/k")).rejects.toMatchObject({ status: 403, code: "Forbidden" });
  });
});
