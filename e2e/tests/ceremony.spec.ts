import { execFileSync } from "node:child_process";
import { createPrivateKey, createPublicKey, randomBytes, type JsonWebKey } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page, Request } from "@playwright/test";
import { parseByok, type KeySpec } from "@keyward/shared";
import { test, expect, signIn } from "../fixtures";
import type { KeywardApi } from "../harness/api";

/*
 * The BYOK ceremony in the browser, end to end on the run's bridge (SoftHSM2): register the bridge, a
 * ceremony of each target kind, a bulk one, an air-gapped one through the real `keyward-bridge exec` —
 * and the proof that no key material reaches the browser. One page records every request and response
 * body, WebSocket frame and final DOM of all these ceremonies; the last test learns each target's secret
 * by having the bridge wrap it for a KEK only this test holds, opens that with the OpenSSL CLI, and
 * searches everything the browser saw for it.
 */

const BRIDGE_CLI = fileURLToPath(new URL("../../apps/bridge/dist/cli.js", import.meta.url));
const RUN = randomBytes(2).toString("hex");
const name = (what: string) => `e2e-${what}-${RUN}`;

test.describe.configure({ mode: "serial" });

// ---------------------------------------------------------------------------------------------------
// What the browser sees

interface Seen {
  where: string;
  text: string;
}

/**
 * Records every request body, response body, WebSocket frame (and, on demand, the DOM and storage) of a
 * page. The portal's answers are taken in flight — routed through the test and handed on unchanged —
 * because the browser keeps no body the DevTools protocol could read later for some of them (an
 * attachment download, a prefetch it dropped). Only the sign-in pages of the identity provider (page
 * loads under `/oidc`, with their redirects and cookies) go their own way and are read from the
 * response events; any body missed there is reported.
 */
async function record(page: Page, origin: string) {
  const seen: Seen[] = [];
  const reads: Promise<unknown>[] = [];
  const unread: string[] = [];
  const taken = new WeakSet<Request>();
  page.on("request", (r) => {
    seen.push({ where: `request URL ${r.method()} ${r.url()}`, text: r.url() });
    const body = r.postDataBuffer();
    if (body) seen.push({ where: `request body ${r.method()} ${r.url()}`, text: body.toString("utf8") });
  });
  await page.route(
    (url) => url.origin === origin,
    async (route) => {
      const request = route.request();
      if (request.isNavigationRequest() && new URL(request.url()).pathname.startsWith("/oidc")) return route.continue();
      taken.add(request);
      const response = await route.fetch({ maxRedirects: 0 });
      const body = await response.body();
      seen.push({ where: `response ${response.status()} ${request.url()}`, text: body.toString("utf8") });
      // A request the page gave up on meanwhile (a prefetch) cannot be answered; its body is recorded all the same.
      await route.fulfill({ response, body }).catch(() => undefined);
    },
  );
  page.on("response", (r) => {
    if (taken.has(r.request()) || (r.status() >= 300 && r.status() < 400) || r.status() === 204) return;
    reads.push(
      r.body().then(
        (b) => seen.push({ where: `response ${r.status()} ${r.url()}`, text: b.toString("utf8") }),
        () => unread.push(`${r.status()} ${r.url()}`),
      ),
    );
  });
  page.on("websocket", (ws) => {
    ws.on("framesent", (f) => seen.push({ where: `websocket → ${ws.url()}`, text: String(f.payload) }));
    ws.on("framereceived", (f) => seen.push({ where: `websocket ← ${ws.url()}`, text: String(f.payload) }));
  });
  return {
    seen,
    unread,
    settle: () => Promise.allSettled(reads),
    async snapshot(label: string) {
      seen.push({ where: `DOM ${label}`, text: await page.content() });
      seen.push({ where: `storage ${label}`, text: await page.evaluate(() => JSON.stringify({ ...window.localStorage }) + JSON.stringify({ ...window.sessionStorage })) });
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Secrets, learned outside the browser

interface Secret {
  what: string;
  bytes: Buffer;
}

/** The forms a secret could take in text: hex (any case, or colon-separated), base64 and base64url at every byte alignment. */
function needles(bytes: Buffer): { form: string; value: string; caseless: boolean }[] {
  const hex = bytes.toString("hex");
  const out = [
    { form: "hex", value: hex, caseless: true },
    { form: "hex with colons", value: hex.match(/../g)!.join(":"), caseless: true },
  ];
  for (const shift of [0, 1, 2]) {
    // Inside a longer base64 text the secret starts at any of three alignments; only the characters
    // made of the secret's bits alone are searched for.
    const enc = Buffer.concat([Buffer.alloc(shift), bytes]).toString("base64");
    const core = enc.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));
    out.push({ form: `base64 (offset ${shift})`, value: core, caseless: false });
    out.push({ form: `base64url (offset ${shift})`, value: core.replace(/\+/g, "-").replace(/\//g, "_"), caseless: false });
  }
  return out;
}

function leaks(seen: readonly Seen[], secrets: readonly Secret[]): string[] {
  const found: string[] = [];
  const forms = secrets.map((s) => ({ what: s.what, needles: needles(s.bytes) }));
  for (const s of seen) {
    const lower = s.text.toLowerCase();
    if (s.text.includes("PRIVATE KEY-----")) found.push(`${s.where}: a PEM private key`);
    for (const f of forms) for (const n of f.needles) if ((n.caseless ? lower : s.text).includes(n.value)) found.push(`${s.where}: ${f.what} as ${n.form}`);
  }
  return found;
}

const scratch = mkdtempSync(join(tmpdir(), "keyward-e2e-ceremony-"));
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: scratch, stdio: ["ignore", "pipe", "pipe"] });

/** An RSA KEK whose private key only this test holds (the bridge gets its public PEM in a signed command). */
function testHeldKek() {
  const privatePath = join(scratch, "test-kek.pem");
  openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", privatePath);
  return { privatePath, publicPem: openssl("pkey", "-in", privatePath, "-pubout").toString(), kid: "https://e2e.invalid/keys/test-held-kek/0123456789abcdef0123456789abcdef" };
}

/** Open a `.byok` ciphertext with the OpenSSL CLI alone: OAEP-SHA1 over the first 256 bytes, then RFC 5649 unwrap of the rest. */
function opensslUnwrap(ciphertext: Buffer, kekPrivatePath: string, n: number): Buffer {
  writeFileSync(join(scratch, `wk-${n}`), ciphertext.subarray(0, 256));
  writeFileSync(join(scratch, `wt-${n}`), ciphertext.subarray(256));
  const aes = openssl("pkeyutl", "-decrypt", "-inkey", kekPrivatePath, "-in", `wk-${n}`, "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha1", "-pkeyopt", "rsa_mgf1_md:sha1");
  return openssl("enc", "-d", "-id-aes256-wrap-pad", "-K", aes.toString("hex"), "-iv", "A65959A6", "-in", `wt-${n}`);
}

const b64u = (s: string | undefined) => Buffer.from(s ?? "", "base64url");

/** A target's private parts (RSA d, primes and CRT values; EC d; the AES key), and what the target must show for it. */
function secretsOf(label: string, spec: KeySpec, plaintext: Buffer): { secrets: Secret[]; publicJwk?: JsonWebKey; kcv?: string } {
  if (spec.kty === "oct") {
    expect(plaintext.length).toBe(spec.size / 8);
    const kcv = execFileSync("openssl", ["enc", `-aes-${spec.size}-ecb`, "-K", plaintext.toString("hex"), "-nopad"], { input: Buffer.alloc(16) }).subarray(0, 3).toString("hex");
    return { secrets: [{ what: `${label}: AES key`, bytes: plaintext }], kcv };
  }
  // SoftHSM pads the PKCS#8 DER with up to 7 zero bytes before wrapping; Node reads it as it is.
  const key = createPrivateKey({ key: plaintext, format: "der", type: "pkcs8" });
  const jwk = key.export({ format: "jwk" });
  const parts = spec.kty === "RSA" ? (["d", "p", "q", "dp", "dq", "qi"] as const) : (["d"] as const);
  return { secrets: parts.map((p) => ({ what: `${label}: ${spec.kty} ${p}`, bytes: b64u(jwk[p]) })), publicJwk: createPublicKey(key).export({ format: "jwk" }) };
}

// ---------------------------------------------------------------------------------------------------
// Driving the wizard

interface CeremonyChoice {
  kek: { kind: "create"; name: string } | { kind: "existing"; name: string };
  spec: KeySpec;
  count?: number;
  /** A name, or a pattern with {n} when count > 1. */
  names: string;
  labels?: string;
  mode?: "online" | "air-gapped";
}

async function fillWizard(page: Page, bridgeId: string, c: CeremonyChoice): Promise<void> {
  await page.goto("/ceremonies/new");
  await page.getByTestId(`choose-bridge-${bridgeId}`).check();
  await page.getByTestId(`kek-${c.kek.kind}`).check();
  await page.getByLabel("KEK name").fill(c.kek.name);
  if (c.kek.kind === "create") await page.getByLabel("KEK size").selectOption("2048");
  else await expect(page.getByTestId("wizard-kek")).toContainText("Usable: an enabled, import-only RSA key.");
  await page.getByLabel("Type").selectOption(c.spec.kty);
  if (c.spec.kty === "EC") await page.getByLabel("Curve").selectOption(c.spec.crv);
  else await page.getByLabel("Size", { exact: true }).selectOption(String(c.spec.size));
  if (c.count && c.count > 1) await page.getByLabel("Number of keys").fill(String(c.count));
  await page.getByLabel(c.count && c.count > 1 ? "Name pattern" : "Name in the target").fill(c.names);
  if (c.labels) await page.getByLabel(c.count && c.count > 1 ? "HSM label pattern" : "HSM label").fill(c.labels);
  if (c.mode === "air-gapped") await page.getByTestId("mode-air-gapped").check();
}

/** Start and land on the ceremony's page; returns its id. */
async function start(page: Page): Promise<string> {
  await page.getByTestId("start-ceremony").click();
  await page.waitForURL(/\/ceremonies\/cer_[0-9a-z]+$/, { timeout: 60_000 });
  return new URL(page.url()).pathname.split("/").pop()!;
}

async function ceremonyCount(api: KeywardApi): Promise<number> {
  const res = await api.portal("GET", "/ceremonies?limit=200");
  expect(res.status()).toBe(200);
  return ((await res.json()) as { ceremonies: unknown[] }).ceremonies.length;
}

// ---------------------------------------------------------------------------------------------------

/** Every target key the ceremonies of this file brought in: its HSM label (= its name) and type. */
const brought: { name: string; spec: KeySpec }[] = [];
let page: Page;
let recorder: Awaited<ReturnType<typeof record>>;

test.beforeAll(async ({ browser, product }) => {
  const context = await browser.newContext({ baseURL: product.origin, ignoreHTTPSErrors: true });
  page = await context.newPage();
  recorder = await record(page, product.origin);
  await signIn(page, product.admin, "/bridges");
});

test.afterAll(async () => {
  await page.context().close();
  // The test-held KEK's private key is a secret too: nothing of it stays behind.
  rmSync(scratch, { recursive: true, force: true });
});

test("an admin registers the bridge: the thumbprint computed in the browser is the one init printed; refusals in words", async ({ product, adminApi, snap }) => {
  const { bridge } = product;
  await page.goto("/bridges");
  await page.getByRole("button", { name: "Register a bridge" }).click();
  const form = page.getByTestId("register-bridge-form");

  // A private key is refused before anything is sent.
  await form.getByLabel("Identity public key").fill(JSON.stringify({ kty: "OKP", crv: "Ed25519", x: bridge.identity.jwk.x, d: "bm90IGEgcmVhbCBrZXk" }));
  await form.getByRole("button", { name: "Register bridge" }).click();
  await expect(form.getByTestId("problem-identity")).toHaveText("This is a private key. It must not leave the bridge host: register the public key only (keyward-bridge identity).");
  await expect(form.getByTestId("problem-url")).toContainText("Use a ws:// or wss:// URL");

  // What `keyward-bridge identity` prints: the id comes with it, the thumbprint is computed here.
  await form.getByLabel("Identity public key").fill(JSON.stringify({ bridgeId: bridge.bridgeId, thumbprint: bridge.identity.kid, publicJwk: bridge.identity.jwk }, null, 2));
  await form.getByLabel("WebSocket URL").fill(bridge.url);
  await expect(form.getByLabel("Bridge id")).toHaveValue(bridge.bridgeId);
  await expect(form.getByTestId("computed-thumbprint")).toHaveAttribute("title", bridge.identity.kid);
  const registered = async () => ((await adminApi.portal("GET", "/bridges").then((r) => r.json())) as { bridges: { bridgeId: string; thumbprint: string }[] }).bridges;
  expect((await registered()).map((b) => b.bridgeId)).not.toContain(bridge.bridgeId);
  await snap(page, "bridge-register");
  await form.getByRole("button", { name: "Register bridge" }).click();

  const card = page.getByTestId(`bridge-${bridge.bridgeId}`);
  await expect(card.getByTestId("bridge-state-online")).toBeVisible();
  await expect(card.getByTestId("bridge-thumbprint")).toHaveAttribute("title", bridge.identity.kid);
  await expect(card.getByTestId("bridge-byok-path")).toContainText("Two steps inside the token");
  await expect(card.getByTestId("bridge-preflight")).toContainText("keyward-e2e");

  // The same bridge again: the server's refusal is shown next to the bridge id, and nothing changes.
  await page.getByRole("button", { name: "Register a bridge" }).click();
  await form.getByLabel("Identity public key").fill(JSON.stringify(bridge.identity.jwk));
  await form.getByLabel("WebSocket URL").fill(bridge.url);
  await form.getByLabel("Bridge id").fill(bridge.bridgeId);
  await form.getByRole("button", { name: "Register bridge" }).click();
  await expect(form.getByTestId("server-error-bridgeId")).toContainText(`a bridge with the id ${bridge.bridgeId} is already registered`);
  expect((await registered()).filter((b) => b.bridgeId === bridge.bridgeId).map((b) => b.thumbprint)).toEqual([bridge.identity.kid]);
  await snap(page, "bridges");
  await recorder.snapshot("bridges");
});

test("an RSA ceremony: checked as you type, a server refusal next to its field, then done and still there after a reload", async ({ product, adminApi, snap }) => {
  const rsa = name("rsa");
  await fillWizard(page, product.bridge.bridgeId, { kek: { kind: "create", name: name("kek") }, spec: { kty: "RSA", size: 2048 }, names: "not a name" });
  await expect(page.getByTestId("problem-names")).toHaveText("“not a name” is not a valid key name: 1–127 letters, digits and '-'.");
  await page.getByTestId("start-ceremony").click();
  await expect(page.getByTestId("wizard-review").getByRole("alert")).toHaveText("Fix the marked fields to start.");
  await expect(page).toHaveURL(/\/ceremonies\/new$/);

  await page.getByLabel("Name in the target").fill(rsa);
  await expect(page.getByTestId("wizard-preview")).toContainText(rsa);
  await snap(page, "ceremony-wizard");
  const id = await start(page);
  await expect(page.getByTestId("ceremony-state-completed")).toBeVisible({ timeout: 60_000 });
  const row = page.getByTestId(`target-${rsa}`);
  await expect(row.getByTestId("target-state-proven")).toBeVisible();
  const sha = (await row.getByTestId("target-byok-sha256").textContent())!.trim();
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  await expect(row).toContainText("RS256 signature from the target verifies with the HSM's public key");
  await expect(page.getByTestId("record-kek")).toHaveText(`${name("kek")}, RSA-2048, created for this ceremony (import-only)`);
  await expect(page.getByTestId("record-bridge")).toContainText(product.bridge.bridgeId);
  await snap(page, "ceremony-rsa");

  // The page holds nothing of its own: a reload shows the same record from the server.
  await page.reload();
  await expect(page.getByTestId("ceremony-state-completed")).toBeVisible();
  await expect(page.getByTestId(`target-${rsa}`).getByTestId("target-byok-sha256")).toHaveText(sha);
  const imported = (await adminApi.keyVault("GET", `/keys/${rsa}`).then((r) => r.json())) as { key: { kty: string } };
  expect(imported.key.kty).toBe("RSA-HSM");
  brought.push({ name: rsa, spec: { kty: "RSA", size: 2048 } });
  await recorder.snapshot(`ceremony ${id}`);

  // An HSM label the token already holds: only the bridge knows, so the server refuses, next to the label.
  const before = await ceremonyCount(adminApi);
  await fillWizard(page, product.bridge.bridgeId, { kek: { kind: "create", name: name("kek-unused") }, spec: { kty: "RSA", size: 2048 }, names: name("rsa-again"), labels: rsa });
  await page.getByTestId("start-ceremony").click();
  await expect(page.getByTestId("server-error-labels")).toContainText(`the HSM label ${rsa} is already taken on the token`);
  await expect(page).toHaveURL(/\/ceremonies\/new$/);
  expect(await ceremonyCount(adminApi)).toBe(before);
  expect((await adminApi.keyVault("GET", `/keys/${name("kek-unused")}`)).status()).toBe(404);
});

test("an EC ceremony with an existing import-only KEK (and one that is not import-only refused as you type)", async ({ product }) => {
  const ec = name("ec");
  await fillWizard(page, product.bridge.bridgeId, { kek: { kind: "existing", name: name("kek") }, spec: { kty: "EC", crv: "P-256" }, names: ec });
  await page.getByLabel("KEK name").fill(name("rsa"));
  await expect(page.getByTestId("problem-kekName")).toHaveText("This key can do more than import; a KEK must be import-only (key_ops: import).");
  await page.getByLabel("KEK name").fill(name("kek"));
  await expect(page.getByTestId("wizard-kek")).toContainText("Usable: an enabled, import-only RSA key.");
  await start(page);
  await expect(page.getByTestId("ceremony-state-completed")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId(`target-${ec}`)).toContainText("ES256 signature from the target verifies with the HSM's public key");
  await expect(page.getByTestId("record-kek")).toHaveText(`${name("kek")}, existing import-only key`);
  brought.push({ name: ec, spec: { kty: "EC", crv: "P-256" } });
  await recorder.snapshot("ceremony ec");
});

test("an AES ceremony proven by its key check value", async ({ product }) => {
  const aes = name("aes");
  await fillWizard(page, product.bridge.bridgeId, { kek: { kind: "create", name: name("kek-aes") }, spec: { kty: "oct", size: 256 }, names: aes });
  await start(page);
  await expect(page.getByTestId("ceremony-state-completed")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId(`target-${aes}`)).toContainText(/KCV [0-9a-f]{6} matches the HSM's/);
  brought.push({ name: aes, spec: { kty: "oct", size: 256 } });
  await recorder.snapshot("ceremony aes");
});

test("a key already on the token, picked from the bridge's key list", async ({ product, bridge }) => {
  const label = name("token-key");
  await bridge.run({ type: "key.generate", label, key: { kty: "EC", crv: "P-384" } });
  await page.goto("/ceremonies/new");
  await page.getByTestId(`choose-bridge-${product.bridge.bridgeId}`).check();
  await page.getByLabel("KEK name").fill(name("kek-token"));
  await page.getByLabel("KEK size").selectOption("2048");
  await page.getByTestId("source-existing").check();
  await page.getByTestId(`token-key-${label}`).check();
  // Keys the portal already brought in are on the token too: picking one of their labels again is fine for
  // the token, but its name in the target is taken — said as you type.
  await page.getByLabel("Name in the target").fill(name("rsa"));
  await expect(page.getByTestId("problem-names")).toHaveText(`These keys already exist in the target: ${name("rsa")}.`);
  await page.getByLabel("Name in the target").fill(label);
  await expect(page.getByTestId("wizard-preview")).toContainText("EC P-384");
  await start(page);
  await expect(page.getByTestId("ceremony-state-completed")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId(`target-${label}`)).toContainText("token key");
  await expect(page.getByTestId(`target-${label}`)).toContainText("ES384 signature from the target verifies with the HSM's public key");
  brought.push({ name: label, spec: { kty: "EC", crv: "P-384" } });
  await recorder.snapshot("ceremony token key");
});

test("a bulk ceremony: 20 keys from one pattern with a progress bar", async ({ product, snap }) => {
  test.setTimeout(120_000);
  await fillWizard(page, product.bridge.bridgeId, { kek: { kind: "create", name: name("kek-bulk") }, spec: { kty: "EC", crv: "P-256" }, count: 20, names: `${name("bulk")}-{n:2}` });
  await expect(page.getByTestId("wizard-preview")).toContainText(`${name("bulk")}-01`);
  await expect(page.getByTestId("wizard-targets")).toContainText("…and 12 more");
  await expect(page.getByTestId("wizard-summary")).toHaveText(`20 key(s) · KEK ${name("kek-bulk")} · bridge ${product.bridge.bridgeId} · Online`);
  await start(page);
  await expect(page.getByTestId("ceremony-state-completed")).toBeVisible({ timeout: 100_000 });
  const bar = page.getByTestId("ceremony-progress");
  await expect(bar).toHaveAttribute("aria-valuenow", "20");
  await expect(bar).toHaveAttribute("aria-valuetext", "20 of 20 proven");
  await expect(page.getByTestId("ceremony-targets").getByTestId("target-state-proven")).toHaveCount(20);
  await snap(page, "ceremony-bulk");
  for (let n = 1; n <= 20; n++) brought.push({ name: `${name("bulk")}-${String(n).padStart(2, "0")}`, spec: { kty: "EC", crv: "P-256" } });
  await recorder.snapshot("ceremony bulk");
});

test("an air-gapped ceremony: signed command files run with keyward-bridge exec, signed results uploaded", async ({ product, snap }) => {
  test.setTimeout(120_000);
  const ag = `${name("airgap")}-{n}`;
  await fillWizard(page, product.bridge.bridgeId, { kek: { kind: "create", name: name("kek-ag") }, spec: { kty: "EC", crv: "P-384" }, count: 2, names: ag, mode: "air-gapped" });
  const id = await start(page);
  const panel = page.getByTestId("air-gapped-panel");
  const files: string[] = [];
  // Two generate files, then one wrap file for both keys.
  for (const expected of ["generate", "generate", "wrap"]) {
    await expect(panel).toBeVisible({ timeout: 30_000 });
    await expect(panel.getByRole("heading")).toContainText(expected === "wrap" ? "wrap for the KEK" : "generate in the HSM");
    const fileName = `keyward-${id}-${expected}-${expected === "wrap" ? 1 : files.length + 1}-of-${expected === "wrap" ? 1 : 2}.jws`;
    await expect(page.getByTestId("air-gapped-command")).toHaveText(`keyward-bridge exec ${fileName} > result.jws`);
    if (files.length === 0) await snap(page, "ceremony-air-gapped");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-command").click()]);
    expect(download.suggestedFilename()).toBe(fileName);
    const commandFile = join(scratch, fileName);
    await download.saveAs(commandFile);
    // The real CLI on the "offline host": the bridge's home, its PIN file, its SoftHSM2 token.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["KEYWARD_BRIDGE_PIN", "SOFTHSM2_CONF"].includes(k)));
    const result = execFileSync(process.execPath, [BRIDGE_CLI, "exec", commandFile], { env: { ...env, KEYWARD_BRIDGE_HOME: product.bridge.home }, stdio: ["ignore", "pipe", "pipe"] });
    writeFileSync(`${commandFile}.result`, result);
    files.push(commandFile);
    await page.getByTestId("result-file").setInputFiles(`${commandFile}.result`);
    await page.getByTestId("upload-result").click();
    if (expected !== "wrap") await expect(panel.getByRole("heading")).not.toContainText(`file ${files.length} of`, { timeout: 30_000 });
  }
  await expect(page.getByTestId("ceremony-state-completed")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("ceremony-targets").getByTestId("target-state-proven")).toHaveCount(2);
  await snap(page, "ceremony-air-gapped-done");
  for (const n of [1, 2]) brought.push({ name: `${name("airgap")}-${n}`, spec: { kty: "EC", crv: "P-384" } });
  await recorder.snapshot("ceremony air-gapped");
});

test("no key material reached the browser during these ceremonies", async ({ bridge, adminApi, snap }) => {
  test.setTimeout(120_000);
  await page.goto("/ceremonies");
  await expect(page.getByTestId("ceremony-list")).toBeVisible();
  await snap(page, "ceremonies");
  await recorder.snapshot("ceremonies list");
  await recorder.settle();
  expect(brought).toHaveLength(26);

  // The bridge wraps each target again, for a KEK only this test holds; OpenSSL opens it.
  const kek = testHeldKek();
  const secrets: Secret[] = [];
  let n = 0;
  for (const target of brought) {
    const wrapped = await bridge.run({ type: "byok.wrap", target: target.name, kek: { kid: kek.kid, publicKeyPem: kek.publicPem } });
    const byok = parseByok(wrapped.byok);
    if (!byok.ok) throw new Error(byok.message);
    const learned = secretsOf(target.name, target.spec, opensslUnwrap(Buffer.from(byok.value.ciphertext), kek.privatePath, n++));
    // What was learned is the imported key itself: same public key in the target, or the same check value.
    const imported = (await adminApi.keyVault("GET", `/keys/${target.name}`).then((r) => r.json())) as { key: JsonWebKey };
    if (learned.publicJwk?.kty === "RSA") expect(imported.key.n).toBe(learned.publicJwk.n);
    if (learned.publicJwk?.kty === "EC") expect([imported.key.x, imported.key.y]).toEqual([learned.publicJwk.x, learned.publicJwk.y]);
    if (learned.kcv) expect(recorder.seen.some((s) => s.where.startsWith("DOM") && s.text.includes(`KCV ${learned.kcv} matches the HSM's`))).toBe(true);
    secrets.push(...learned.secrets);
  }
  expect(secrets).toHaveLength(6 + 1 + 1 + 1 + 20 + 2);

  // The search can fail: each secret is found when it is there, in any of its textual forms.
  for (const s of secrets) {
    const planted = [
      { where: "control hex", text: `{"k":"${s.bytes.toString("hex").toUpperCase()}"}` },
      { where: "control base64", text: Buffer.concat([randomBytes(7), s.bytes, randomBytes(5)]).toString("base64") },
      { where: "control base64url", text: `{"d":"${s.bytes.toString("base64url")}"}` },
    ];
    for (const p of planted) expect(leaks([p], [s]), `${s.what} in ${p.where}`).not.toEqual([]);
  }
  expect(leaks([{ where: "control pem", text: "-----BEGIN PRIVATE KEY-----" }], [])).toEqual(["control pem: a PEM private key"]);

  // The recording saw the ceremonies (API answers with their hashes, the air-gapped files) and missed no API body.
  expect(recorder.unread).toEqual([]);
  expect(recorder.seen.filter((s) => s.where.startsWith("response 202") && s.where.includes("/portal-api/ceremonies"))).toHaveLength(6);
  const commandFiles = recorder.seen.filter((s) => s.where.startsWith("response") && s.where.includes("/command-file"));
  expect(commandFiles.map((s) => `${s.where.split(" ")[1]} ${/^[\w-]+\.[\w-]+\.[\w-]+$/.test(s.text.trim())}`)).toEqual(["200 true", "200 true", "200 true"]);
  expect(recorder.seen.filter((s) => s.where.startsWith("request body POST") && s.where.includes("/result-file"))).toHaveLength(3);

  expect(leaks(recorder.seen, secrets)).toEqual([]);
});

test("someone who may not run ceremonies is told why, in words, on the ceremony and bridge pages", async ({ users, signInAs }) => {
  const auditor = await users.create({ prefix: "auditor", roles: ["cryptoAuditor"] });
  const other = await signInAs(auditor, "/ceremonies");
  const refusal = other.getByRole("alert").filter({ hasText: "You do not have permission for this:" });
  await expect(refusal).toBeVisible();
  await other.goto("/bridges");
  await expect(refusal).toBeVisible();
  await expect(other.getByRole("button", { name: "Register a bridge" })).toHaveCount(0);
});
