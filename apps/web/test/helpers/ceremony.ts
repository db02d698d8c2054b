import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { BUILT_IN_ROLE_IDS, CeremonySchema, type Ceremony, type RegisterBridgeRequest } from "@keyward/shared";
import type { TestBridge } from "./bridge";
import type { TestTarget } from "./target";

export interface ApiAnswer {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

/** The portal API as a test calls it: bearer token, JSON in, JSON (or text) out. */
export function portalApi(origin: string, token: string) {
  const call = async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const res = await fetch(`${origin}/portal-api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, body: json, text, headers: res.headers };
  };
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body?: unknown) => call("POST", path, body ?? {}),
    del: (path: string) => call("DELETE", path),
  };
}
export type PortalApi = ReturnType<typeof portalApi>;

export const errorOf = (a: ApiAnswer) => (a.body as { error?: { code: string; message: string; innererror?: { code: string } } } | undefined)?.error;

/** An access token for a new client holding these built-in roles at `/`. */
export async function tokenWithRoles(t: TestTarget, clientId: string, roles: readonly string[]): Promise<string> {
  const cred = await t.principalWithRoles(clientId, roles);
  const token = await cred.getToken("https://managedhsm.azure.net/.default");
  if (!token) throw new Error("no token");
  return token.token;
}

/** An administrator (may register bridges) who is also a custodian (may run ceremonies). */
export const adminToken = (t: TestTarget, clientId = "ceremony-admin") => tokenWithRoles(t, clientId, [BUILT_IN_ROLE_IDS.administrator, BUILT_IN_ROLE_IDS.cryptoUser]);

/** What an administrator pastes from `keyward-bridge identity`. */
export function registration(bridge: TestBridge, over: Partial<RegisterBridgeRequest> = {}): RegisterBridgeRequest {
  const { kty, crv, x } = bridge.endpoint.identity.jwk as { kty: "OKP"; crv: "Ed25519"; x: string };
  return { bridgeId: bridge.endpoint.bridgeId, url: bridge.endpoint.url, publicJwk: { kty, crv, x }, ...over };
}

/** Poll a ceremony until `done` says so (the way the UI polls), or fail with its last state. */
export async function waitForCeremony(api: PortalApi, id: string, done: (c: Ceremony) => boolean, timeoutMs = 60_000): Promise<Ceremony> {
  const until = Date.now() + timeoutMs;
  let last: Ceremony | undefined;
  while (Date.now() < until) {
    const res = await api.get(`/ceremonies/${id}`);
    last = CeremonySchema.parse(res.body);
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`ceremony ${id} did not get there in time: ${JSON.stringify(last)}`);
}

export const settled = (c: Ceremony) => c.state === "completed" || c.state === "failed" || c.state === "interrupted";

/** `keyward-bridge exec FILE` on the bridge's host, as the air-gapped custodian runs it: the signed result it prints. */
export function execOnBridge(bridge: TestBridge, commandFile: string): { status: number | null; result: string; stderr: string } {
  const cli = join(dirname(createRequire(import.meta.url).resolve("@keyward/bridge/package.json")), "dist", "cli.js");
  const file = join(bridge.home, `command-${Date.now()}-${Math.random().toString(36).slice(2)}.jws`);
  writeFileSync(file, commandFile);
  const run = spawnSync(process.execPath, [cli, "exec", file], { env: { ...process.env, KEYWARD_BRIDGE_HOME: join(bridge.home, "bridge"), KEYWARD_BRIDGE_LOG_LEVEL: "warn" }, encoding: "utf8" });
  return { status: run.status, result: run.stdout, stderr: run.stderr };
}

/** Start a stopped test bridge again on the same home and port (so the registered URL still reaches it). */
export async function restartBridge(bridge: TestBridge): Promise<() => Promise<void>> {
  const cli = join(dirname(createRequire(import.meta.url).resolve("@keyward/bridge/package.json")), "dist", "cli.js");
  const home = join(bridge.home, "bridge");
  const configPath = join(home, "bridge.json");
  const config = JSON.parse(readFileSync(configPath, "utf8")) as { listen: { port: number } };
  config.listen.port = Number(new URL(bridge.endpoint.url).port);
  writeFileSync(configPath, JSON.stringify(config));
  const child = spawn(process.execPath, [cli, "start"], { env: { ...process.env, KEYWARD_BRIDGE_HOME: home, KEYWARD_BRIDGE_LOG_LEVEL: "info" }, stdio: ["ignore", "ignore", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let log = "";
    child.stderr?.on("data", (d: Buffer) => {
      log += d.toString();
      if (log.includes('"event":"listening"')) resolve();
    });
    child.once("exit", () => reject(new Error(`bridge exited: ${log}`)));
  });
  return async () => {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  };
}
