import { defineConfig } from "vitest/config";

// Each test file gets its own process (and so its own PKCS#11 module instance and SoftHSM2 token).
export default defineConfig({ test: { include: ["test/**/*.test.ts"], pool: "forks", testTimeout: 60_000, hookTimeout: 120_000 } });
