import { test, expect } from "../fixtures";

// The harness itself: every fixture other specs rely on, against the running product.
test.describe("harness", () => {
  test("the product is up and the admin signs in", async ({ signedInPage, snap }) => {
    await expect(signedInPage.getByTestId("whoami")).toContainText("admin");
    await snap(signedInPage, "inventory-admin");
  });

  test("a new user with a role gets a token whose /me lists that role", async ({ users }) => {
    const user = await users.create({ roles: ["cryptoAuditor"], prefix: "auditor" });
    const api = await users.api(user);
    const me = (await (await api.portal("GET", "/me")).json()) as { id: string; roles: { roleName: string; scope: string }[] };
    expect(me.id).toBe(user.oid);
    expect(me.roles).toEqual([{ roleName: "Managed HSM Crypto Auditor", scope: "/" }]);
  });

  test("signed commands reach the bridge and come back verified", async ({ bridge, product }) => {
    const described = await bridge.run({ type: "hsm.describe" });
    expect(JSON.stringify(described)).toContain("keyward-e2e");
    expect(product.bridge.identity.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
