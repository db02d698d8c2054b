/**
 * Key inventory page benchmark: 10,000 keys in the portal's default store (PGlite), the real portal
 * (UI built with `next build`, local target, embedded identity provider) and Debian's Chromium signed
 * in through the real OIDC flow. Measured in the browser, from the start of navigation to /inventory
 * until the first page of rows is rendered and the search box is usable — against, in the same run,
 * the same navigation to a static page of the same server and the raw search API call.
 * Target: interactive in < 1.5 s (issue 4 §2).
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "@playwright/test";
import { openDb } from "../apps/web/src/server/store/db";
import { migrate } from "../apps/web/src/server/store/migrate";
import { fmt, percentile, table } from "./lib/stats.js";

const KEYS = Number(process.env.BENCH_INVENTORY_KEYS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const TARGET_MS = 1500;
const WEB = join(import.meta.dirname, "..", "apps", "web");
const DIST = process.env.KEYWARD_BENCH_NEXT_DIST ?? ".next-bench";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

// ---- the UI, built once into its own directory (KEYWARD_BENCH_BUILD=reuse skips an existing build) ----
if (process.env.KEYWARD_BENCH_BUILD !== "reuse" || !existsSync(join(WEB, DIST, "BUILD_ID"))) {
  console.error(`building the portal UI into apps/web/${DIST} …`);
  const built = spawnSync("npx", ["next", "build"], { cwd: WEB, env: { ...process.env, KEYWARD_NEXT_DIST: DIST }, stdio: ["ignore", "ignore", "inherit"] });
  if (built.status !== 0) throw new Error("next build failed");
}

// ---- 10,000 keys written straight into the store before the portal opens it ----
const home = mkdtempSync(join(tmpdir(), "keyward-bench-ui-"));
const dataDir = join(home, "portal");
const now = Math.floor(Date.now() / 1000);
{
  mkdirSync(dataDir, { recursive: true });
  const db = await openDb({ dataDir: join(dataDir, "db") });
  await migrate(db);
  // A realistic mix: RSA/EC/AES, software and HSM, expiries spread over two years (some past), tags, every origin.
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO keys (name, name_folded, kty, managed, created, updated, recoverable_days, latest_version, version_count)
       SELECT n, n, 'RSA-HSM', false, $1 - i * 60, $1 - i * 60, 90, md5(i::text), 1
         FROM (SELECT i, 'key-' || (ARRAY['payments','billing','ledger','hr','audit'])[1 + i % 5] || '-' || lpad(i::text, 5, '0') AS n
                 FROM generate_series(1, $2::int) i) s`,
      [now, KEYS],
    );
    await tx.query(
      `INSERT INTO key_versions (key_id, seq, version, kty, key_ops, enabled, exp, exportable, created, updated, tags, public_jwk, material, origin, hsm_platform)
       SELECT k.id, 1, k.latest_version, (ARRAY['RSA-HSM','EC-HSM','oct-HSM','RSA','EC'])[1 + k.id % 5],
              CASE WHEN k.id % 5 = 2 THEN ARRAY['wrapKey','unwrapKey'] ELSE ARRAY['sign','verify'] END,
              k.id % 9 <> 0,
              CASE WHEN k.id % 4 = 0 THEN NULL ELSE $1 + ((k.id * 7919) % 760 - 30) * 86400 END,
              false, k.created, k.updated,
              jsonb_build_object('env', (ARRAY['prod','test','dev'])[1 + k.id % 3], 'team', 'team-' || (k.id % 40)),
              CASE WHEN k.id % 5 IN (0, 3) THEN jsonb_build_object('n', repeat('x', 342), 'e', 'AQAB')
                   WHEN k.id % 5 IN (1, 4) THEN '{"crv":"P-256","x":"AA","y":"AA"}'::jsonb ELSE '{}'::jsonb END,
              $2, (ARRAY['generated','byok-imported','imported','restored'])[1 + k.id % 4], '0'
         FROM keys k`,
      [now, randomBytes(64)],
    );
  });
  await db.exec("ANALYZE");
  await db.close();
}

// ---- the portal, as `npm start` runs it ----
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port: p } = probe.address() as { port: number };
    probe.close(() => resolve(p));
  });
});
// The embedded defaults: no PostgreSQL, no external identity provider, whatever this shell has set.
const LEAVE_OUT = new Set(["DATABASE_URL", "KEYWARD_DATA_DIR", "KEYWARD_AUTH", "KEYWARD_DOMAIN_KEY_SEALING"]);
const portalEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !LEAVE_OUT.has(name))),
  KEYWARD_NEXT_DIST: DIST,
  KEYWARD_HOME: home,
  KEYWARD_PORTAL_PORT: String(port),
  KEYWARD_LOG_LEVEL: "warn",
};
const portal = spawn(process.execPath, ["--import", "tsx", "server.ts"], { cwd: WEB, env: portalEnv, stdio: ["ignore", "pipe", "inherit"] });
const origin = await new Promise<string>((resolve, reject) => {
  let out = "";
  portal.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    const m = /portal \+ local target\s+(https:\/\/\S+)/.exec(out);
    if (m?.[1]) resolve(m[1]);
  });
  portal.once("exit", (code) => reject(new Error(`the portal exited (${code}) before listening`)));
});
const stopPortal = () => new Promise((r) => (portal.exitCode === null ? (portal.once("exit", r), portal.kill("SIGTERM")) : r(null)));
const initial = JSON.parse(readFileSync(join(dataDir, "auth", "initial-credentials.json"), "utf8")) as {
  admin: { username: string; password: string };
  cli: { clientId: string; clientSecret: string };
};

// ---- baseline 1: the raw search API call (Node, keep-alive, the CLI client's token) ----
const agent = new Agent({ keepAlive: true, ca: readFileSync(join(dataDir, "tls", "ca.pem")) });
function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}
const form = new URLSearchParams({ grant_type: "client_credentials", client_id: initial.cli.clientId, client_secret: initial.cli.clientSecret, scope: "https://managedhsm.azure.net/.default" });
const token = (JSON.parse((await call("POST", "/oidc/token", form.toString(), { "content-type": "application/x-www-form-urlencoded" })).text) as { access_token: string }).access_token;
async function apiTimes(path: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS * 3; i++) {
    const t0 = performance.now();
    const r = await call("GET", path, undefined, { authorization: `Bearer ${token}` });
    samples.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${r.text}`);
    if (i === 0 && path === "/portal-api/keys" && (JSON.parse(r.text) as { total: number }).total !== KEYS) throw new Error("the store does not hold the seeded keys");
  }
  return samples;
}

// ---- the browser, signed in through the real flow ----
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1400, height: 1000 } });
const page = await context.newPage();
await page.goto(`${origin}/inventory`);
await page.getByRole("button", { name: "Sign in" }).click();
await page.fill("input[name=username]", initial.admin.username);
await page.fill("input[name=password]", initial.admin.password);
await page.click("button[type=submit]");
await page.waitForSelector("[data-testid=whoami]", { timeout: 60_000 });

/**
 * Milliseconds from navigation start (the page's time origin) until `ready` first holds, read in the
 * page at the animation frame where it held — not after the round trip back to this process.
 */
async function navigate(p: Page, path: string, ready: string): Promise<number> {
  await p.goto(`${origin}${path}`, { waitUntil: "commit" });
  const probe = `(() => { if (!(${ready})) return false; window.__benchReady ??= performance.now(); return true; })()`;
  await p.waitForFunction(probe, undefined, { timeout: 30_000, polling: "raf" });
  return p.evaluate(() => (window as unknown as { __benchReady: number }).__benchReady);
}
const INTERACTIVE = `document.querySelectorAll("[data-testid=key-row]").length > 0 && document.querySelector("[data-testid=key-search]") instanceof HTMLInputElement && !document.querySelector("[data-testid=key-search]").disabled`;
const STATIC_READY = `document.readyState === "complete"`;

async function series(path: string, ready: string): Promise<{ cold: number; warm: number[] }> {
  const cold = await navigate(page, path, ready);
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) warm.push(await navigate(page, path, ready));
  return { cold, warm };
}

const staticPage = await series("/bench-baseline-static-page", STATIC_READY);
const inventory = await series("/inventory", INTERACTIVE);
const rowsShown = await page.locator("[data-testid=key-row]").count();
const totalText = (await page.textContent("[data-testid=key-total]")) ?? "";
const filtered = await series("/inventory?tag=env%3Dprod&sort=expires&dir=desc&page=20", INTERACTIVE);
const rawDefault = await apiTimes("/portal-api/keys");
const rawFiltered = await apiTimes("/portal-api/keys?tag=env%3Dprod&sort=expires&dir=desc&page=20");

await browser.close();
agent.destroy();
await stopPortal();
rmSync(home, { recursive: true, force: true });

const base = percentile(staticPage.warm, 50);
const row = (what: string, s: { cold: number; warm: number[] }) => [
  what,
  fmt(s.cold),
  fmt(percentile(s.warm, 50)),
  fmt(percentile(s.warm, 95)),
  `${fmt(percentile(s.warm, 50) / base, 1)}×`,
  s === staticPage ? "—" : percentile(s.warm, 95) < TARGET_MS ? "met" : "NOT met",
];
console.log(`\nKey inventory page, ${fmt(KEYS)} keys (PGlite), Chromium headless, ${RUNS} warm runs after one cold one; ms from navigation start\n`);
console.log(table(
  ["navigation", "first (cold cache)", "p50", "p95", "p50 / static page", `< ${fmt(TARGET_MS)} ms`],
  [row("static page of the same server (baseline)", staticPage), row("/inventory: first 50 rows + search box usable", inventory), row("/inventory, tag filter + sort by expiry, page 20", filtered)],
));
console.log(`\nRows rendered: ${rowsShown}; total shown: "${totalText}"`);
console.log(`\nThe search API alone (Node client, keep-alive; ${RUNS * 3} calls each)\n`);
console.log(table(
  ["request", "p50 ms", "p95 ms"],
  [
    ["GET /portal-api/keys (first page of 50, by name)", fmt(percentile(rawDefault, 50), 1), fmt(percentile(rawDefault, 95), 1)],
    ["GET /portal-api/keys?tag=env=prod&sort=expires&dir=desc&page=20", fmt(percentile(rawFiltered, 50), 1), fmt(percentile(rawFiltered, 95), 1)],
  ],
));
