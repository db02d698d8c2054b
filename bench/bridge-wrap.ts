/**
 * Bridge benchmark: `.byok` wraps per second through the full signed-command path (WebSocket, JWS
 * verification, replay guard, PKCS#11, signed result) against a raw pkcs11js loop doing the same
 * two-step wrap on the same SoftHSM2 token, in the same run. Also the command round-trip latency.
 */
import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import pkcs11js from "pkcs11js";
import WebSocket from "ws";
import { calculateJwkThumbprint, type JWK } from "jose";
import { BRIDGE_PROTOCOL_VERSION, signCommand, verifyResult, type BridgeCommand, type KeySpec } from "@keyward/shared";
import { fmt, percentile, table } from "./lib/stats.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 16);
const CLI = join(import.meta.dirname, "..", "apps", "bridge", "dist", "cli.js");
const SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so";
const KID = "https://bench.keyward.local/keys/kek/00000000000000000000000000000000";

const work = mkdtempSync(join(tmpdir(), "keyward-bench-"));
const home = join(work, "bridge");
const env = { ...process.env, KEYWARD_BRIDGE_HOME: home, KEYWARD_BRIDGE_LOG_LEVEL: "info" };

// The portal side: a command key the bridge pins.
const portalPair = generateKeyPairSync("ed25519");
const portalJwk = portalPair.publicKey.export({ format: "jwk" }) as JWK;
const portalKid = await calculateJwkThumbprint(portalJwk);
writeFileSync(join(work, "portal.jwk"), JSON.stringify({ ...portalJwk, kid: portalKid }));
const portal = { key: portalPair.privateKey, kid: portalKid, issuer: "keyward-bench" };

const init = spawnSync(process.execPath, [CLI, "init", "--softhsm", "--token-label", "bench", "--bridge-id", "bridge-bench", "--portal-issuer", "keyward-bench", "--trust-portal-key", join(work, "portal.jwk"), "--port", "0"], { env, encoding: "utf8" });
if (init.status !== 0) throw new Error(init.stderr);
const identity = JSON.parse(spawnSync(process.execPath, [CLI, "identity"], { env, encoding: "utf8" }).stdout) as { thumbprint: string; publicJwk: JWK };
const trustedBridge = [{ kid: identity.thumbprint, jwk: identity.publicJwk }];

// The bridge, as its own process; its per-command info log goes where a service's would (not the terminal).
const bridgeProc = spawn(process.execPath, [CLI, "start"], { env, stdio: ["ignore", "ignore", "pipe"] });
const url = await new Promise<string>((resolve, reject) => {
  let log = "";
  const onData = (d: Buffer) => {
    log += d.toString();
    const m = /"url":"(ws:[^"]+)"/.exec(log);
    if (m?.[1]) {
      bridgeProc.stderr.off("data", onData);
      bridgeProc.stderr.resume();
      resolve(m[1]);
    }
  };
  bridgeProc.stderr.on("data", onData);
  bridgeProc.once("exit", () => reject(new Error(log)));
});

const ws = new WebSocket(url);
await new Promise((r) => ws.once("open", r));
const pending = new Map<string, (jws: string) => void>();
ws.on("message", (data) => {
  const frame = JSON.parse(data.toString()) as { type: string; ref?: string; jws?: string };
  if (frame.type === "result" && frame.ref) pending.get(frame.ref)?.(frame.jws ?? "");
});
ws.send(JSON.stringify({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION }));
await new Promise((r) => ws.once("message", r));

const sign = (cmd: BridgeCommand) => signCommand(cmd, portal, { audience: "bridge-bench", jti: randomUUID() });
function send(jws: string): Promise<string> {
  const ref = randomUUID();
  return new Promise((resolve) => {
    pending.set(ref, (r) => {
      pending.delete(ref);
      resolve(r);
    });
    ws.send(JSON.stringify({ type: "command", ref, jws }));
  });
}
async function mustSucceed(jws: string, resultJws: string) {
  const r = await verifyResult(resultJws, { trusted: trustedBridge, bridgeId: "bridge-bench", command: jws });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
}

const TARGETS: { name: string; label: string; spec: KeySpec }[] = [
  { name: "AES-256", label: "bench-aes", spec: { kty: "oct", size: 256 } },
  { name: "RSA-2048", label: "bench-rsa", spec: { kty: "RSA", size: 2048 } },
  { name: "EC P-256", label: "bench-ec", spec: { kty: "EC", crv: "P-256" } },
];
const BATCH = Number(process.env.BENCH_BATCH ?? 32);
const batchLabels = (t: { label: string }) => Array.from({ length: BATCH }, (_, i) => `${t.label}-${i}`);
for (const t of TARGETS) {
  for (const label of [t.label, ...batchLabels(t)]) {
    const jws = await sign({ type: "key.generate", label, key: t.spec });
    await mustSucceed(jws, await send(jws));
  }
}
const kekPem = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();

// --- Baseline: the same wrap as a tight synchronous pkcs11js loop in this process. ---
function rawLoop(label: string): number {
  // The token `init --softhsm` made lives in the bridge's home.
  process.env.SOFTHSM2_CONF = join(home, "softhsm", "softhsm2.conf");
  const p = new pkcs11js.PKCS11();
  p.load(SOFTHSM);
  p.C_Initialize();
  try {
    const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === "bench");
    if (!slot) throw new Error("bench token not found");
    const s = p.C_OpenSession(slot, pkcs11js.CKF_RW_SESSION | pkcs11js.CKF_SERIAL_SESSION);
    p.C_Login(s, pkcs11js.CKU_USER, readFileSync(join(home, "pin"), "utf8").trim());
    const find = (cls: number) => {
      p.C_FindObjectsInit(s, [{ type: pkcs11js.CKA_CLASS, value: cls }, { type: pkcs11js.CKA_LABEL, value: label }]);
      const [h] = p.C_FindObjects(s, 1);
      p.C_FindObjectsFinal(s);
      return h;
    };
    const target = find(pkcs11js.CKO_SECRET_KEY) ?? find(pkcs11js.CKO_PRIVATE_KEY);
    if (!target) throw new Error(`no ${label}`);
    const pub = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" });
    const kek = p.C_CreateObject(s, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
      { type: pkcs11js.CKA_TOKEN, value: false },
      { type: pkcs11js.CKA_WRAP, value: true },
      { type: pkcs11js.CKA_MODULUS, value: Buffer.from(pub.n ?? "", "base64url") },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from(pub.e ?? "", "base64url") },
    ]);
    const oaep = { mechanism: pkcs11js.CKM_RSA_PKCS_OAEP, parameter: { type: pkcs11js.CK_PARAMS_RSA_OAEP, hashAlg: pkcs11js.CKM_SHA_1, mgf: pkcs11js.CKG_MGF1_SHA1, source: 1 } };
    const ephTemplate = [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      { type: pkcs11js.CKA_TOKEN, value: false },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: true },
      { type: pkcs11js.CKA_WRAP, value: true },
    ];
    let n = 0;
    const end = performance.now() + SECONDS * 1000;
    while (performance.now() < end) {
      const eph = p.C_GenerateKey(s, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, ephTemplate);
      const wrappedTarget = p.C_WrapKey(s, { mechanism: 0x210a }, eph, target, Buffer.alloc(8192));
      const wrappedKey = p.C_WrapKey(s, oaep, kek, eph, Buffer.alloc(256));
      Buffer.concat([wrappedKey, wrappedTarget]);
      p.C_DestroyObject(s, eph);
      n++;
    }
    p.C_CloseSession(s);
    return n / SECONDS;
  } finally {
    p.C_Finalize();
  }
}

/**
 * Send pre-signed commands, `inFlight` at a time, until they run out or SECONDS pass; every result is
 * verified after the clock stops. Signing and verifying are the portal's work, so neither is timed.
 */
async function timed(commands: string[], inFlight: number, keysPerCommand: number): Promise<number> {
  const results: [string, string][] = [];
  let next = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  const worker = async () => {
    while (next < commands.length && performance.now() < end) {
      const jws = commands[next++]!;
      results.push([jws, await send(jws)]);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsed = (performance.now() - start) / 1000;
  for (const [c, r] of results) await mustSucceed(c, r);
  return (results.length * keysPerCommand) / elapsed;
}

/** One key per signed command (byok.wrap), WINDOW commands in flight. */
async function bridgeLoop(label: string, expectedRate: number): Promise<number> {
  const count = Math.min(60_000, Math.ceil(expectedRate * SECONDS * 1.5));
  const commands: string[] = [];
  for (let i = 0; i < count; i++) commands.push(await sign({ type: "byok.wrap", target: label, kek: { kid: KID, publicKeyPem: kekPem } }));
  return timed(commands, WINDOW, 1);
}

/** BATCH keys per signed command (byok.wrapBatch), two commands in flight. */
async function batchLoop(labels: string[], expectedRate: number): Promise<number> {
  const count = Math.max(4, Math.min(2_000, Math.ceil((expectedRate * SECONDS * 1.5) / labels.length)));
  const commands: string[] = [];
  for (let i = 0; i < count; i++) commands.push(await sign({ type: "byok.wrapBatch", targets: labels, kek: { kid: KID, publicKeyPem: kekPem } }));
  // Untimed, as the raw loop finds its target before its clock starts: the bridge looks the labels up once.
  const warmUp = await sign({ type: "byok.wrapBatch", targets: labels, kek: { kid: KID, publicKeyPem: kekPem } });
  await mustSucceed(warmUp, await send(warmUp));
  return timed(commands, 2, labels.length);
}

async function latency(label: string, n = 300): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const jws = await sign({ type: "byok.wrap", target: label, kek: { kid: KID, publicKeyPem: kekPem } });
    const t0 = performance.now();
    const r = await send(jws);
    samples.push(performance.now() - t0);
    if (i === 0) await mustSucceed(jws, r);
  }
  return samples;
}

const rows: (string | number)[][] = [];
for (const t of TARGETS) {
  const raw = rawLoop(t.label);
  const full = await bridgeLoop(t.label, raw);
  const batched = await batchLoop(batchLabels(t), raw);
  rows.push([t.name, fmt(raw), fmt(full), `${fmt((full / raw) * 100, 1)} %`, fmt(batched), `${fmt((batched / raw) * 100, 1)} %`]);
}
const lat = await latency("bench-aes");

ws.close();
bridgeProc.kill("SIGTERM");
await new Promise((r) => bridgeProc.once("exit", r));

console.log(`\nBridge: .byok wraps per second (SoftHSM2, KEK RSA-2048, ${SECONDS} s per cell, ${cpus().length} cores, ${WINDOW} commands in flight)\n`);
console.log(table(["target", "raw pkcs11js loop (1 thread, sync)", "signed path, 1 key/command", "/ raw", `signed path, ${BATCH} keys/command`, "/ raw"], rows));
console.log(`\nRound-trip latency of one signed byok.wrap (AES-256 target, one at a time, ${lat.length} commands): p50 ${fmt(percentile(lat, 50), 2)} ms, p99 ${fmt(percentile(lat, 99), 2)} ms\n`);
