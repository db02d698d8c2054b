import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { BridgeConfigSchema, type BridgeConfig } from "@keyward/shared";

/** Files in a bridge's home directory. */
export function homePaths(home: string) {
  return {
    config: join(home, "bridge.json"),
    identity: join(home, "identity.jwk"),
    pin: join(home, "pin"),
    jti: join(home, "jti"),
    results: join(home, "results"),
    softhsm: join(home, "softhsm"),
  };
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

export async function readConfig(home: string): Promise<BridgeConfig> {
  const path = homePaths(home).config;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new ConfigError(`no bridge configuration at ${path}; run "keyward-bridge init" first`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not valid JSON`);
  }
  const parsed = BridgeConfigSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`${path}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** The PIN comes from the environment or a 0600 file; it is never in the config or a log. */
export async function readPin(home: string, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  try {
    return (await readFile(homePaths(home).pin, "utf8")).trim();
  } catch {
    throw new ConfigError(`no PIN: set KEYWARD_BRIDGE_PIN or write it to ${homePaths(home).pin} (mode 0600)`);
  }
}
