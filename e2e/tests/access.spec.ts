import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { effectiveDataActions, type RoleAssignment } from "@keyward/shared";
import { test, expect } from "../fixtures";
import type { KeywardApi } from "../harness/api";

const MHSM = "Microsoft.KeyVault/managedHsm/";

/** Every assignment, as the Key Vault API lists them at `/`. */
async function assignmentsOf(api: KeywardApi, principalId?: string): Promise<RoleAssignment[]> {
  const res = await api.keyVault("GET", "/providers/Microsoft.Authorization/roleAssignments");
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { value: { name: string; properties: Omit<RoleAssignment, "name"> }[] };
  return body.value.map((w) => ({ name: w.name, ...w.properties })).filter((a) => principalId === undefined || a.principalId === principalId);
}

test.describe("access-control matrix", () => {
  test("filters, exports the CSV it shows, assigns and removes a role with confirmation", async ({ signedInPage: page, users, adminApi, snap }) => {
    const carol = await users.create({ prefix: "carol", displayName: `Carol ${randomBytes(2).toString("hex")}` });
    const dave = await users.create({ prefix: "dave", roles: ["cryptoAuditor"] });
    const keyName = `e2e-access-${randomBytes(3).toString("hex")}`;

    await page.goto("/access");
    const matrix = page.getByTestId("access-matrix");
    await expect(matrix).toHaveAttribute("data-scope", "/");
    await snap(page, "access-matrix");

    // Filter to one principal: its row shows exactly what the shared evaluator grants.
    await page.getByTestId("filter-principal").fill(dave.username);
    const rows = matrix.getByTestId("matrix-row");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute("data-principal-id", dave.oid);
    await expect(rows.first().locator(`td[data-action="${MHSM}keys/read/action"]`)).toHaveAttribute("data-granted", "true");
    await expect(rows.first().locator(`td[data-action="${MHSM}keys/sign/action"]`)).toHaveAttribute("data-granted", "false");
    await page.getByTestId("filter-only-granted").check();
    await expect(matrix.locator("td[data-action]")).toHaveCount(4);

    // The CSV is the filtered matrix, and agrees with the evaluator over the API's assignments.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    expect(download.suggestedFilename()).toBe("keyward-access-hsm.csv");
    const csv = readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n").map((l) => l.split(","));
    const expected = effectiveDataActions(await assignmentsOf(adminApi), dave.oid, "/");
    expect(csv[0]).toEqual(["principal_id", "principal_name", "principal_kind", "scope", "roles", ...expected]);
    expect(csv).toHaveLength(2);
    expect(csv[1]).toEqual([dave.oid, dave.username, "user", "/", "Managed HSM Crypto Auditor (/)", ...expected.map(() => "yes")]);
    await page.getByTestId("filter-only-granted").uncheck();
    await page.getByTestId("filter-principal").fill("");

    // Assign Crypto User on one key to a user who has no role: reviewed in words first.
    const form = page.getByTestId("assign-form");
    await form.getByTestId("assign-principal").selectOption(carol.oid);
    await form.getByTestId("assign-role").selectOption({ label: "Managed HSM Crypto User" });
    await form.getByTestId("assign-scope").getByLabel("One key").check();
    await form.getByTestId("assign-scope").getByRole("combobox").fill("not a key name");
    await expect(form.getByRole("alert")).toHaveText("A key name is 1–127 letters, digits or '-'.");
    await form.getByTestId("assign-scope").getByRole("combobox").fill(keyName);
    await form.getByRole("button", { name: "Review…" }).click();
    const confirm = page.getByTestId("assign-confirm");
    await expect(confirm).toContainText(`Assign Managed HSM Crypto User to ${carol.displayName} at /keys/${keyName}?`);
    expect(await assignmentsOf(adminApi, carol.oid)).toEqual([]);
    await confirm.getByRole("button", { name: "Assign", exact: true }).click();
    await expect(page.getByTestId("access-notice")).toHaveText(`Assigned Managed HSM Crypto User to ${carol.displayName} at /keys/${keyName}.`);
    const made = await assignmentsOf(adminApi, carol.oid);
    expect(made.map((a) => [a.scope, a.roleDefinitionId.split("/").pop()])).toEqual([[`/keys/${keyName}`, "21dbd100-6940-42c2-9190-5d6cb909625b"]]);

    // The matrix follows the scope: granted on that key, nothing HSM-wide.
    await page.getByTestId("filter-principal").fill(carol.username);
    await expect(rows.first().locator(`td[data-action="${MHSM}keys/sign/action"]`)).toHaveAttribute("data-granted", "false");
    await page.getByTestId("matrix-scope").getByLabel("One key").check();
    await page.getByTestId("matrix-scope").getByRole("combobox").fill(keyName);
    await expect(matrix).toHaveAttribute("data-scope", `/keys/${keyName}`);
    await expect(rows.first().locator(`td[data-action="${MHSM}keys/sign/action"]`)).toHaveAttribute("data-granted", "true");
    await expect(rows.first()).toContainText(`Managed HSM Crypto User /keys/${keyName}`);
    await snap(page, "access-matrix-key-scope");

    // The same grant again: the server's refusal in words, next to the form, and nothing added.
    await form.getByRole("button", { name: "Review…" }).click();
    await confirm.getByRole("button", { name: "Assign", exact: true }).click();
    await expect(confirm.getByRole("alert")).toHaveText(`The role assignment already exists as '${made[0]!.name}'.`);
    expect(await assignmentsOf(adminApi, carol.oid)).toEqual(made);
    await confirm.getByRole("button", { name: "Cancel" }).click();

    // Remove it: nothing happens before the confirmation.
    const row = page.getByTestId("assignments").locator(`[data-assignment="${made[0]!.name}"]`);
    await row.getByRole("button", { name: "Remove" }).click();
    await expect(row).toContainText(`Remove Managed HSM Crypto User from ${carol.displayName} at /keys/${keyName}?`);
    expect(await assignmentsOf(adminApi, carol.oid)).toEqual(made);
    await row.getByRole("button", { name: "Remove" }).click();
    await expect(page.getByTestId("access-notice")).toHaveText(`Removed Managed HSM Crypto User from ${carol.displayName} at /keys/${keyName}.`);
    await expect(row).toHaveCount(0);
    expect(await assignmentsOf(adminApi, carol.oid)).toEqual([]);
    await expect(rows.first().locator(`td[data-action="${MHSM}keys/sign/action"]`)).toHaveAttribute("data-granted", "false");
  });

  test("a reader without roleAssignments/write sees the matrix but is offered no change", async ({ users, signInAs }) => {
    const auditor = await users.create({ prefix: "auditor", roles: ["cryptoAuditor"] });
    const page = await signInAs(auditor, "/access");
    await expect(page.getByTestId("access-matrix")).toBeVisible();
    await expect(page.getByText("You can read the assignments but not change them")).toBeVisible();
    await expect(page.getByTestId("assign-form")).toHaveCount(0);
    await expect(page.getByTestId("assignments").getByRole("button", { name: "Remove" }).first()).toBeDisabled();
  });
});

test.describe("a user without rights", () => {
  test("sees 403s in words on the access page and the inventory", async ({ users, signInAs, snap }) => {
    const nobody = await users.create({ prefix: "nobody" });
    const page = await signInAs(nobody, "/access");
    await expect(page.getByTestId("whoami")).toContainText("No roles assigned");
    // main: Next's route announcer is an (empty) alert too.
    const refusal = page.locator("main [role=alert]");
    await expect(refusal).toContainText(`You do not have permission for this: The user, group or application '${nobody.oid}' does not have ${MHSM}roleAssignments/read/action permission on scope '/'.`);
    await expect(page.getByTestId("access-matrix")).toHaveCount(0);
    await snap(page, "access-forbidden");

    await page.getByRole("link", { name: "Keys", exact: true }).click();
    await expect(page.locator("main [role=alert]").first()).toContainText(`does not have ${MHSM}keys/read/action permission`);
    await snap(page, "inventory-forbidden");
  });
});
