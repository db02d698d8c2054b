/** Reported in `.byok` generator strings and the health endpoint. Keep in step with package.json. */
export const BRIDGE_VERSION = "0.1.0";
