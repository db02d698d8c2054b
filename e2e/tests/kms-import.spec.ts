import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { KMS_API_VERSION, rpcStringToSign } from "@keyward/shared";
import { test, expect } from "../fixtures";
import type { KeywardApi } from "../harness/api";
import type { ProductState } from "../harness/state";

/*
 * A KMS import job in the browser, on the run's bridge (SoftHSM2): the wizard offers only what the
 * token and the target can both do, the job generates an AES-256 key in the HSM and imports it into a
 * new external KMS key; the material is then deleted with the KMS API, and the job page re-imports the
 * same material in one click.
 */

const RUN = randomBytes(2).toString("hex");

/** A signed Alibaba Cloud KMS RPC call with the AccessKey pair the portal wrote at first start. */
async function kmsCall(api: KeywardApi, dataDir: string, params: Record<string, string>): Promise<Record<string, unknown>> {
  const key = JSON.parse(readFileSync(join(dataDir, "kms", "access-key.json"), "utf8")) as { accessKeyId: string; accessKeySecret: string };
  const all: Record<string, string> = {
    Format: "json",
    Version: KMS_API_VERSION,
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    SignatureNonce: randomUUID(),
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    AccessKeyId: key.accessKeyId,
    ...params,
  };
  all.Signature = createHmac("sha1", `${key.accessKeySecret}&`).update(rpcStringToSign("GET", all)).digest("base64");
  const res = await api.ctx.fetch(`/?${new URLSearchParams(all).toString()}`, { method: "GET" });
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status(), JSON.stringify(body)).toBe(200);
  return body;
}

/** The run's bridge, registered through the API (already there from an earlier test: fine). */
async function registerBridge(api: KeywardApi, bridge: ProductState["bridge"]): Promise<void> {
  const jwk = bridge.identity.jwk as { kty: "OKP"; crv: "Ed25519"; x: string };
  const registered = await api.portal("POST", "/bridges", { bridgeId: bridge.bridgeId, url: bridge.url, publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } });
  expect([201, 409]).toContain(registered.status());
}

test("a KMS import from the HSM: wizard, Enabled, material deleted, re-imported in one click", async ({ signedInPage: page, adminApi, product, snap }) => {
  const { bridgeId } = product.bridge;
  await registerBridge(adminApi, product.bridge);

  await page.getByRole("link", { name: "KMS imports" }).click();
  await expect(page.getByRole("heading", { name: "KMS imports", level: 1 })).toBeVisible();
  await page.getByTestId("new-kms-import").click();

  await page.getByTestId(`kms-bridge-${bridgeId}`).check();
  // SoftHSM2 2.6.1 wraps with OAEP-SHA1 (and PKCS#1 v1.5, which this target does not take): one choice.
  await expect(page.getByTestId("kms-alg-RSAES_OAEP_SHA_1")).toBeChecked();
  await expect(page.getByTestId("kms-alg-RSAES_OAEP_SHA_256")).toHaveCount(0);
  await expect(page.getByTestId("kms-alg-RSAES_PKCS1_V1_5")).toHaveCount(0);
  const alias = `alias/e2e/hsm-${RUN}`;
  await page.getByLabel("Alias (optional)").fill(alias);
  await page.getByLabel("HSM label").fill(`e2e-kms-${RUN}`);
  await page.getByLabel("Days after each import").fill("20");
  await snap(page, "kms-import-wizard");
  await page.getByTestId("kms-import-submit").click();

  await expect(page).toHaveURL(/\/kms-imports\/kij_/);
  await expect(page.getByTestId("kms-key-state-Enabled")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("kms-step-imported")).toHaveAttribute("data-done", "true");
  await expect(page.getByTestId("kms-import-kcv")).toHaveText(/^[0-9a-f]{6}$/);
  await expect(page.getByTestId("kms-import-material")).toContainText("expires in 20 days");
  await expect(page.getByTestId("kms-import-count")).toHaveText("1");
  const keyId = (await page.getByTestId("kms-import-key").textContent()) ?? "";
  expect(keyId).toMatch(/^[0-9a-f-]{36}$/);

  await kmsCall(adminApi, product.dataDir, { Action: "DeleteKeyMaterial", KeyId: keyId });
  await page.reload();
  await expect(page.getByTestId("kms-key-state-PendingImport")).toBeVisible();
  await snap(page, "kms-import-material-deleted");
  await page.getByTestId("kms-reimport").click();
  await expect(page.getByTestId("kms-key-state-Enabled")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("kms-import-count")).toHaveText("2");
  const described = await kmsCall(adminApi, product.dataDir, { Action: "DescribeKey", KeyId: keyId });
  expect(described.KeyMetadata).toMatchObject({ KeyState: "Enabled", Origin: "EXTERNAL" });

  await page.getByRole("link", { name: "All imports" }).click();
  const row = page.locator(`[data-testid^="kms-import-row-"]`, { hasText: keyId });
  await expect(row).toContainText(alias);
  await expect(row.getByTestId("material-reminder")).toHaveText("expires in 20 days");
  await expect(page.getByTestId(`kms-key-${keyId}`)).toContainText("External (imported)");
  await snap(page, "kms-import-list");
});

test("the ceremony wizard's KMS kind: chosen at the top, kept in the URL, starts the same job", async ({ signedInPage: page, adminApi, product, snap }) => {
  const { bridgeId } = product.bridge;
  await registerBridge(adminApi, product.bridge);

  await page.goto("/ceremonies");
  await page.getByTestId("new-kms-ceremony").click();
  await expect(page).toHaveURL(/\/ceremonies\/new\?kind=kms-import$/);
  await expect(page.getByTestId("kind-kms-import")).toBeChecked();
  await expect(page.getByTestId("kms-import-wizard")).toBeVisible();
  // Back to the default kind: its form, and the URL without a kind; then KMS again, kept over a reload.
  await page.getByTestId("kind-byok").check();
  await expect(page.getByTestId("ceremony-wizard")).toBeVisible();
  await expect(page).toHaveURL(/\/ceremonies\/new$/);
  await page.getByLabel("KMS key-material import (wrapping key + import token)").check();
  await expect(page).toHaveURL(/\/ceremonies\/new\?kind=kms-import$/);
  await page.reload();
  await expect(page.getByTestId("kind-kms-import")).toBeChecked();

  await page.getByTestId(`kms-bridge-${bridgeId}`).check();
  await expect(page.getByTestId("kms-alg-RSAES_OAEP_SHA_1")).toBeChecked();
  await page.getByLabel("HSM label").fill(`e2e-kms-wizard-${RUN}`);
  await snap(page, "ceremony-wizard-kms-import");
  await page.getByTestId("kms-import-submit").click();
  await expect(page).toHaveURL(/\/kms-imports\/kij_/);
  await expect(page.getByTestId("kms-key-state-Enabled")).toBeVisible({ timeout: 30_000 });

  await page.goBack();
  await expect(page).toHaveURL(/\/ceremonies\/new\?kind=kms-import$/);
  await expect(page.getByTestId("kms-import-wizard")).toBeVisible();
});
