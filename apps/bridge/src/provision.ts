import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BridgeConfigSchema, TrustedKeySchema, type BridgeConfig } from "@keyward/shared";
import { childEnv } from "./env.js";
import { ConfigError, homePaths, readConfig } from "./home.js";
import { createIdentity } from "./identity.js";

/** Making bridge homes: the portal keys they trust, development SoftHSM2 tokens, whole development homes. */

export const SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

/** The portal command-signing public keys (JWK files) a bridge pins. */
export async function readTrustedKeys(files: readonly string[]): Promise<BridgeConfig["portal"]["keys"]> {
  return Promise.all(
    files.map(async (file) => {
      let jwk: { kid?: string };
      try {
        jwk = JSON.parse(await readFile(file, "utf8")) as { kid?: string };
      } catch {
        throw new ConfigError(`cannot read the portal key ${file} (a JWK file)`);
      }
      return TrustedKeySchema.parse({ kid: jwk.kid, jwk });
    }),
  );
}

/**
 * A development SoftHSM2 token of the home's own (own token directory and config), its user PIN random
 * and written to the home's pin file (0600) — after the token exists, so a home with a pin file always
 * has its token. Returns the SoftHSM2 config path.
 */
export async function createDevToken(home: string, label: string): Promise<string> {
  const paths = homePaths(home);
  const conf = join(paths.softhsm, "softhsm2.conf");
  await mkdir(join(paths.softhsm, "tokens"), { recursive: true, mode: 0o700 });
  await writeFile(conf, `directories.tokendir = ${join(paths.softhsm, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const pin = randomBytes(12).toString("base64url");
  execFileSync("softhsm2-util", ["--init-token", "--free", "--label", label, "--so-pin", randomBytes(12).toString("base64url"), "--pin", pin], {
    env: childEnv({ SOFTHSM2_CONF: conf }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  await writeFile(paths.pin, pin, { mode: 0o600, flag: "wx" });
  return conf;
}

export interface DevHomeSpec {
  bridgeId: string;
  tokenLabel: string;
  listen: { host: string; port: number };
  portal: BridgeConfig["portal"];
}

/**
 * A whole development bridge home on its own SoftHSM2 token, made or completed idempotently: what
 * exists is kept (token, identity — the portal pins it), what is missing is made, and the
 * configuration follows the spec's portal and listen address. A home that belongs to another bridge
 * or token is refused, never changed.
 */
export async function ensureDevHome(home: string, spec: DevHomeSpec): Promise<{ config: BridgeConfig; created: boolean }> {
  const paths = homePaths(home);
  await mkdir(home, { recursive: true, mode: 0o700 });
  const existing = existsSync(paths.config) ? await readConfig(home) : null;
  if (existing && (existing.bridgeId !== spec.bridgeId || existing.pkcs11.tokenLabel !== spec.tokenLabel)) {
    throw new ConfigError(`${home} holds bridge ${existing.bridgeId} on token "${existing.pkcs11.tokenLabel}", not ${spec.bridgeId}; it is left alone`);
  }
  const conf = join(paths.softhsm, "softhsm2.conf");
  const created = !existsSync(paths.pin);
  if (created) {
    if (existing) throw new ConfigError(`${home} has a configuration but no PIN file; remove the directory to start it over`);
    // No PIN file: the token was never finished, so it can hold no key. Start it again.
    await rm(paths.softhsm, { recursive: true, force: true });
    await createDevToken(home, spec.tokenLabel);
  }
  if (!existsSync(paths.identity)) await createIdentity(paths.identity);
  const config = BridgeConfigSchema.parse({
    ...(existing ?? {}),
    bridgeId: spec.bridgeId,
    pkcs11: { module: SOFTHSM_MODULE, tokenLabel: spec.tokenLabel, softhsm2Conf: conf },
    listen: { ...(existing?.listen ?? {}), ...spec.listen },
    portal: spec.portal,
  });
  if (JSON.stringify(config) !== JSON.stringify(existing)) await writeFile(paths.config, JSON.stringify(config, null, 2), { mode: 0o600 });
  return { config, created };
}
