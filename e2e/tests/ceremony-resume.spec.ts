import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Ceremony } from "@keyward/shared";
import { test, expect } from "../fixtures";
import { freePort, startProcess, statusOf, waitFor, type Started } from "../harness/processes";

/*
 * A ceremony interrupted by its bridge going away: the page says so in words, still says so after a
 * reload, and Resume finishes it once the bridge is back — nothing generated or imported twice. The
 * run's own bridge is shared by every spec, so this test starts a second bridge of its own (a fresh
 * SoftHSM2 token in a temporary home), stops it mid-ceremony by its process, and removes its
 * registration through the page at the end.
 */

const BRIDGE_CLI = fileURLToPath(new URL("../../apps/bridge/dist/cli.js", import.meta.url));
const RUN = randomBytes(2).toString("hex");

test("an interrupted ceremony says why, survives a reload, resumes where it stopped; the bridge is then removed with confirmation", async ({
  signedInPage: page,
  product,
  adminApi,
  snap,
}) => {
  test.setTimeout(180_000);
  const home = mkdtempSync(join(tmpdir(), "keyward-e2e-resume-bridge-"));
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["KEYWARD_BRIDGE_PIN", "SOFTHSM2_CONF", "KEYWARD_BRIDGE_HOME"].includes(k)));
  const env = { ...inherited, KEYWARD_BRIDGE_HOME: home };
  const port = await freePort();
  const bridgeId = `bridge-resume-${RUN}`;
  const url = `ws://127.0.0.1:${port}/bridge`;
  execFileSync(
    process.execPath,
    [BRIDGE_CLI, "init", "--softhsm", "--token-label", "resume", "--bridge-id", bridgeId, "--portal-issuer", product.commandIssuer, "--trust-portal-key", join(product.dataDir, "bridge", "command-key.pub.jwk"), "--port", String(port)],
    { env, stdio: ["ignore", "ignore", "pipe"] },
  );
  const identity = JSON.parse(execFileSync(process.execPath, [BRIDGE_CLI, "identity"], { env, encoding: "utf8" })) as { publicJwk: object };
  const startBridge = async () => {
    const started = startProcess(bridgeId, process.execPath, [BRIDGE_CLI, "start"], { cwd: home, env, logFile: join(home, "bridge.log") });
    await waitFor(bridgeId, async () => (await statusOf(`http://127.0.0.1:${port}/healthz`)) === 200, started, 30_000);
    return started;
  };
  let bridge: Started | undefined = await startBridge();
  try {
    expect((await adminApi.portal("POST", "/bridges", { bridgeId, url, publicJwk: identity.publicJwk })).status()).toBe(201);

    // Six RSA-3072 keys: generating them takes long enough to stop the bridge part-way.
    const names = Array.from({ length: 6 }, (_, i) => `e2e-resume-${RUN}-${i + 1}`);
    const created = await adminApi.portal("POST", "/ceremonies", {
      bridgeId,
      mode: "online",
      kek: { kind: "create", name: `e2e-resume-kek-${RUN}`, size: 2048 },
      targets: names.map((name) => ({ name, spec: { kty: "RSA", size: 3072 }, source: "generate" })),
    });
    expect(created.status()).toBe(202);
    const { id } = (await created.json()) as Ceremony;
    await page.goto(`/ceremonies/${id}`);
    const ceremony = async () => (await (await adminApi.portal("GET", `/ceremonies/${id}`)).json()) as Ceremony;
    await expect.poll(async () => (await ceremony()).progress.generated, { timeout: 60_000, intervals: [100] }).toBeGreaterThan(0);
    await bridge.stop();
    bridge = undefined;

    await expect(page.getByTestId("ceremony-state-interrupted")).toBeVisible({ timeout: 60_000 });
    const panel = page.getByTestId("resume-panel");
    await expect(panel).toContainText("This ceremony was interrupted");
    await expect(panel).toContainText("Resuming repeats nothing");
    const before = await ceremony();
    expect(before.progress.proven).toBeLessThan(names.length);
    await page.reload();
    await expect(page.getByTestId("ceremony-state-interrupted")).toBeVisible();
    await snap(page, "ceremony-interrupted");

    bridge = await startBridge();
    await page.getByTestId("resume-ceremony").click();
    await expect(page.getByTestId("ceremony-state-completed")).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId("ceremony-targets").getByTestId("target-state-proven")).toHaveCount(names.length);
    await expect(page.getByTestId("ceremony-progress")).toHaveAttribute("aria-valuetext", `${names.length} of ${names.length} proven`);
    for (const name of names) {
      const versions = (await (await adminApi.keyVault("GET", `/keys/${name}/versions`)).json()) as { value: unknown[] };
      expect(versions.value, `${name} imported once`).toHaveLength(1);
    }

    // Removing asks first, names the bridge, and keeps the ceremony's record.
    await page.goto("/bridges");
    const card = page.getByTestId(`bridge-${bridgeId}`);
    await card.getByRole("button", { name: "Remove…" }).click();
    await expect(card.getByRole("alertdialog")).toContainText(`Remove bridge ${bridgeId}? Ceremonies that used it keep their record.`);
    await expect(card.getByRole("button", { name: "Cancel" })).toBeFocused();
    await card.getByRole("button", { name: "Cancel" }).click();
    await expect(card.getByRole("alertdialog")).toHaveCount(0);
    await card.getByRole("button", { name: "Remove…" }).click();
    await card.getByTestId("confirm-remove-bridge").click();
    await expect(card).toHaveCount(0);
    const list = (await (await adminApi.portal("GET", "/bridges")).json()) as { bridges: { bridgeId: string }[] };
    expect(list.bridges.map((b) => b.bridgeId)).not.toContain(bridgeId);
    expect((await ceremony()).state).toBe("completed");
  } finally {
    await bridge?.stop();
    rmSync(home, { recursive: true, force: true });
  }
});
