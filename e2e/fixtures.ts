import { test as base, expect, type Page } from "@playwright/test";
import { join } from "node:path";
import { KeywardApi, type BuiltInRole, type Scope } from "./harness/api";
import { BridgeCommander } from "./harness/bridge";
import { OUTPUT_DIR } from "./harness/paths";
import { productState, type Credentials, type ProductState } from "./harness/state";
import { userToken } from "./harness/tokens";
import { addUser, type TestUser } from "./harness/users";

const SCREENSHOTS = join(OUTPUT_DIR, "screenshots");

/** Signs in through the real flow: the portal's Sign in button, the embedded issuer's form, back to the page. */
export async function signIn(page: Page, user: Credentials, path = "/inventory"): Promise<void> {
  await page.goto(path);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("input[name=username]").fill(user.username);
  await page.locator("input[name=password]").fill(user.password);
  await page.locator("button[type=submit]").click();
  await expect(page.getByTestId("whoami")).toBeVisible({ timeout: 30_000 });
}

export interface NewUserOptions {
  /** Built-in roles to assign (by the admin, through the roleAssignments API); none by default. */
  roles?: readonly BuiltInRole[];
  scope?: Scope;
  /** Username prefix; a random suffix is added. */
  prefix?: string;
  displayName?: string;
}

interface WorkerFixtures {
  /** The product the global setup started: origin, admin credentials, bridge endpoint, data directory. */
  product: ProductState;
  /** The Key Vault and portal APIs with the admin's token (Administrator + Crypto Officer + Crypto User at /). */
  adminApi: KeywardApi;
}

interface TestFixtures {
  /** A page signed in as the admin, on /inventory. */
  signedInPage: Page;
  /** A new browser context signed in as `user` (closed after the test); lands on `path` (default /inventory). */
  signInAs(user: Credentials, path?: string): Promise<Page>;
  /** Local users of the embedded issuer, made with the users CLI, with roles assigned by the admin. */
  users: { create(options?: NewUserOptions): Promise<TestUser>; token(user: Credentials): Promise<string>; api(user: Credentials): Promise<KeywardApi> };
  /** Signed commands to the run's bridge with the portal's command key (connects on first use). */
  bridge: Pick<BridgeCommander, "run">;
  /** Saves a full-page screenshot as <output>/screenshots/<name>.png and attaches it to the report. */
  snap(page: Page, name: string): Promise<void>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  product: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => use(productState()),
    { scope: "worker" },
  ],
  adminApi: [
    async ({ product }, use) => {
      const api = await KeywardApi.as(product.origin, await userToken(product.origin, product.admin));
      await use(api);
      await api.dispose();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ product }, use) => use(product.origin),
  signedInPage: async ({ page, product }, use) => {
    await signIn(page, product.admin);
    await use(page);
  },
  signInAs: async ({ browser, product }, use) => {
    const contexts: Awaited<ReturnType<typeof browser.newContext>>[] = [];
    await use(async (user, path) => {
      const context = await browser.newContext({ baseURL: product.origin, ignoreHTTPSErrors: true });
      contexts.push(context);
      const page = await context.newPage();
      await signIn(page, user, path);
      return page;
    });
    for (const c of contexts) await c.close();
  },
  users: async ({ product, adminApi }, use) => {
    const apis: KeywardApi[] = [];
    await use({
      async create(options = {}) {
        const user = addUser(product, options.prefix, options.displayName);
        for (const role of options.roles ?? []) await adminApi.assignRole(user.oid, role, options.scope);
        return user;
      },
      token: (user) => userToken(product.origin, user),
      async api(user) {
        const api = await KeywardApi.as(product.origin, await userToken(product.origin, user));
        apis.push(api);
        return api;
      },
    });
    for (const api of apis) await api.dispose();
  },
  bridge: async ({ product }, use) => {
    let commander: BridgeCommander | undefined;
    await use({
      async run(command) {
        commander ??= await BridgeCommander.connect(product);
        return commander.run(command);
      },
    });
    commander?.close();
  },
  // eslint-disable-next-line no-empty-pattern
  snap: async ({}, use, testInfo) => {
    await use(async (page, name) => {
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      await testInfo.attach(name, { path, contentType: "image/png" });
    });
  },
});

export { expect };
export type { TestUser, ProductState, BuiltInRole, Scope };
