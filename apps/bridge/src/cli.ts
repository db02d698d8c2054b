#!/usr/bin/env node
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { BridgeConfigSchema, BridgeError, type BridgeConfig } from "@keyward/shared";
import { openBridge } from "./bridge.js";
import { custodianKey, devCustodians } from "./custodian-cli.js";
import { readEnv } from "./env.js";
import { ConfigError, homePaths, readConfig, readPin } from "./home.js";
import { createIdentity, loadIdentity } from "./identity.js";
import { createLogger } from "./log.js";
import { StartupError } from "./pkcs11/token.js";
import { createDevToken, readTrustedKeys, SOFTHSM_MODULE } from "./provision.js";
import { executeFile } from "./transport/file.js";
import { listen } from "./transport/ws.js";

const USAGE = `keyward-bridge — the Keyward HSM bridge

  keyward-bridge init --portal-issuer ISS --trust-portal-key FILE.jwk [--bridge-id ID]
                      [--module PATH --token-label LABEL | --softhsm [--token-label LABEL]]
                      [--host 127.0.0.1] [--port 7710]
      create this bridge's identity and configuration (with --softhsm, also a development SoftHSM2 token)
  keyward-bridge start                  serve signed commands over WebSocket (/bridge) and /healthz
  keyward-bridge exec COMMAND.jws       run one signed command file, print the signed result (air-gapped hosts)
  keyward-bridge describe               print the token's capabilities (local check, no command needed)
  keyward-bridge identity               print this bridge's id, public key and thumbprint
  keyward-bridge custodian-key --label L --common-name NAME [--size 3072] [--validity-days 730] [--out CERT.pem]
      make a security-domain custodian key in this bridge's token and its self-signed certificate
      (PEM to --out, else to stdout)
  keyward-bridge dev-custodians --dir DIR --portal-issuer ISS --trust-portal-key FILE.jwk
                      [--count 3] [--base-port 7711] [--size 3072]
      make (or reuse) DIR/1..DIR/count: development custodian bridges, each on its own SoftHSM2 token
      with a custodian key and DIR/i/custodian.pem; prints a JSON summary

The home directory is $KEYWARD_BRIDGE_HOME (default ~/.keyward-bridge). The PIN is read from
$KEYWARD_BRIDGE_PIN or the file "pin" in the home directory; it is never logged.`;

async function init(home: string, args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      "bridge-id": { type: "string" },
      "portal-issuer": { type: "string" },
      "trust-portal-key": { type: "string", multiple: true },
      module: { type: "string" },
      "token-label": { type: "string" },
      softhsm: { type: "boolean", default: false },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "7710" },
    },
  });
  const paths = homePaths(home);
  if (existsSync(paths.config) || existsSync(paths.identity)) {
    throw new ConfigError(`a bridge is already initialised in ${home}; its identity is pinned by the portal, so it is never overwritten`);
  }
  await mkdir(home, { recursive: true, mode: 0o700 });
  const keys = await readTrustedKeys(values["trust-portal-key"] ?? []);
  const label = values["token-label"] ?? (values.softhsm ? "keyward-dev" : undefined);
  if (!label) throw new ConfigError("--token-label is required (tokens are chosen by label)");
  const softhsm2Conf = values.softhsm ? await createDevToken(home, label) : undefined;
  const config: BridgeConfig = BridgeConfigSchema.parse({
    bridgeId: values["bridge-id"] ?? `bridge-${randomBytes(4).toString("hex")}`,
    pkcs11: { module: values.module ?? SOFTHSM_MODULE, tokenLabel: label, ...(softhsm2Conf ? { softhsm2Conf } : {}) },
    listen: { host: values.host, port: Number(values.port) },
    portal: { issuer: values["portal-issuer"] ?? "keyward-portal", keys },
  });
  const thumbprint = await createIdentity(paths.identity);
  await writeFile(paths.config, JSON.stringify(config, null, 2), { mode: 0o600, flag: "wx" });
  process.stdout.write(`bridge ${config.bridgeId} initialised in ${home}\nidentity thumbprint: ${thumbprint}\n(compare it with what the portal shows when this bridge is registered)\n`);
}

async function main(): Promise<number> {
  const env = readEnv();
  const home = resolve(env.KEYWARD_BRIDGE_HOME);
  const [cmd, ...rest] = process.argv.slice(2);
  const log = createLogger(env.KEYWARD_BRIDGE_LOG_LEVEL);
  switch (cmd) {
    case "init":
      await init(home, rest);
      return 0;
    case "identity": {
      const config = await readConfig(home);
      const id = await loadIdentity(homePaths(home).identity, config.bridgeId);
      process.stdout.write(`${JSON.stringify({ bridgeId: config.bridgeId, thumbprint: id.thumbprint, publicJwk: id.publicJwk }, null, 2)}\n`);
      return 0;
    }
    case "describe": {
      const config = await readConfig(home);
      const bridge = await openBridge({ home, config, pin: await readPin(home, env.KEYWARD_BRIDGE_PIN), log });
      process.stdout.write(`${JSON.stringify(bridge.ctx.capabilities.report, null, 2)}\n`);
      bridge.close();
      return 0;
    }
    case "exec": {
      const file = rest[0];
      if (!file) throw new ConfigError("usage: keyward-bridge exec COMMAND.jws > RESULT.jws");
      const config = await readConfig(home);
      const bridge = await openBridge({ home, config, pin: await readPin(home, env.KEYWARD_BRIDGE_PIN), log });
      try {
        const { jws, body } = await executeFile(bridge, file);
        process.stdout.write(`${jws}\n`);
        process.stderr.write(body.ok ? `${body.type}: done\n` : `refused: ${body.error.code}: ${body.error.message}\n`);
        return body.ok ? 0 : 2;
      } finally {
        bridge.close();
      }
    }
    case "custodian-key":
      await custodianKey(home, rest, env.KEYWARD_BRIDGE_PIN);
      return 0;
    case "dev-custodians":
      await devCustodians(rest);
      return 0;
    case "start": {
      const config = await readConfig(home);
      const bridge = await openBridge({ home, config, pin: await readPin(home, env.KEYWARD_BRIDGE_PIN), log });
      const server = await listen(bridge, config.listen);
      log.info({ event: "listening", url: server.url, bridgeId: config.bridgeId, thumbprint: bridge.ctx.identity.thumbprint }, `listening on ${server.url}`);
      const prune = setInterval(() => void Promise.all([bridge.ctx.replay.prune(), bridge.ctx.results.prune()]), 60_000);
      prune.unref();
      await new Promise<void>((resolveStop) => {
        const stop = (signal: string) => {
          log.info({ event: "stopping", signal }, "stopping: finishing in-flight commands");
          void server.close().then(() => {
            bridge.close();
            log.info({ event: "stopped" }, "stopped");
            resolveStop();
          });
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
      });
      return 0;
    }
    default:
      process.stdout.write(`${USAGE}\n`);
      return cmd === undefined || cmd === "help" || cmd === "--help" ? 0 : 64;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof StartupError) {
      process.stderr.write(`keyward-bridge: ${err.code}: ${err.message}\n`);
      process.exitCode = 3;
    } else if (err instanceof BridgeError) {
      process.stderr.write(`keyward-bridge: refused: ${err.code}: ${err.message}\n`);
      process.exitCode = 2;
    } else if (err instanceof ConfigError) {
      process.stderr.write(`keyward-bridge: ${err.message}\n`);
      process.exitCode = 78;
    } else {
      process.stderr.write(`keyward-bridge: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 70;
    }
  },
);
