import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // A separate build directory per checkout of the product under test (e2e, benchmarks) when set.
  distDir: process.env.KEYWARD_NEXT_DIST ?? ".next",
  // The e2e build check reads each client chunk's module list from its source map.
  productionBrowserSourceMaps: process.env.KEYWARD_BROWSER_SOURCE_MAPS === "1",
  // Native and WASM server packages are loaded by Node, never bundled.
  serverExternalPackages: ["pkcs11js", "@electric-sql/pglite", "pg"],
};

export default config;
