import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILT_IN_ROLE_IDS, PrincipalListSchema, roleDefinitionId } from "@keyward/shared";
import { addLocalUser, readIdentities } from "../src/server/auth";
import { startTestTarget, type TestTarget } from "./helpers/target";

let t: TestTarget;
beforeAll(async () => {
  t = await startTestTarget();
});
afterAll(async () => t.close());

const get = (token?: string) => fetch(`${t.origin}/portal-api/principals`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
const tokenOf = async (cred: Awaited<ReturnType<TestTarget["principalWithRoles"]>>) => (await cred.getToken("https://managedhsm.azure.net/.default"))?.token ?? "";

describe("GET /portal-api/principals", () => {
  it("names the embedded provider's users and acting clients, and lists ids seen only in assignments", async () => {
    const reader = await t.principalWithRoles("principals-reader", [BUILT_IN_ROLE_IDS.administrator]);
    const { user } = await addLocalUser(t.dataDir, { username: "alice", displayName: "Alice Ng" });
    const foreign = randomUUID();
    await t.portal.target.ctx.rbac.store.put({ name: randomUUID(), scope: "/keys", principalId: foreign, roleDefinitionId: roleDefinitionId(BUILT_IN_ROLE_IDS.cryptoUser) });
    const ids = await readIdentities(t.dataDir);
    const oidOf = (clientId: string) => ids?.clients.find((c) => c.clientId === clientId)?.oid;

    const res = await get(await tokenOf(reader));
    expect(res.status).toBe(200);
    const list = PrincipalListSchema.parse(await res.json()).value;
    const byId = new Map(list.map((p) => [p.id, p]));
    expect(byId.get(user.oid)).toEqual({ id: user.oid, kind: "user", name: "Alice Ng", username: "alice" });
    expect(list.find((p) => p.username === "admin")).toMatchObject({ kind: "user", name: "Administrator" });
    expect(byId.get(oidOf("keyward-cli") ?? "")).toEqual({ id: oidOf("keyward-cli"), kind: "app", name: "Keyward CLI", username: "keyward-cli" });
    expect(byId.get(oidOf("principals-reader") ?? "")).toMatchObject({ kind: "app", username: "principals-reader" });
    expect(byId.get(foreign)).toEqual({ id: foreign, kind: "unknown" });
    // The browser client never acts as itself, so it can hold no role and is not offered.
    expect(byId.has(oidOf("keyward-portal") ?? "missing")).toBe(false);
    expect(list).toHaveLength(new Set(list.map((p) => p.id)).size);
  });

  it("refuses a principal that may not read role assignments with 403 in words, naming nobody", async () => {
    // Crypto Service Encryption User: wrap/unwrap only, no roleAssignments/read.
    const user = await t.principalWithRoles("principals-service", [BUILT_IN_ROLE_IDS.cryptoServiceEncryptionUser]);
    const res = await get(await tokenOf(user));
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("Forbidden");
    expect(body.error.message).toMatch(/does not have Microsoft\.KeyVault\/managedHsm\/roleAssignments\/read\/action permission on scope '\/'/);
    expect(JSON.stringify(body)).not.toMatch(/Administrator|keyward-cli/);
  });

  it("refuses a principal with no role at all the same way", async () => {
    const res = await get(await tokenOf(await t.principalWithRoles("principals-nobody", [])));
    expect(res.status).toBe(403);
  });

  it("asks for a token first", async () => {
    const res = await get();
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer authorization="/);
  });
});
