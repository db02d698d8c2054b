import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const E2E = fileURLToPath(new URL("..", import.meta.url));

/**
 * Where a run writes its results (screenshots, traces, product logs). KEYWARD_E2E_OUTPUT moves it, so
 * that two people running e2e in one checkout do not clean each other's directory mid-run.
 */
export const OUTPUT_DIR = resolve(E2E, process.env.KEYWARD_E2E_OUTPUT ?? "test-results");
export const REPORT_DIR = process.env.KEYWARD_E2E_OUTPUT ? `${OUTPUT_DIR}-report` : resolve(E2E, "playwright-report");
