import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { JWK } from "jose";
import type { BridgeEndpoint } from "../../src/server/bridge/client";

/** The bridge's built CLI, as the product runs it. */
const CLI = join(dirname(createRequire(import.meta.url).resolve("@keyward/bridge/package.json")), "dist", "cli.js");

export interface TestBridge {
  endpoint: BridgeEndpoint;
  home: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** `keyward-bridge init --softhsm` (a fresh SoftHSM2 token) and `start`, trusting the given portal key. */
export async function startTestBridge(portalKey: JWK & { kid: string }, issuer: string, bridgeId = "bridge-e2e"): Promise<TestBridge> {
  const home = mkdtempSync(join(tmpdir(), "keyward-bridge-home-"));
  const env = { ...process.env, KEYWARD_BRIDGE_HOME: join(home, "bridge"), KEYWARD_BRIDGE_LOG_LEVEL: "warn" };
  writeFileSync(join(home, "portal.jwk"), JSON.stringify(portalKey));
  const init = spawnSync(process.execPath, [CLI, "init", "--softhsm", "--bridge-id", bridgeId, "--portal-issuer", issuer, "--trust-portal-key", join(home, "portal.jwk"), "--port", "0"], { env, encoding: "utf8" });
  if (init.status !== 0) throw new Error(`bridge init failed: ${init.stderr}`);
  const id = JSON.parse(spawnSync(process.execPath, [CLI, "identity"], { env, encoding: "utf8" }).stdout) as { bridgeId: string; thumbprint: string; publicJwk: JWK };
  const child = spawn(process.execPath, [CLI, "start"], { env: { ...env, KEYWARD_BRIDGE_LOG_LEVEL: "info" }, stdio: ["ignore", "ignore", "pipe"] });
  const url = await new Promise<string>((resolve, reject) => {
    let log = "";
    child.stderr?.on("data", (d: Buffer) => {
      log += d.toString();
      const m = /"url":"(ws:[^"]+)"/.exec(log);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", () => reject(new Error(`bridge exited: ${log}`)));
  });
  return {
    endpoint: { url, bridgeId: id.bridgeId, identity: { kid: id.thumbprint, jwk: id.publicJwk } },
    home,
    process: child,
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
