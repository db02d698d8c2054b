import { spawn, spawnSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyResult, type ResultClaims } from "@keyward/shared";
import { createPortalKey, PORTAL_ISSUER } from "./helpers/bridge.js";

const CLI = join(import.meta.dirname, "..", "src", "cli.ts");
const work = mkdtempSync(join(tmpdir(), "keyward-cli-"));
const home = join(work, "home");
let portal: Awaited<ReturnType<typeof createPortalKey>>;

function cli(args: string[], env: Record<string, string> = {}, timeout = 60_000) {
  return spawnSync(process.execPath, ["--import", "tsx", CLI, ...args], {
    env: { ...process.env, KEYWARD_BRIDGE_HOME: home, KEYWARD_BRIDGE_LOG_LEVEL: "warn", ...env },
    encoding: "utf8",
    timeout,
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

  it("custodian-key makes a custodian key in the home's token and writes its certificate", () => {
    const out = join(work, "carol.pem");
    const r = cli(["custodian-key", "--label", "custodian-carol", "--common-name", "Carol Example", "--size", "2048", "--out", out]);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as { label: string; thumbprintSha256: string; size: number; certificatePath: string };
    const x509 = new X509Certificate(readFileSync(out));
    expect(x509.subject).toBe("CN=Carol Example\nO=Keyward custodian");
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(summary).toMatchObject({ label: "custodian-carol", size: 2048, certificatePath: out, thumbprintSha256: createHash("sha256").update(x509.raw).digest("base64url") });
    // Without --out the PEM goes to stdout; an existing label is refused (exit 2) and changes nothing.
    const again = cli(["custodian-key", "--label", "custodian-carol", "--common-name", "Carol Again", "--size", "2048"]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/refused: LABEL_EXISTS: an object labelled "custodian-carol" already exists/);
    expect(again.stdout).toBe("");
  });

  it("custodian-key refuses bad arguments as a usage problem", () => {
    const r = cli(["custodian-key", "--label", "c2", "--common-name", "X", "--size", "1024"]);
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/--size/);
    expect(cli(["custodian-key", "--label", "c2", "--bogus"]).status).toBe(78);
  });

  it("dev-custodians makes three custodian bridges on their own tokens, and a second run reuses them", async () => {
    const dir = join(work, "custodians");
    const args = ["dev-custodians", "--dir", dir, "--portal-issuer", PORTAL_ISSUER, "--trust-portal-key", join(work, "portal.jwk"), "--size", "2048", "--base-port", "0"];
    type Summary = { custodians: { index: number; home: string; bridgeId: string; thumbprintSha256: string; certificatePath: string; created: boolean; identity: { thumbprint: string } }[] };
    const first = cli(args, {}, 120_000);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const made = JSON.parse(first.stdout) as Summary;
    expect(made.custodians.map((c) => [c.index, c.bridgeId, c.home, c.created])).toEqual([1, 2, 3].map((i) => [i, `custodian-${i}`, join(dir, String(i)), true]));
    expect(new Set(made.custodians.map((c) => c.thumbprintSha256)).size).toBe(3);
    for (const c of made.custodians) {
      const x509 = new X509Certificate(readFileSync(c.certificatePath));
      expect(c.certificatePath).toBe(join(c.home, "custodian.pem"));
      expect(x509.subject).toBe(`CN=Development custodian ${c.index}\nO=Keyward custodian`);
      expect(createHash("sha256").update(x509.raw).digest("base64url")).toBe(c.thumbprintSha256);
    }
    const second = cli(args);
    expect(second.status).toBe(0);
    const reused = JSON.parse(second.stdout) as Summary;
    expect(reused.custodians.map((c) => [c.thumbprintSha256, c.identity.thumbprint, c.created])).toEqual(made.custodians.map((c) => [c.thumbprintSha256, c.identity.thumbprint, false]));
    // Each home is a working bridge that trusts the portal key: it answers a signed command for its custodian key.
    const { signCommand } = await import("@keyward/shared");
    const jws = await signCommand({ type: "custodian.certificate", label: "custodian" }, portal, { audience: "custodian-2" });
    writeFileSync(join(work, "cert.jws"), jws);
    const exec = cli(["exec", join(work, "cert.jws")], { KEYWARD_BRIDGE_HOME: join(dir, "2") });
    expect(exec.status).toBe(0);
    const id = JSON.parse(cli(["identity"], { KEYWARD_BRIDGE_HOME: join(dir, "2") }).stdout) as { bridgeId: string; thumbprint: string; publicJwk: never };
    const claims = await verifyResult(exec.stdout.trim(), { trusted: [{ kid: id.thumbprint, jwk: id.publicJwk }], bridgeId: id.bridgeId, command: jws });
    expect(claims).toMatchObject({ ok: true, result: { thumbprintSha256: made.custodians[1]?.thumbprintSha256 } });
  });
});
