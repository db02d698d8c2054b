/**
 * Local-target benchmark, all in one run on this machine:
 *  - RSA-2048 and ECDSA P-256 signs per second through the HTTPS API (keep-alive, concurrency = cores × 4,
 *    driven by wrk) against `openssl speed -multi <cores>` for the same algorithms;
 *  - list keys p50/p95 at 10,000 and 100,000 keys on PostgreSQL;
 *  - `.byok` import throughput.
 * The store is PostgreSQL (a fresh database, dropped at the end).
 */
import { execFileSync, spawn } from "node:child_process";
import { constants, createCipheriv, createHash, createPublicKey, publicEncrypt, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:https";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { serializeByok } from "@keyward/shared";
import { fmt, percentile, table } from "./lib/stats.js";

const CORES = cpus().length;
const CONCURRENCY = CORES * 4;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// BENCH_PARTS=sign (or list, import, comma-separated) runs only those parts; all by default.
const PARTS = new Set((process.env.BENCH_PARTS ?? "sign,list,import").split(","));
const PG = process.env.KEYWARD_BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432";
const dbName = `keyward_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: `${PG}/postgres` });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const databaseUrl = `${PG}/${dbName}`;

const dataDir = mkdtempSync(join(tmpdir(), "keyward-bench-target-"));
const server = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "lib", "target-server.ts"), dataDir, databaseUrl], { stdio: ["ignore", "pipe", "inherit"] });
const { origin, caPath } = await new Promise<{ origin: string; caPath: string }>((resolve, reject) => {
  server.stdout.once("data", (d: Buffer) => resolve(JSON.parse(d.toString()) as { origin: string; caPath: string }));
  server.once("exit", () => reject(new Error("target server exited")));
});
const ca = readFileSync(caPath);
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca });

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    const req = request(`${origin}${path}`, { method, agent, headers: { "content-type": "application/json", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        resolve({ status: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null });
      });
    });
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}

const initial = JSON.parse(readFileSync(join(dataDir, "auth", "initial-credentials.json"), "utf8")) as { cli: { clientId: string; clientSecret: string } };
const tokenRes = await call("POST", "/oidc/token", new URLSearchParams({ grant_type: "client_credentials", client_id: initial.cli.clientId, client_secret: initial.cli.clientSecret, scope: "https://managedhsm.azure.net/.default" }).toString(), { "content-type": "application/x-www-form-urlencoded" });
const token = (tokenRes.json as { access_token: string }).access_token;
const auth = { authorization: `Bearer ${token}` };
const api = (path: string) => `${path}${path.includes("?") ? "&" : "?"}api-version=7.6`;

// ---- signs/s vs openssl speed ----
function opensslSignsPerSecond(alg: "rsa2048" | "ecdsap256"): number {
  const out = execFileSync("openssl", ["speed", "-seconds", String(SECONDS), "-multi", String(CORES), alg], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const line = out.split("\n").reverse().find((l) => (alg === "rsa2048" ? /^rsa\s+2048/.test(l.trim()) || /^\s*2048 bits/.test(l) : /nistp256/.test(l)));
  const nums = (line ?? "").trim().split(/\s+/).map(Number).filter((n) => Number.isFinite(n));
  // The table's last two numbers are sign/s and verify/s.
  return nums[nums.length - 2] ?? Number.NaN;
}

function wrk(path: string, body: string, at = origin): { rps: number; p50: string; p99: string } {
  const script = join(dataDir, `wrk-${randomBytes(4).toString("hex")}.lua`);
  writeFileSync(script, `wrk.method = "POST"\nwrk.body = '${body}'\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer ${token}"\n`);
  const out = execFileSync("wrk", ["-t", String(CORES), "-c", String(CONCURRENCY), "-d", `${SECONDS}s`, "--latency", "-s", script, `${at.replace("localhost", "127.0.0.1")}${api(path)}`], { encoding: "utf8" });
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (non2xx) throw new Error(`wrk saw ${non2xx[1]} failed requests:\n${out}`);
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]), p50: /^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? "?", p99: /^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? "?" };
}

const digest = createHash("sha256").update("keyward").digest("base64url");
const signRows: (string | number)[][] = [];
if (PARTS.has("sign")) {
  const measured: { alg: string; rps: number; p50: string; p99: string; base: number; body: string; path: string }[] = [];
  for (const [alg, create, ossl] of [
    ["RS256", { kty: "RSA-HSM", key_size: 2048 }, "rsa2048"],
    ["ES256", { kty: "EC-HSM", crv: "P-256" }, "ecdsap256"],
  ] as const) {
    const created = await call("POST", api(`/keys/bench-${alg}/create`), create, auth);
    const kid = (created.json as { key: { kid: string } }).key.kid;
    const version = kid.split("/").pop();
    const path = `/keys/bench-${alg}/${version}/sign`;
    const body = JSON.stringify({ alg, value: digest });
    measured.push({ alg, ...wrk(path, body), base: opensslSignsPerSecond(ossl), body, path });
  }
  // The same requests against a server that only does HTTPS (bench/lib/https-ceiling.ts).
  const ceiling = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "lib", "https-ceiling.ts"), dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  const ceilingOrigin = await new Promise<string>((resolve, reject) => {
    ceiling.stdout.once("data", (d: Buffer) => resolve((JSON.parse(d.toString()) as { origin: string }).origin));
    ceiling.once("exit", () => reject(new Error("the HTTPS ceiling server exited")));
  });
  for (const m of measured) {
    const https = wrk(m.path, m.body, ceilingOrigin).rps;
    // Both cores shared by the HTTPS exchange and the signature: per request, 1/https + 1/openssl seconds of the machine.
    const bound = 1 / (1 / https + 1 / m.base);
    signRows.push([`${m.alg} sign`, fmt(m.rps), `${m.p50} / ${m.p99}`, fmt(m.base), `${fmt((m.rps / m.base) * 100, 1)} %`, fmt(https), fmt(bound), `${fmt((bound / m.base) * 100, 1)} %`, `${fmt((m.rps / bound) * 100, 1)} %`]);
  }
  ceiling.kill("SIGTERM");
  await new Promise((r) => ceiling.once("exit", r));
}

// ---- list keys at 10k and 100k (bulk-loaded rows; list never opens material) ----
const db = new pg.Client({ connectionString: databaseUrl });
await db.connect();
async function bulkInsert(from: number, to: number) {
  const now = Math.floor(Date.now() / 1000);
  await db.query("BEGIN");
  await db.query(
    `INSERT INTO keys (name, name_folded, kty, managed, created, updated, recoverable_days, latest_version, version_count)
     SELECT 'bulk-' || lpad(i::text, 6, '0'), 'bulk-' || lpad(i::text, 6, '0'), 'oct-HSM', false, $1, $1, 90, md5(i::text), 1 FROM generate_series($2::int, $3::int) i`,
    [now, from, to],
  );
  await db.query(
    `INSERT INTO key_versions (key_id, seq, version, kty, key_ops, enabled, exportable, created, updated, tags, public_jwk, material, origin, hsm_platform)
     SELECT k.id, 1, k.latest_version, 'oct-HSM', ARRAY['encrypt','decrypt'], true, false, $1, $1, '{"env":"bench"}'::jsonb, '{}'::jsonb, $2, 'generated', '0'
     FROM keys k WHERE k.name BETWEEN 'bulk-' || lpad($3::text, 6, '0') AND 'bulk-' || lpad($4::text, 6, '0')`,
    [now, randomBytes(64), from, to],
  );
  await db.query("COMMIT");
  await db.query("ANALYZE keys; ANALYZE key_versions");
}
async function listLatency(n = 300): Promise<number[]> {
  const samples: number[] = [];
  let link: string | null = api("/keys?maxresults=25");
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await call("GET", link ?? api("/keys?maxresults=25"), undefined, auth);
    samples.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`list: ${r.status}`);
    const next = (r.json as { nextLink: string | null }).nextLink;
    link = next ? next.slice(origin.length) : null;
  }
  return samples;
}
const listRows: (string | number)[][] = [];
if (PARTS.has("list")) {
  await bulkInsert(1, 10_000);
  let lat = await listLatency();
  listRows.push(["10,000", fmt(percentile(lat, 50), 2), fmt(percentile(lat, 95), 2)]);
  await bulkInsert(10_001, 100_000);
  lat = await listLatency();
  listRows.push(["100,000", fmt(percentile(lat, 50), 2), fmt(percentile(lat, 95), 2)]);
}

// ---- .byok import throughput ----
const IMPORTS = 400;
async function importRate(): Promise<number> {
  const kek = await call("POST", api("/keys/bench-kek/create"), { kty: "RSA-HSM", key_size: 2048, key_ops: ["import"] }, auth);
  const kekKey = (kek.json as { key: { kid: string; n: string; e: string } }).key;
  const kekPub = createPublicKey({ key: { kty: "RSA", n: kekKey.n, e: kekKey.e }, format: "jwk" });
  const bodies = Array.from({ length: IMPORTS }, () => {
    const aes = randomBytes(32);
    const kwp = createCipheriv("id-aes256-wrap-pad", aes, Buffer.from("A65959A6", "hex"));
    const ct = Buffer.concat([publicEncrypt({ key: kekPub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, aes), kwp.update(randomBytes(32)), kwp.final()]);
    const file = serializeByok({ kid: kekKey.kid, ciphertext: new Uint8Array(ct), generator: "bench" });
    return { key: { kty: "oct-HSM", key_hsm: Buffer.from(file).toString("base64url") } };
  });
  let nextImport = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (nextImport < IMPORTS) {
        const i = nextImport++;
        const r = await call("PUT", api(`/keys/imported-${i}`), bodies[i], auth);
        if (r.status !== 200) throw new Error(`import: ${r.status} ${JSON.stringify(r.json)}`);
      }
    }),
  );
  return IMPORTS / ((performance.now() - t0) / 1000);
}
const imports = PARTS.has("import") ? await importRate() : null;

server.kill("SIGTERM");
await new Promise((r) => server.once("exit", r));
await db.end();
await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
await admin.end();
agent.destroy();

console.log(`\nLocal target over HTTPS (PostgreSQL store, ${CORES} cores, ${CONCURRENCY} connections, ${SECONDS} s per run)\n`);
if (signRows.length) {
  console.log(
    table(["operation", "API ops/s", "latency p50 / p99", `openssl speed -multi ${CORES}`, "API / openssl", "HTTPS-only server req/s", "bound: HTTPS + openssl", "bound / openssl", "API / bound"], signRows),
  );
  console.log("\nbound = 1 / (1/HTTPS-only + 1/openssl): the most any server could answer here if it did nothing but the HTTPS exchange and the signature on the same cores.");
}
if (listRows.length) {
  console.log(`\nList keys (GET /keys, 25 per page, 300 pages walked with nextLink)\n`);
  console.log(table(["keys in the store", "p50 ms", "p95 ms"], listRows));
}
if (imports !== null) console.log(`\n.byok import (AES-256 targets, RSA-2048 KEK, ${IMPORTS} imports, ${CONCURRENCY} in flight): ${fmt(imports)} imports/s\n`);
