import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { OUTPUT_DIR } from "./paths";
import { buildProduct, startProduct } from "./product";
import { STATE_ENV } from "./state";

/**
 * Builds the UI, starts the product and hands its state to the workers; the returned function is the
 * global teardown: it stops the processes (by the PIDs it started), keeps their logs under
 * <output>/product-logs, and removes the run's home unless KEYWARD_E2E_KEEP=1.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  buildProduct();
  const product = await startProduct();
  process.env[STATE_ENV] = join(product.state.home, "state.json");
  process.stdout.write(`keyward e2e: portal ${product.state.origin}, bridge ${product.state.bridge.url}, home ${product.state.home}\n`);
  return async () => {
    await product.stop();
    cpSync(product.logDir, join(OUTPUT_DIR, "product-logs"), { recursive: true });
    if (process.env.KEYWARD_E2E_KEEP === "1") process.stdout.write(`keyward e2e: kept ${product.state.home}\n`);
    else rmSync(product.state.home, { recursive: true, force: true });
  };
}
