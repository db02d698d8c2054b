import type { Page } from "@playwright/test";
import { test, expect } from "../fixtures";

test.describe("sign-in", () => {
  test("through the embedded OIDC issuer and back, then out", async ({ page, product, snap }) => {
    await page.goto("/inventory");
    await expect(page.getByRole("heading", { name: "Sign in to Keyward" })).toBeVisible();
    await snap(page, "sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    // The issuer's own page, on the portal's origin: a real authorization-code + PKCE redirect.
    await expect(page).toHaveURL(/\/oidc\/authorize\?.*code_challenge_method=S256/);
    await page.locator("input[name=username]").fill(product.admin.username);
    await page.locator("input[name=password]").fill("not-the-password");
    await page.locator("button[type=submit]").click();
    await expect(page.getByRole("alert")).toHaveText("Wrong username or password.");
    await page.locator("input[name=password]").fill(product.admin.password);
    await page.locator("button[type=submit]").click();
    await expect(page).toHaveURL(/\/inventory$/);
    const whoami = page.getByTestId("whoami");
    await expect(whoami).toContainText("Signed in as admin");
    await expect(whoami).toContainText("Managed HSM Administrator");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.goto("/inventory");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expect(page.getByTestId("whoami")).toHaveCount(0);
  });

  test("switches language between English, Japanese and Traditional Chinese, and remembers it", async ({ page, product, snap }) => {
    await page.goto("/inventory");
    const language = page.getByTestId("language");
    await language.selectOption("ja");
    await expect(page.getByRole("button", { name: "サインイン" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "ja");
    await signInAfterSwitch(page, product.admin);
    await expect(page.getByTestId("whoami")).toContainText("admin としてサインイン中");
    await expect(page.getByRole("navigation", { name: "main" })).toContainText("アクセス制御");
    await page.getByRole("link", { name: "アクセス制御" }).click();
    await expect(page.getByRole("heading", { name: "ロールを割り当てる" })).toBeVisible();
    await expect(page.getByTestId("export-csv")).toHaveText("CSV をエクスポート");
    await snap(page, "access-ja");

    await page.getByTestId("language").first().selectOption("zh-TW");
    await expect(page.getByTestId("whoami")).toContainText("已以 admin 登入");
    await expect(page.getByRole("navigation", { name: "main" })).toContainText("存取控制");
    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-TW");
    await expect(page.getByRole("navigation", { name: "main" })).toContainText("金鑰");
    await expect(page.getByRole("heading", { name: "指派角色" })).toBeVisible();
    await snap(page, "access-zh-TW");

    await page.getByTestId("language").first().selectOption("en");
    await expect(page.getByRole("navigation", { name: "main" })).toContainText("Access control");
  });
});

test.describe("session end", () => {
  test("a session that can no longer be renewed says 'signed out' instead of breaking the page", async ({ signedInPage: page, product }) => {
    // Revoke what renewal needs: the identity provider's session cookie and the cached tokens.
    await page.context().clearCookies();
    const removed = await page.evaluate(() => {
      const keys = Object.keys(window.sessionStorage).filter((k) => /"credentialType":"(AccessToken|RefreshToken)"/.test(window.sessionStorage.getItem(k) ?? ""));
      for (const k of keys) window.sessionStorage.removeItem(k);
      return keys.length;
    });
    expect(removed).toBeGreaterThanOrEqual(2);
    // Any request now needs a renewal: the next navigation's, or a background poll's if one comes first.
    const signedOut = page.getByRole("heading", { name: "You are signed out" });
    if (!(await signedOut.isVisible())) await page.getByRole("link", { name: "Deleted keys" }).click({ timeout: 5_000 }).catch(() => undefined);
    await expect(signedOut).toBeVisible({ timeout: 20_000 });
    await expect(page.getByText("Your session has ended.")).toBeVisible();
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("input[name=username]").fill(product.admin.username);
    await page.locator("input[name=password]").fill(product.admin.password);
    await page.locator("button[type=submit]").click();
    await expect(page.getByTestId("whoami")).toContainText("Signed in as admin");
  });
});

/** The sign-in with the page already in another language (the issuer's own form is English). */
async function signInAfterSwitch(page: Page, user: { username: string; password: string }) {
  await page.getByRole("button", { name: "サインイン" }).click();
  await page.locator("input[name=username]").fill(user.username);
  await page.locator("input[name=password]").fill(user.password);
  await page.locator("button[type=submit]").click();
  await expect(page.getByTestId("whoami")).toBeVisible();
}
