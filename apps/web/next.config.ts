import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The PKCS#11 binding must never be bundled; only the bridge loads it.
  serverExternalPackages: ["pkcs11js"],
};

export default config;
