import { defineConfig } from "@playwright/test";
import { OUTPUT_DIR, REPORT_DIR } from "./harness/paths";

/**
 * Keyward's end-to-end tests: the whole product (portal + bridge on a fresh SoftHSM2 token) started by
 * the global setup, driven in Debian's Chromium. Never download a browser.
 */
export default defineConfig({
  testDir: "./tests",
  outputDir: OUTPUT_DIR,
  globalSetup: "./harness/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // Global setup builds Next (~1 min on two cores) and starts the product.
  globalTimeout: 15 * 60_000,
  reporter: [["list"], ["html", { outputFolder: REPORT_DIR, open: "never" }]],
  use: {
    browserName: "chromium",
    headless: true,
    ignoreHTTPSErrors: true,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    actionTimeout: 10_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
});
