import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and WASM server packages are loaded by Node, never bundled.
  serverExternalPackages: ["pkcs11js", "@electric-sql/pglite", "pg"],
};

export default config;
