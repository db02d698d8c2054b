import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyResult, type ResultClaims } from "@keyward/shared";
import { createPortalKey, PORTAL_ISSUER } from "./helpers/bridge.js";

const CLI = join(import.meta.dirname, "..", "src", "cli.ts");
const work = mkdtempSync(join(tmpdir(), "keyward-cli-"));
const home = join(work, "home");
let portal: Awaited<ReturnType<typeof createPortalKey>>;

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], {
    env: { ...process.env, KEYWARD_BRIDGE_HOME: home, KEYWARD_BRIDGE_LOG_LEVEL: "warn", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

async function verifyOut(stdout: string, commandJws: string): Promise<ResultClaims> {
  const id = JSON.parse(cli(["identity"]).stdout) as { bridgeId: string; thumbprint: string; publicJwk: never };
  return verifyResult(stdout.trim(), { trusted: [{ kid: id.thumbprint, jwk: id.publicJwk }], bridgeId: id.bridgeId, command: commandJws });
}

beforeAll(async () => {
  portal = await createPortalKey();
  writeFileSync(join(work, "portal.jwk"), JSON.stringify(portal.publicJwk));
  const r = cli(["init", "--softhsm", "--bridge-id", "bridge-cli", "--portal-issuer", PORTAL_ISSUER, "--trust-portal-key", join(work, "portal.jwk"), "--port", "0"]);
  if (r.status !== 0) throw new Error(r.stderr);
});

const sign = async (cmd: unknown) => {
  const { signCommand } = await import("@keyward/shared");
  return signCommand(cmd as never, portal, { audience: "bridge-cli" });
};

describe("keyward-bridge CLI", () => {
  it("init creates an identity, a development token and a PIN file only the owner can read", () => {
    expect(statSync(join(home, "identity.jwk")).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, "pin")).mode & 0o777).toBe(0o600);
    const id = JSON.parse(cli(["identity"]).stdout) as { bridgeId: string; thumbprint: string };
    expect(id.bridgeId).toBe("bridge-cli");
    expect(id.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("init refuses to overwrite an existing bridge", () => {
    const r = cli(["init", "--softhsm", "--portal-issuer", PORTAL_ISSUER]);
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/already initialised/);
  });

  it("describe prints the token capabilities", () => {
    const r = cli(["describe"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ token: { label: "keyward-dev" }, byok: { path: "two-step" } });
  });

  it("exec runs a signed command file and prints the signed result", async () => {
    const jws = await sign({ type: "key.generate", label: "airgap-aes", key: { kty: "oct", size: 256 } });
    writeFileSync(join(work, "gen.jws"), jws);
    const r = cli(["exec", join(work, "gen.jws")]);
    expect(r.status).toBe(0);
    expect(await verifyOut(r.stdout, jws)).toMatchObject({ ok: true, type: "key.generate", result: { label: "airgap-aes" } });
    // The same file again is a replay, even in a new process.
    const again = cli(["exec", join(work, "gen.jws")]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/REPLAYED/);
    expect(await verifyOut(again.stdout, jws)).toMatchObject({ ok: false, error: { code: "REPLAYED" } });
  });

  it("exec refuses a command file over the size limit with a signed FRAME_TOO_LARGE", async () => {
    writeFileSync(join(work, "big.jws"), "x".repeat(300 * 1024));
    const r = cli(["exec", join(work, "big.jws")]);
    expect(r.status).toBe(2);
    const id = JSON.parse(cli(["identity"]).stdout) as { bridgeId: string; thumbprint: string; publicJwk: never };
    const claims = await verifyResult(r.stdout.trim(), { trusted: [{ kid: id.thumbprint, jwk: id.publicJwk }], bridgeId: id.bridgeId });
    expect(claims).toMatchObject({ ok: false, error: { code: "FRAME_TOO_LARGE" } });
  });

  it("start fails fast on a wrong PIN, without retrying", () => {
    const started = Date.now();
    const r = cli(["start"], { KEYWARD_BRIDGE_PIN: "wrong-pin" });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/PIN_INCORRECT: the PIN for token "keyward-dev" is incorrect; not retrying/);
    expect(r.stderr).not.toContain("wrong-pin");
    expect(Date.now() - started).toBeLessThan(15_000);
    // The right PIN still works: the wrong one was tried once, not until the token locked.
    expect(cli(["describe"]).status).toBe(0);
  });

  it("start serves /healthz and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, "start"], {
      env: { ...process.env, KEYWARD_BRIDGE_HOME: home, KEYWARD_BRIDGE_LOG_LEVEL: "info" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let log = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (d: Buffer) => {
        log += d.toString();
        const m = /"url":"(ws:[^"]+)"/.exec(log);
        if (m?.[1]) resolve(m[1]);
      });
      child.once("exit", () => reject(new Error(log)));
    });
    const health = await fetch(url.replace("ws://", "http://").replace("/bridge", "/healthz"));
    expect(await health.json()).toMatchObject({ status: "ok", bridgeId: "bridge-cli" });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(log).toContain('"event":"stopped"');
    expect(log).not.toMatch(/"pin"\s*:\s*"[^[]/);
  });
});
