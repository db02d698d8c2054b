import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { JWK } from "jose";
import { assertLocalDatabase, assertSoftHsmModule } from "./guard";
import { freePort, startProcess, statusOf, waitFor, type Started } from "./processes";
import type { ProductState } from "./state";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const WEB_DIR = join(REPO, "apps", "web");
const BRIDGE_CLI = join(REPO, "apps", "bridge", "dist", "cli.js");
/** Must match apps/web/src/server/portal-server.ts PORTAL_COMMAND_ISSUER. */
const COMMAND_ISSUER = "keyward-portal";

/** Settings that would take the portal off its embedded defaults, or hand the bridge a PIN: never inherited. */
const NOT_INHERITED = ["KEYWARD_HOME", "KEYWARD_DATA_DIR", "KEYWARD_AUTH", "KEYWARD_ATTESTATION", "KEYWARD_DOMAIN_KEY_SEALING", "KEYWARD_PORTAL_PORT", "KEYWARD_BRIDGE_HOME", "KEYWARD_BRIDGE_PIN", "SOFTHSM2_CONF"];

function baseEnv(): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !NOT_INHERITED.includes(name));
  return { ...Object.fromEntries(inherited), NEXT_TELEMETRY_DISABLED: "1" };
}

/** The Next build directory of e2e runs (inside apps/web), so it never disturbs `.next` or another engineer's. */
export function nextDist(): string {
  return process.env.KEYWARD_E2E_NEXT_DIST ?? ".next-e2e";
}

function npmBuild(workspace: string): void {
  execFileSync("npm", ["run", "build", "-w", workspace], { cwd: REPO, env: baseEnv(), stdio: ["ignore", "inherit", "inherit"] });
}

/**
 * Builds what the run needs: the shared model and the bridge when their output is missing (the test
 * command's turbo has built them already), and the portal UI into its own directory — always, unless
 * KEYWARD_E2E_BUILD=reuse and a build is there (quick reruns while writing tests).
 */
export function buildProduct(): void {
  if (!existsSync(join(REPO, "packages", "shared", "dist", "index.js"))) npmBuild("@keyward/shared");
  if (!existsSync(BRIDGE_CLI)) npmBuild("@keyward/bridge");
  const dist = nextDist();
  if (process.env.KEYWARD_E2E_BUILD === "reuse" && existsSync(join(WEB_DIR, dist, "BUILD_ID"))) return;
  // Source maps let the build check name every module in a client chunk (where next.config.ts honours the flag).
  execFileSync("npx", ["next", "build"], { cwd: WEB_DIR, env: { ...baseEnv(), KEYWARD_NEXT_DIST: dist, KEYWARD_BROWSER_SOURCE_MAPS: "1" }, stdio: ["ignore", "inherit", "inherit"] });
}

export interface RunningProduct {
  state: ProductState;
  logDir: string;
  stop(): Promise<void>;
}

/**
 * The whole product on its embedded defaults in a fresh KEYWARD_HOME: the portal (UI, local target,
 * development issuer) and a bridge on a new SoftHSM2 token whose configuration lives in that home.
 */
export async function startProduct(): Promise<RunningProduct> {
  assertLocalDatabase(process.env.DATABASE_URL);
  const home = mkdtempSync(join(tmpdir(), "keyward-e2e-"));
  const logDir = join(home, "logs");
  mkdirSync(logDir, { mode: 0o700 });
  const started: Started[] = [];
  const stop = async () => {
    for (const p of started.reverse()) await p.stop();
  };
  try {
    const env = baseEnv();
    const dataDir = join(home, "portal");
    const custodiansDir = join(home, "custodians");
    const portalPort = await freePort();
    const portal = startProcess("portal", process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: WEB_DIR,
      env: { ...env, KEYWARD_HOME: home, KEYWARD_PORTAL_PORT: String(portalPort), KEYWARD_NEXT_DIST: nextDist(), KEYWARD_SD_DEV_CUSTODIANS: custodiansDir },
      logFile: join(logDir, "portal.log"),
    });
    started.push(portal);
    const caPath = join(dataDir, "tls", "ca.pem");
    const commandPublicKey = join(dataDir, "bridge", "command-key.pub.jwk");
    const origin = `https://localhost:${portalPort}`;
    await waitFor(
      "the portal",
      async () => existsSync(caPath) && existsSync(commandPublicKey) && (await statusOf(`${origin}/api/health`, readFileSync(caPath, "utf8"))) === 200,
      portal,
      120_000,
    );

    // As `npm start` does: development custodians on their own SoftHSM2 tokens; the portal then activates its security domain.
    execFileSync(process.execPath, [BRIDGE_CLI, "dev-custodians", "--dir", custodiansDir, "--portal-issuer", COMMAND_ISSUER, "--trust-portal-key", commandPublicKey, "--base-port", "0", "--size", "2048"], {
      env: { ...env, KEYWARD_BRIDGE_LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    await waitFor("the security domain's activation", async () => existsSync(join(dataDir, "security-domain.json")), portal, 30_000);

    const bridgeHome = join(home, "bridge");
    const bridgeEnv = { ...env, KEYWARD_BRIDGE_HOME: bridgeHome, KEYWARD_BRIDGE_LOG_LEVEL: "info" };
    const bridgePort = await freePort();
    const bridgeId = "bridge-e2e";
    execFileSync(
      process.execPath,
      [BRIDGE_CLI, "init", "--softhsm", "--token-label", "keyward-e2e", "--bridge-id", bridgeId, "--portal-issuer", COMMAND_ISSUER, "--trust-portal-key", commandPublicKey, "--host", "127.0.0.1", "--port", String(bridgePort)],
      { env: bridgeEnv, stdio: ["ignore", "ignore", "pipe"] },
    );
    const bridgeConfig = JSON.parse(readFileSync(join(bridgeHome, "bridge.json"), "utf8")) as { pkcs11: { module: string; softhsm2Conf?: string } };
    assertSoftHsmModule(bridgeConfig.pkcs11.module);
    if (!bridgeConfig.pkcs11.softhsm2Conf?.startsWith(`${bridgeHome}/`)) throw new Error("the bridge's SoftHSM2 configuration is not private to this run");
    const identity = JSON.parse(execFileSync(process.execPath, [BRIDGE_CLI, "identity"], { env: bridgeEnv, encoding: "utf8" })) as { bridgeId: string; thumbprint: string; publicJwk: JWK };
    const bridge = startProcess("bridge", process.execPath, [BRIDGE_CLI, "start"], { cwd: REPO, env: bridgeEnv, logFile: join(logDir, "bridge.log") });
    started.push(bridge);
    await waitFor("the bridge", async () => (await statusOf(`http://127.0.0.1:${bridgePort}/healthz`)) === 200, bridge, 30_000);

    const initial = JSON.parse(readFileSync(join(dataDir, "auth", "initial-credentials.json"), "utf8")) as { admin: ProductState["admin"]; cli: ProductState["cli"] };
    const state: ProductState = {
      home,
      dataDir,
      origin,
      caPath,
      admin: initial.admin,
      cli: initial.cli,
      commandKeyFile: join(dataDir, "bridge", "command-key.jwk"),
      commandIssuer: COMMAND_ISSUER,
      custodiansDir,
      bridge: { url: `ws://127.0.0.1:${bridgePort}/bridge`, bridgeId: identity.bridgeId, identity: { kid: identity.thumbprint, jwk: identity.publicJwk }, home: bridgeHome },
      webDir: WEB_DIR,
    };
    writeFileSync(join(home, "state.json"), JSON.stringify(state, null, 2), { mode: 0o600 });
    return { state, logDir, stop };
  } catch (err) {
    await stop();
    // The run's home is kept so that its logs can be read.
    throw new Error(`the product did not start (logs in ${logDir}): ${err instanceof Error ? err.message : String(err)}`);
  }
}
