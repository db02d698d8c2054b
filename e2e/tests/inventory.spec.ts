import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { encodeReleasePolicy, type ReleasePolicy } from "@keyward/shared";
import type { KeywardApi } from "../harness/api";
import { test, expect } from "../fixtures";

/**
 * The key inventory, key detail and deleted keys, driven in the browser as the admin; set-up and
 * checks through the Key Vault API. Every test makes keys under its own prefix (the product is shared).
 */

const DAY = 86_400;
const now = () => Math.floor(Date.now() / 1000);
const prefix = (what: string) => `e2e-${what}-${randomBytes(3).toString("hex")}`;
const policy = (equals: string): ReleasePolicy => ({
  version: "1.0.0",
  anyOf: [{ authority: "https://sharedeus.eus.attest.azure.net/", allOf: [{ claim: "x-ms-isolation-tee.x-ms-attestation-type", equals }] }],
});

async function createKey(api: KeywardApi, name: string, body: Record<string, unknown>) {
  const res = await api.keyVault("POST", `/keys/${name}/create`, body);
  expect(res.status(), await res.text()).toBe(200);
}
async function getKey(api: KeywardApi, name: string) {
  const res = await api.keyVault("GET", `/keys/${name}`);
  return { status: res.status(), body: (await res.json()) as { attributes: { enabled: boolean }; tags?: Record<string, string>; release_policy?: { data: string; immutable: boolean } } };
}
const rows = (page: Page) => page.getByTestId("key-row");
const decode = (data: string) => JSON.parse(Buffer.from(data, "base64url").toString("utf8")) as ReleasePolicy;

test.describe("key inventory", () => {
  test("searches, filters and sorts on the server, with the state in the URL", async ({ signedInPage: page, adminApi, snap }) => {
    const p = prefix("inv");
    await createKey(adminApi, `${p}-rsa`, { kty: "RSA-HSM", key_size: 2048, tags: { env: "prod" }, attributes: { exp: now() + 10 * DAY } });
    await createKey(adminApi, `${p}-ec`, { kty: "EC-HSM", crv: "P-256", tags: { env: "test" }, attributes: { enabled: false } });
    await createKey(adminApi, `${p}-aes`, { kty: "oct-HSM", key_size: 256 });
    await page.goto("/inventory");

    await page.getByTestId("key-search").fill(p);
    await expect(page).toHaveURL(new RegExp(`q=${p}`));
    await expect(rows(page)).toHaveCount(3);
    await expect(page.getByTestId("pager-status")).toContainText("1–3 of 3");

    await page.getByTestId("filter-type").selectOption("EC");
    await expect(page).toHaveURL(/type=EC/);
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText(`${p}-ec`);
    await expect(rows(page).first()).toContainText("Disabled");
    await page.reload();
    await expect(rows(page)).toHaveCount(1);
    await expect(page.getByTestId("filter-type")).toHaveValue("EC");
    await page.goBack();
    await expect(rows(page)).toHaveCount(3);

    await page.getByTestId("filter-tag").fill("env=prod");
    await expect(rows(page)).toHaveCount(1);
    await expect(rows(page).first()).toContainText(`${p}-rsa`);
    await page.getByTestId("filter-tag").fill("");
    await page.getByTestId("filter-expiring").selectOption("30");
    await expect(rows(page)).toHaveCount(1);
    await page.getByTestId("filter-expiring").selectOption("");
    await expect(rows(page)).toHaveCount(3);

    await page.getByTestId("sort-name").click(); // already by name ascending: now descending
    await expect(page).toHaveURL(/dir=desc/);
    await expect(rows(page).locator("a")).toHaveText([`${p}-rsa`, `${p}-ec`, `${p}-aes`]);

    // A bad parameter in a link is refused by the server, in words, next to the filter it names.
    await page.goto(`/inventory?q=${p}&origin=stolen`);
    await expect(page.getByText('origin "stolen" is not one of generated, byok-imported, imported, restored')).toBeVisible();

    await page.goto(`/inventory?q=${p}`);
    await expect(rows(page)).toHaveCount(3);
    await expect(page.getByTestId("expiry-timeline")).toContainText(/keys expire within 365 days|No key expires/);
    await snap(page, "inventory");
  });

  test("key detail: tags within the limits, disable, and a release policy edited, reviewed and refused once immutable", async ({ signedInPage: page, adminApi, snap }) => {
    const name = prefix("detail");
    const locked = prefix("locked");
    await createKey(adminApi, name, { kty: "RSA-HSM", key_size: 2048, attributes: { exportable: true }, release_policy: encodeReleasePolicy(policy("sevsnpvm")) });
    await createKey(adminApi, locked, { kty: "RSA-HSM", key_size: 2048, attributes: { exportable: true }, release_policy: encodeReleasePolicy(policy("sevsnpvm"), { immutable: true }) });
    await page.goto(`/inventory/${name}`);
    await expect(page.getByTestId("key-name")).toHaveText(name);

    // Tags: the limit is enforced as you type, then the server stores what was saved.
    await page.getByTestId("tag-add").click();
    await page.getByTestId("tag-name").last().fill("owner");
    await page.getByTestId("tag-value").last().fill("x".repeat(257));
    await expect(page.getByText("A tag value is at most 256 characters.")).toBeVisible();
    await expect(page.getByTestId("tags-save")).toBeDisabled();
    await page.getByTestId("tag-value").last().fill("custodians");
    await page.getByTestId("tags-save").click();
    await expect(page.getByTestId("tags-form").getByText("Saved.")).toBeVisible();
    expect((await getKey(adminApi, name)).body.tags).toEqual({ owner: "custodians" });

    // Disable.
    await page.getByTestId("attr-enabled").uncheck();
    await page.getByTestId("attr-save").click();
    await expect(page.getByTestId("key-state")).toHaveText("Disabled");
    expect((await getKey(adminApi, name)).body.attributes.enabled).toBe(false);

    // Release policy: a mistake is named with its path as you type; the change is reviewed as a diff, then saved.
    await page.getByTestId("policy-edit").click();
    const json = await page.getByTestId("policy-json").inputValue();
    await page.getByTestId("policy-json").fill(json.replace('"allOf"', '"allof"'));
    await expect(page.getByTestId("policy-issues")).toContainText('/anyOf/0/allof unknown field "allof"; did you mean "allOf"?');
    await expect(page.getByTestId("policy-review")).toBeDisabled();
    await page.getByTestId("policy-json").fill(json.replace('"sevsnpvm"', '"tdxvm"'));
    await expect(page.getByTestId("policy-preview")).toContainText('equals "tdxvm"');
    await page.getByTestId("policy-review").click();
    await expect(page.getByTestId("policy-changes")).toContainText('now equals "tdxvm" (was "sevsnpvm")');
    await expect(page.getByTestId("policy-diff").locator("[data-op=remove]")).toHaveText([/"equals": "sevsnpvm"/]);
    await expect(page.getByTestId("policy-diff").locator("[data-op=add]")).toHaveText([/"equals": "tdxvm"/]);
    await snap(page, "key-detail-policy-review");
    await page.getByTestId("policy-save").click();
    await expect(page.getByTestId("policy-rendering")).toContainText('equals "tdxvm"');
    expect(decode((await getKey(adminApi, name)).body.release_policy?.data ?? "")).toEqual(policy("tdxvm"));

    // The server refuses a change to a policy made immutable meanwhile, and the page says so in its words.
    await page.getByTestId("policy-edit").click();
    await page.getByTestId("policy-json").fill(JSON.stringify(policy("sgx"), null, 2));
    await page.getByTestId("policy-review").click();
    const freeze = await adminApi.keyVault("PATCH", `/keys/${name}`, { release_policy: encodeReleasePolicy(policy("tdxvm"), { immutable: true }) });
    expect(freeze.status()).toBe(200);
    await page.getByTestId("policy-save").click();
    await expect(page.getByTestId("release-policy").getByRole("alert")).toContainText("the release policy is immutable and cannot be changed");
    expect(decode((await getKey(adminApi, name)).body.release_policy?.data ?? "")).toEqual(policy("tdxvm"));

    // An immutable policy cannot even be opened for editing, and the page says why.
    await page.goto(`/inventory/${locked}`);
    await expect(page.getByTestId("policy-immutable-note")).toContainText("This policy is immutable");
    await expect(page.getByTestId("policy-edit")).toBeDisabled();
    await expect(page.getByTestId("versions")).toBeVisible();
    await expect(page.getByTestId("rotation-policy")).toBeVisible();
    await snap(page, "key-detail");
  });

  test("soft delete with the name typed, then recover; purge says it is irreversible", async ({ signedInPage: page, adminApi, snap }) => {
    const name = prefix("del");
    const gone = prefix("purge");
    await createKey(adminApi, name, { kty: "EC-HSM", crv: "P-384" });
    await createKey(adminApi, gone, { kty: "oct-HSM", key_size: 256 });
    expect((await adminApi.keyVault("DELETE", `/keys/${gone}`)).status()).toBe(200);

    await page.goto(`/inventory/${name}`);
    await page.getByTestId("key-delete").click();
    const dialog = page.getByTestId("delete-dialog");
    await expect(dialog.getByTestId("confirm-submit")).toBeDisabled();
    await dialog.getByTestId("confirm-name").fill(name.toUpperCase());
    await expect(dialog.getByTestId("confirm-submit")).toBeDisabled();
    await dialog.getByTestId("confirm-name").fill(name);
    await dialog.getByTestId("confirm-submit").click();
    await expect(page).toHaveURL(/\/deleted/);
    await expect(page.getByTestId("deleted-notice")).toContainText(`${name} was deleted`);
    expect((await getKey(adminApi, name)).status).toBe(404);
    await snap(page, "deleted-keys");

    await page.getByTestId("deleted-row").filter({ hasText: name }).getByTestId("recover").click();
    await expect(page.getByTestId("recovered-notice")).toContainText(`${name} was recovered`);
    expect((await getKey(adminApi, name)).status).toBe(200);

    await page.getByTestId("deleted-row").filter({ hasText: gone }).getByTestId("purge").click();
    const purge = page.getByTestId("purge-dialog");
    await expect(purge).toContainText("Purging is irreversible");
    await purge.getByTestId("confirm-name").fill(gone);
    await purge.getByTestId("confirm-submit").click();
    await expect(page.getByTestId("purged-notice")).toContainText(`${gone} was purged`);
    expect((await adminApi.keyVault("GET", `/deletedkeys/${gone}`)).status()).toBe(404);
  });

  test("a reader sees actions disabled with the missing permission; a user without rights sees the 403 in words", async ({ adminApi, users, signInAs }) => {
    const name = prefix("ro");
    await createKey(adminApi, name, { kty: "EC-HSM", crv: "P-256" });
    const auditor = await users.create({ roles: ["cryptoAuditor"], prefix: "inv-auditor" });
    const reader = await signInAs(auditor, `/inventory/${name}`);
    await expect(reader.getByTestId("key-name")).toHaveText(name);
    await expect(reader.getByTestId("key-delete")).toBeDisabled();
    await expect(reader.locator("span", { has: reader.getByTestId("key-delete") })).toHaveAttribute("title", "You need the keys/delete permission for this.");
    await expect(reader.getByTestId("attr-save")).toHaveAttribute("data-permission", "missing");

    const nobody = await users.create({ prefix: "inv-nobody" });
    const page = await signInAs(nobody, "/inventory");
    const refusal = page.getByRole("alert").first();
    await expect(refusal).toContainText("You do not have permission for this");
    await expect(refusal).toContainText("keys/read/action");
  });
});
