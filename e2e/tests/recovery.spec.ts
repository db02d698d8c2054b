import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page, Response } from "@playwright/test";
import { BridgeListSchema, parseSecurityDomainFile, RecoveryViewSchema, RehearsalViewSchema, splitCompactJwe, type RegisterBridgeRequest, type RehearsalView } from "@keyward/shared";
import { test, expect, signIn, type ProductState } from "../fixtures";
import type { KeywardApi } from "../harness/api";
import type { Credentials } from "../harness/state";
import { startProcess, type Started } from "../harness/processes";

/*
 * The quorum ceremonies in the browser on the development security domain, whose custodians' bridges are
 * the homes the harness made with `keyward-bridge dev-custodians`, started here. A rehearsal: the admin asks
 * a user with no role at all — the custodian — to rehearse on the /recovery form; the custodian reads the
 * exact command, approves it, and their bridge's proof passes. A recovery drill on the running target: two
 * such custodians approve their share commands, the harness's bridge combines the shares and the target
 * accepts the restore blob of its own domain (which changes nothing on an active target). Everything each
 * browser receives is kept: no rehearsal key, no JWE but the security-domain file's own encrypted shares
 * (never a share re-encrypted to the recovery bridge), nothing of the domain key.
 */

const BRIDGE_CLI = fileURLToPath(new URL("../../apps/bridge/dist/cli.js", import.meta.url));
/** What the harness keeps out of the product's processes keeps out of these bridges too. */
const NOT_INHERITED = ["KEYWARD_BRIDGE_PIN", "SOFTHSM2_CONF", "KEYWARD_BRIDGE_HOME"];

/** Custodian bridges started in this worker, by custodian number: started once, stopped after the file. */
const custodianBridges = new Map<number, { started: Started; url: string; identity: { bridgeId: string; publicJwk: RegisterBridgeRequest["publicJwk"] } }>();

test.afterAll(async () => {
  await Promise.all([...custodianBridges.values()].map((b) => b.started.stop()));
  custodianBridges.clear();
});

/** `keyward-bridge start` on a dev-custodians home; its config listens on any free port, which its log names. */
async function startCustodianBridge(home: string, logFile: string) {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !NOT_INHERITED.includes(k))), KEYWARD_BRIDGE_HOME: home, KEYWARD_BRIDGE_LOG_LEVEL: "info" };
  const identity = JSON.parse(execFileSync(process.execPath, [BRIDGE_CLI, "identity"], { env, encoding: "utf8" })) as { bridgeId: string; publicJwk: RegisterBridgeRequest["publicJwk"] };
  const started = startProcess(identity.bridgeId, process.execPath, [BRIDGE_CLI, "start"], { cwd: home, env, logFile });
  const child = started.child;
  try {
    const url = await Promise.race([
      new Promise<string>((resolve) => {
        let log = "";
        child.stderr?.on("data", (d: Buffer) => {
          log += d.toString();
          const m = /"url":"(ws:[^"]+)"/.exec(log);
          if (m?.[1]) resolve(m[1]);
        });
      }),
      started.exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${identity.bridgeId} did not start listening (log: ${logFile})`)), 30_000)),
    ]);
    return { started, url, identity };
  } catch (err) {
    await started.stop();
    throw err;
  }
}

/** Registers a bridge unless it already is at this address (an earlier spec or test); one left at an old address is replaced. */
async function ensureRegistered(api: KeywardApi, bridge: RegisterBridgeRequest): Promise<void> {
  const listed = BridgeListSchema.parse(await (await api.portal("GET", "/bridges")).json()).bridges.find((b) => b.bridgeId === bridge.bridgeId);
  if (listed?.url === bridge.url) return;
  if (listed) expect((await api.portal("DELETE", `/bridges/${encodeURIComponent(bridge.bridgeId)}`)).status()).toBe(204);
  const registered = await api.portal("POST", "/bridges", bridge);
  expect(registered.status(), await registered.text()).toBe(201);
}

/** x5t#S256 of a PEM certificate: what the security-domain file names each share by. */
const thumbprintOf = (pem: string) => createHash("sha256").update(new X509Certificate(pem).raw).digest("base64url");

/** Development custodian `n`: their certificate's thumbprint and their bridge — running and registered. */
async function custodian(product: ProductState, api: KeywardApi, n: number): Promise<{ thumbprint: string; bridgeId: string }> {
  const home = join(product.custodiansDir, String(n));
  const thumbprint = thumbprintOf(readFileSync(join(home, "custodian.pem"), "utf8"));
  const bridgeId = (JSON.parse(readFileSync(join(home, "bridge.json"), "utf8")) as { bridgeId: string }).bridgeId;
  let running = custodianBridges.get(n);
  if (!running) {
    running = await startCustodianBridge(home, join(product.home, "logs", `${bridgeId}.log`));
    custodianBridges.set(n, running);
  }
  expect(running.identity.bridgeId).toBe(bridgeId);
  await ensureRegistered(api, { bridgeId, url: running.url, publicJwk: running.identity.publicJwk, description: `development custodian ${n}` });
  return { thumbprint, bridgeId };
}

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

interface Seen {
  url: string;
  body: string;
}

/** A new browser context signed in as `user` through the UI, every response body kept from the first request on. */
async function recordedSession(browser: Browser, product: ProductState, user: Credentials, path: string) {
  const context = await browser.newContext({ baseURL: product.origin, ignoreHTTPSErrors: true });
  const seen: Seen[] = [];
  const reads: Promise<void>[] = [];
  const keep = (r: Response) => {
    if (r.status() >= 300 && r.status() < 400) return;
    reads.push(r.body().then((b) => void seen.push({ url: r.url(), body: b.toString("utf8") }), () => undefined));
  };
  const page: Page = await context.newPage();
  page.on("response", keep);
  return {
    page,
    signIn: () => signIn(page, user, path),
    /** Everything received until now (bodies still being read included); closes the context. */
    async close(): Promise<Seen[]> {
      for (let n = -1; n !== reads.length; ) {
        n = reads.length;
        await Promise.all(reads);
      }
      await context.close();
      return seen;
    },
  };
}

/**
 * What a browser received, against the security domain's secrets: nothing named like a rehearsal key; no JWE
 * but the file's encrypted shares (those of `shown` among them: the commands show them); nothing of the
 * domain key, and its fingerprint only in the quorum record.
 */
function expectNoSecrets(who: string, seen: Seen[], product: ProductState, shown: string[]): void {
  for (const s of seen) expect(s.body, `a response of ${s.url} to ${who} names a rehearsal key`).not.toMatch(/rehearsal[\s_-]?key/i);
  const sd = parseSecurityDomainFile(readFileSync(join(product.dataDir, "security-domain.json"), "utf8"));
  const encKeys = new Set(sd.SharedKeys.enc_shares.map((s) => s.enc_key));
  const jwes = seen.flatMap((s) => jwesIn(s.body).map((jwe) => ({ url: s.url, jwe })));
  for (const { url, jwe } of jwes) expect(encKeys.has(jwe), `a JWE in ${url} to ${who} is not one of the security domain's encrypted shares`).toBe(true);
  for (const thumbprint of shown) expect(jwes.map((j) => j.jwe)).toContain(sd.SharedKeys.enc_shares.find((s) => s.x5t_256 === thumbprint)?.enc_key);
  const domainKey = JSON.parse(readFileSync(join(product.dataDir, "domain-key.json"), "utf8")) as { sealer: string; fingerprint: string; sealed: string };
  if (domainKey.sealer === "key-file") {
    // The development sealer keeps the key as is: search for it in every encoding.
    const bytes = Buffer.from(domainKey.sealed, "base64url");
    for (const form of [bytes.toString("base64url"), bytes.toString("base64"), bytes.toString("hex")]) expect(seen.filter((s) => s.body.includes(form)).map((s) => s.url), who).toEqual([]);
  }
  expect(seen.filter((s) => s.body.includes(domainKey.fingerprint) && !new URL(s.url).pathname.startsWith("/portal-api/quorum")).map((s) => s.url), who).toEqual([]);
}

test("a custodian approves the exact rehearsal command and passes; the browser sees only shares encrypted to custodians", async ({ product, adminApi, users, signedInPage: admin, browser, snap }) => {
  test.setTimeout(150_000);
  const { thumbprint, bridgeId } = await custodian(product, adminApi, 1);
  const custodianUser = await users.create({ prefix: "custodian", displayName: "Kaito Custodian" });

  // The administrator asks the custodian to rehearse, on the form.
  await admin.getByRole("navigation", { name: "main" }).getByRole("link", { name: "Recovery" }).click();
  const form = admin.getByTestId("rehearsal-form");
  await form.locator("select[name=rehearsal-certificate]").selectOption(thumbprint);
  await form.locator("select[name=rehearsal-bridge]").selectOption(bridgeId);
  await expect(form.locator("input[name=rehearsal-keyLabel]")).toHaveValue("custodian");
  await form.locator("input[name=rehearsal-principal]").fill(custodianUser.oid);
  await form.getByTestId("start-rehearsal-submit").click();
  await expect(form.getByRole("status")).toContainText("Rehearsal started");
  const listed = RehearsalViewSchema.array().parse(await (await adminApi.portal("GET", "/security-domain/rehearsals")).json());
  const rehearsal = listed.find((r) => r.principalId === custodianUser.oid) as RehearsalView;
  expect(rehearsal).toMatchObject({ state: "pending", thumbprintSha256: thumbprint, bridgeId, keyLabel: "custodian" });
  await expect(admin.getByTestId(`rehearsal-row-${rehearsal.id}`).getByTestId("state-badge")).toHaveText("Awaiting the custodian");

  // The custodian, in their own browser.
  const session = await recordedSession(browser, product, custodianUser, "/recovery");
  let seen: Seen[] = [];
  try {
    const page = session.page;
    await session.signIn();
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
  } finally {
    seen = await session.close();
  }

  // What the custodian's browser received.
  expect(seen.some((s) => s.url.includes("/portal-api/security-domain/rehearsals"))).toBe(true);
  expectNoSecrets("the custodian", seen, product, [thumbprint]);

  // A custodian approves once.
  const again = await (await users.api(custodianUser)).portal("POST", `/security-domain/rehearsals/${rehearsal.id}/approve`, { commandSha256: rehearsal.commandSha256 });
  expect(again.status()).toBe(409);
  expect(await again.text()).toContain("already passed");
});

test("a recovery drill: two custodians approve their exact share commands, the target takes its own domain back; no browser sees a share re-encrypted", async ({ product, adminApi, users, browser, snap }) => {
  test.setTimeout(120_000);
  const [one, two] = [await custodian(product, adminApi, 1), await custodian(product, adminApi, 2)];
  const recoveryBridge = product.bridge;
  const jwk = recoveryBridge.identity.jwk as RegisterBridgeRequest["publicJwk"];
  await ensureRegistered(adminApi, { bridgeId: recoveryBridge.bridgeId, url: recoveryBridge.url, publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } });
  const [userA, userB] = [await users.create({ prefix: "custodian-a", displayName: "Aiko Custodian" }), await users.create({ prefix: "custodian-b", displayName: "Bo Custodian" })];
  const rows = [
    { ...one, user: userA },
    { ...two, user: userB },
  ];

  const admin = await recordedSession(browser, product, product.admin, "/recovery");
  const sessions = [admin];
  const seen = new Map<string, Seen[]>();
  try {
    // The administrator starts the recovery on the form.
    await admin.signIn();
    const form = admin.page.getByTestId("recovery-form");
    await form.locator("select[name=recovery-bridge]").selectOption(recoveryBridge.bridgeId);
    for (const [i, row] of rows.entries()) {
      await form.locator(`select[name=row-${i}-certificate]`).selectOption(row.thumbprint);
      await form.locator(`select[name=row-${i}-bridge]`).selectOption(row.bridgeId);
      await expect(form.locator(`input[name=row-${i}-keyLabel]`)).toHaveValue("custodian");
      await form.locator(`input[name=row-${i}-principal]`).fill(row.user.oid);
    }
    await form.getByTestId("start-recovery-submit").click();
    await expect(form.getByRole("status")).toContainText("Recovery started");
    const listed = RecoveryViewSchema.array().parse(await (await adminApi.portal("GET", "/security-domain/recoveries")).json());
    const recovery = listed.find((r) => r.participants.some((p) => p.principalId === userA.oid));
    expect(recovery).toMatchObject({ state: "collecting", recoveryBridgeId: recoveryBridge.bridgeId, required: 2 });
    if (!recovery) return;
    const row = admin.page.getByTestId(`recovery-row-${recovery.id}`);
    await expect(row.getByTestId("state-badge")).toHaveAttribute("data-state", "recovery.collecting");

    // Each custodian, in their own browser, reads their exact command and approves it.
    const sd = parseSecurityDomainFile(readFileSync(join(product.dataDir, "security-domain.json"), "utf8"));
    for (const [i, { thumbprint, bridgeId, user }] of rows.entries()) {
      const participant = recovery.participants.find((p) => p.thumbprintSha256 === thumbprint);
      expect(participant).toMatchObject({ principalId: user.oid, bridgeId, keyLabel: "custodian", approvedAt: null });
      if (!participant) return;
      expect(JSON.parse(participant.command)).toMatchObject({ type: "sd.share.reencrypt", key: "custodian", encShare: sd.SharedKeys.enc_shares.find((s) => s.x5t_256 === thumbprint)?.enc_key, recoveryId: recovery.id });
      const session = await recordedSession(browser, product, user, "/recovery");
      sessions.push(session);
      const page = session.page;
      await session.signIn();
      const card = page.getByTestId(`awaiting-share-${recovery.id}-${thumbprint}`);
      await expect(card.getByTestId("approval-check")).toHaveAttribute("data-check", "matches");
      expect(await card.getByTestId("approval-command").textContent()).toBe(participant.command);
      await expect(card.getByTestId("approval-sha")).toHaveText(participant.commandSha256);
      await expect(card.getByTestId("approval-does")).toContainText(`re-encrypts it to the one-time key of the recovery bridge ${recoveryBridge.bridgeId}`);
      await card.getByTestId("approve-command").click();
      const outcome = page.getByTestId(`approved-share-${recovery.id}-${thumbprint}`);
      if (i === 0) await expect(outcome.getByTestId("recovery-progress")).toHaveText("1 of 2 shares in", { timeout: 30_000 });
      else await expect(outcome.getByTestId("state-badge")).toHaveText("Completed", { timeout: 30_000 });
      await expect(page.getByTestId("awaiting-approval")).toContainText("Nothing awaits your approval.");
      seen.set(`custodian ${i + 1}`, await session.close());
    }

    // The administrator's list follows (it polls while the recovery is in progress).
    await expect(row.getByTestId("state-badge")).toHaveAttribute("data-state", "recovery.completed", { timeout: 30_000 });
    await expect(row).toContainText("2 of 2 shares in");
    await snap(admin.page, "recovery-completed");
    seen.set("the administrator", await admin.close());

    // What the browsers received: the commands' own encrypted shares, nothing re-encrypted, nothing of the domain key.
    for (const [who, received] of seen) {
      expect(received.some((s) => s.url.includes("/portal-api/security-domain/recoveries")), who).toBe(true);
      expectNoSecrets(who, received, product, who === "custodian 2" ? [two.thumbprint] : [one.thumbprint]);
    }

    // The target took its own domain back and still works.
    const done = RecoveryViewSchema.parse(await (await adminApi.portal("GET", `/security-domain/recoveries/${recovery.id}`)).json());
    expect(done).toMatchObject({ state: "completed", error: null });
    expect(done.restoreBlobSha256).toMatch(/^[0-9a-f]{64}$/);
    const uploaded = (await (await adminApi.keyVault("GET", "/securitydomain/upload/pending")).json()) as { status: string };
    expect(uploaded.status).toBe("Success");
    const name = `after-recovery-${recovery.id.slice(0, 8)}`;
    const created = await adminApi.keyVault("POST", `/keys/${name}/create`, { kty: "EC", crv: "P-256" });
    expect(created.status(), await created.text()).toBe(200);
    expect((await adminApi.keyVault("GET", `/keys/${name}`)).status()).toBe(200);
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
});
