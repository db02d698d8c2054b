import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Response } from "@playwright/test";
import { parseSecurityDomainFile, RehearsalViewSchema, splitCompactJwe, type RehearsalView } from "@keyward/shared";
import { test, expect, signIn } from "../fixtures";
import { startProcess, type Started } from "../harness/processes";

/*
 * A quorum rehearsal in the browser on the development security domain: custodian 1's bridge (one of the
 * three homes the harness made with `keyward-bridge dev-custodians`) is started and registered; the admin
 * asks a user with no role at all — the custodian — to rehearse on the /recovery form; the custodian signs
 * in, reads the exact command, approves it, and their bridge's proof passes. Everything the custodian's
 * browser receives is kept: it holds no rehearsal key, no JWE but the custodians' own encrypted shares of
 * the security-domain file, and nothing of the domain key.
 */

const BRIDGE_CLI = fileURLToPath(new URL("../../apps/bridge/dist/cli.js", import.meta.url));
/** What the harness keeps out of the product's processes keeps out of this bridge's too. */
const NOT_INHERITED = ["KEYWARD_BRIDGE_PIN", "SOFTHSM2_CONF", "KEYWARD_BRIDGE_HOME"];

let custodianBridge: Started | undefined;

test.afterAll(async () => {
  await custodianBridge?.stop();
});

/** `keyward-bridge start` on a dev-custodians home; its config listens on any free port, which its log names. */
async function startCustodianBridge(home: string, logFile: string): Promise<{ url: string; identity: { bridgeId: string; publicJwk: object } }> {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !NOT_INHERITED.includes(k))), KEYWARD_BRIDGE_HOME: home, KEYWARD_BRIDGE_LOG_LEVEL: "info" };
  const identity = JSON.parse(execFileSync(process.execPath, [BRIDGE_CLI, "identity"], { env, encoding: "utf8" })) as { bridgeId: string; publicJwk: object };
  custodianBridge = startProcess(identity.bridgeId, process.execPath, [BRIDGE_CLI, "start"], { cwd: home, env, logFile });
  const child = custodianBridge.child;
  const url = await Promise.race([
    new Promise<string>((resolve) => {
      let log = "";
      child.stderr?.on("data", (d: Buffer) => {
        log += d.toString();
        const m = /"url":"(ws:[^"]+)"/.exec(log);
        if (m?.[1]) resolve(m[1]);
      });
    }),
    custodianBridge.exited,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${identity.bridgeId} did not start listening (log: ${logFile})`)), 30_000)),
  ]);
  return { url, identity };
}

/** x5t#S256 of a PEM certificate: what the security-domain file names each share by. */
const thumbprintOf = (pem: string) => createHash("sha256").update(new X509Certificate(pem).raw).digest("base64url");

/** Compact JWEs in a text: five base64url parts whose first is a JSON header with `enc`. */
function jwesIn(text: string): string[] {
  return [...text.matchAll(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g)]
    .map((m) => m[0])
    .filter((candidate) => {
      try {
        return "enc" in splitCompactJwe(candidate).header;
      } catch {
        return false;
      }
    });
}

test("a custodian approves the exact rehearsal command and passes; the browser sees only shares encrypted to custodians", async ({ product, adminApi, users, signedInPage: admin, browser, snap }) => {
  test.setTimeout(150_000);
  const home = join(product.custodiansDir, "1");
  const thumbprint = thumbprintOf(readFileSync(join(home, "custodian.pem"), "utf8"));
  const bridgeId = (JSON.parse(readFileSync(join(home, "bridge.json"), "utf8")) as { bridgeId: string }).bridgeId;
  const { url, identity } = await startCustodianBridge(home, join(product.home, "logs", `${bridgeId}.log`));
  expect(identity.bridgeId).toBe(bridgeId);
  const registered = await adminApi.portal("POST", "/bridges", { bridgeId, url, publicJwk: identity.publicJwk, description: "development custodian 1" });
  expect(registered.status(), await registered.text()).toBe(201);
  const custodian = await users.create({ prefix: "custodian", displayName: "Kaito Custodian" });

  // The administrator asks the custodian to rehearse, on the form.
  await admin.getByRole("navigation", { name: "main" }).getByRole("link", { name: "Recovery" }).click();
  const form = admin.getByTestId("rehearsal-form");
  await form.locator("select[name=rehearsal-certificate]").selectOption(thumbprint);
  await form.locator("select[name=rehearsal-bridge]").selectOption(bridgeId);
  await expect(form.locator("input[name=rehearsal-keyLabel]")).toHaveValue("custodian");
  await form.locator("input[name=rehearsal-principal]").fill(custodian.oid);
  await form.getByTestId("start-rehearsal-submit").click();
  await expect(form.getByRole("status")).toContainText("Rehearsal started");
  const listed = RehearsalViewSchema.array().parse(await (await adminApi.portal("GET", "/security-domain/rehearsals")).json());
  const rehearsal = listed.find((r) => r.principalId === custodian.oid) as RehearsalView;
  expect(rehearsal).toMatchObject({ state: "pending", thumbprintSha256: thumbprint, bridgeId, keyLabel: "custodian" });
  await expect(admin.getByTestId(`rehearsal-row-${rehearsal.id}`).getByTestId("state-badge")).toHaveText("Awaiting the custodian");

  // The custodian, in their own browser, every response body kept from the first request on.
  const context = await browser.newContext({ baseURL: product.origin, ignoreHTTPSErrors: true });
  const seen: { url: string; body: string }[] = [];
  const reads: Promise<void>[] = [];
  const keep = (r: Response) => {
    if (r.status() >= 300 && r.status() < 400) return;
    reads.push(r.body().then((b) => void seen.push({ url: r.url(), body: b.toString("utf8") }), () => undefined));
  };
  try {
    const page = await context.newPage();
    page.on("response", keep);
    await signIn(page, custodian, "/recovery");
    const card = page.getByTestId(`awaiting-rehearsal-${rehearsal.id}`);
    await expect(card.getByTestId("approval-check")).toHaveAttribute("data-check", "matches");
    expect(await card.getByTestId("approval-command").textContent()).toBe(rehearsal.command);
    await expect(card.getByTestId("approval-sha")).toHaveText(rehearsal.commandSha256);
    await expect(card.getByTestId("approval-does")).toContainText(`Your bridge decrypts your share inside its token with the key “custodian”`);
    await expect(page.getByTestId("start-not-allowed").locator("[data-permission=missing]")).toHaveCount(2);
    await snap(page, "recovery");
    await card.getByTestId("approve-command").click();
    const outcome = page.getByTestId(`approved-rehearsal-${rehearsal.id}`);
    await expect(outcome.getByTestId("state-badge")).toHaveText("Passed", { timeout: 30_000 });
    await expect(page.getByTestId("awaiting-approval")).toContainText("Nothing awaits your approval.");
    await Promise.all(reads);
  } finally {
    await context.close();
  }

  // What the custodian's browser received.
  expect(seen.some((s) => s.url.includes("/portal-api/security-domain/rehearsals"))).toBe(true);
  for (const s of seen) expect(s.body, `a response of ${s.url} names a rehearsal key`).not.toMatch(/rehearsal[\s_-]?key/i);
  const sd = parseSecurityDomainFile(readFileSync(join(product.dataDir, "security-domain.json"), "utf8"));
  const encKeys = new Set(sd.SharedKeys.enc_shares.map((s) => s.enc_key));
  const jwes = seen.flatMap((s) => jwesIn(s.body).map((jwe) => ({ url: s.url, jwe })));
  for (const { url: where, jwe } of jwes) expect(encKeys.has(jwe), `a JWE in ${where} is not one of the security domain's encrypted shares`).toBe(true);
  expect(jwes.map((j) => j.jwe)).toContain(sd.SharedKeys.enc_shares.find((s) => s.x5t_256 === thumbprint)?.enc_key);
  const domainKey = JSON.parse(readFileSync(join(product.dataDir, "domain-key.json"), "utf8")) as { sealer: string; fingerprint: string; sealed: string };
  if (domainKey.sealer === "key-file") {
    // The development sealer keeps the key as is: search for it in every encoding.
    const bytes = Buffer.from(domainKey.sealed, "base64url");
    for (const form of [bytes.toString("base64url"), bytes.toString("base64"), bytes.toString("hex")]) expect(seen.filter((s) => s.body.includes(form)).map((s) => s.url)).toEqual([]);
  }
  // The fingerprint only where the quorum record shows it — which this custodian may not read.
  expect(seen.filter((s) => s.body.includes(domainKey.fingerprint) && !new URL(s.url).pathname.startsWith("/portal-api/quorum")).map((s) => s.url)).toEqual([]);

  // A custodian approves once.
  const again = await (await users.api(custodian)).portal("POST", `/security-domain/rehearsals/${rehearsal.id}/approve`, { commandSha256: rehearsal.commandSha256 });
  expect(again.status()).toBe(409);
  expect(await again.text()).toContain("already passed");
});
