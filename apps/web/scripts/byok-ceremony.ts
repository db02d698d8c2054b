/**
 * A BYOK ceremony from the command line, on the embedded defaults that `npm start` brings up:
 *   npm run ceremony -- --name payments-key --type RSA-3072 [--type EC-P-256 --name …] [--kek kek-2026]
 * Uses the official Key Vault client against the local target (the `keyward-cli` client's credentials
 * from the first start) and the bridge the start script initialised. Prints each step as it happens.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { KeyClient } from "@azure/keyvault-keys";
import type { KeySpec } from "@keyward/shared";
import { clientSecretCredential } from "../src/server/auth";
import { BridgeClient } from "../src/server/bridge/client";
import { loadOrCreateCommandKey } from "../src/server/bridge/command-key";
import { runByokCeremony } from "../src/server/ceremony/byok";
import { readPortalEnv } from "../src/server/env";
import { PORTAL_COMMAND_ISSUER } from "../src/server/portal-server";

const SPECS: Record<string, KeySpec> = {
  "RSA-2048": { kty: "RSA", size: 2048 },
  "RSA-3072": { kty: "RSA", size: 3072 },
  "RSA-4096": { kty: "RSA", size: 4096 },
  "EC-P-256": { kty: "EC", crv: "P-256" },
  "EC-P-256K": { kty: "EC", crv: "P-256K" },
  "EC-P-384": { kty: "EC", crv: "P-384" },
  "EC-P-521": { kty: "EC", crv: "P-521" },
  "AES-128": { kty: "oct", size: 128 },
  "AES-192": { kty: "oct", size: 192 },
  "AES-256": { kty: "oct", size: 256 },
};

const { values } = parseArgs({
  options: {
    name: { type: "string", multiple: true },
    type: { type: "string", multiple: true },
    kek: { type: "string", default: `kek-${Date.now().toString(36)}` },
    "kek-size": { type: "string", default: "2048" },
    bridge: { type: "string" },
  },
});
const names = values.name ?? [];
const types = values.type ?? [];
if (names.length === 0 || names.length !== types.length) {
  process.stderr.write(`usage: npm run ceremony -- --name NAME --type TYPE [--name NAME --type TYPE …] [--kek NAME]\n  TYPE: ${Object.keys(SPECS).join(", ")}\n`);
  process.exit(64);
}
const targets = names.map((name, i) => {
  const spec = SPECS[types[i] ?? ""];
  if (!spec) {
    process.stderr.write(`unknown type ${types[i]}; use ${Object.keys(SPECS).join(", ")}\n`);
    process.exit(64);
  }
  return { name, label: name, spec };
});

const env = readPortalEnv();
const origin = `https://localhost:${env.port}`;
const initial = JSON.parse(readFileSync(join(env.dataDir, "auth", "initial-credentials.json"), "utf8")) as { cli: { clientId: string; clientSecret: string } };
const credential = clientSecretCredential({ tokenEndpoint: `${origin}/oidc/token`, clientId: initial.cli.clientId, clientSecret: initial.cli.clientSecret });
const options = { disableChallengeResourceVerification: true };

const bridgeHome = resolve(values.bridge ?? join(env.home, "bridge"));
const bridgeConfig = JSON.parse(readFileSync(join(bridgeHome, "bridge.json"), "utf8")) as { bridgeId: string; listen: { host: string; port: number } };
const identity = JSON.parse(readFileSync(join(bridgeHome, "identity.jwk"), "utf8")) as { kty: string; crv: string; x: string };
const { calculateJwkThumbprint } = await import("jose");
const thumbprint = await calculateJwkThumbprint({ kty: identity.kty, crv: identity.crv, x: identity.x });
const commandKey = await loadOrCreateCommandKey(env.dataDir, PORTAL_COMMAND_ISSUER);
const bridge = await BridgeClient.connect(
  { url: `ws://${bridgeConfig.listen.host}:${bridgeConfig.listen.port}/bridge`, bridgeId: bridgeConfig.bridgeId, identity: { kid: thumbprint, jwk: { kty: identity.kty, crv: identity.crv, x: identity.x } } },
  commandKey.signer,
);
try {
  const result = await runByokCeremony({
    keys: new KeyClient(origin, credential, options),
    credential,
    clientOptions: options,
    bridge,
    kekName: values.kek,
    kekSize: Number(values["kek-size"]) as 2048 | 3072 | 4096,
    targets,
    onStep: (s) => process.stdout.write(s.step === "kek" ? `KEK created: ${s.kid}\n` : `${s.name}: ${s.step}${s.detail ? ` — ${s.detail}` : ""}\n`),
  });
  process.stdout.write(`\nceremony complete: ${result.results.length} key(s) imported under KEK ${result.kekKid}\n`);
} catch (err) {
  process.stderr.write(`ceremony failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  bridge.close();
}
