import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { calculateJwkThumbprint, type JWK } from "jose";
import {
  BridgeConfigSchema,
  signCommand,
  verifyResult,
  type BridgeCommand,
  type BridgeConfig,
  type CommandSigner,
  type ResultClaims,
} from "@keyward/shared";
import { openBridge, type Bridge } from "../../src/bridge.js";
import { homePaths } from "../../src/home.js";
import { createIdentity, loadIdentity } from "../../src/identity.js";
import { createLogger, type Logger } from "../../src/log.js";
import { createSoftHsmToken } from "./softhsm.js";

export const PORTAL_ISSUER = "https://portal.keyward.test";

/** A portal signing key the bridge pins, as the portal would hold it. */
export async function createPortalKey(): Promise<CommandSigner & { publicJwk: JWK }> {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const publicJwk = publicKey.export({ format: "jwk" }) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk);
  return { key: privateKey, kid, issuer: PORTAL_ISSUER, publicJwk: { ...publicJwk, kid } };
}

export interface TestBridge {
  bridge: Bridge;
  home: string;
  config: BridgeConfig;
  token: ReturnType<typeof createSoftHsmToken>;
  portal: Awaited<ReturnType<typeof createPortalKey>>;
  /** Sign a command as the portal would, for this bridge. */
  sign(cmd: unknown, opts?: { now?: Date; lifetimeSeconds?: number; jti?: string; audience?: string }): Promise<string>;
  /** Sign and execute; return the verified result claims. */
  run(cmd: unknown): Promise<ResultClaims>;
  verify(resultJws: string, commandJws?: string): Promise<ResultClaims>;
  reopen(opts?: { now?: () => Date }): Promise<Bridge>;
}

export async function startTestBridge(opts: { now?: () => Date; maxFrameBytes?: number; bridgeId?: string; log?: Logger } = {}): Promise<TestBridge> {
  const token = createSoftHsmToken();
  const portal = await createPortalKey();
  const home = mkdtempSync(join(tmpdir(), "keyward-bridge-"));
  const config = BridgeConfigSchema.parse({
    bridgeId: opts.bridgeId ?? "bridge-test",
    pkcs11: { module: token.module, tokenLabel: token.label, softhsm2Conf: token.conf },
    listen: { host: "127.0.0.1", port: 0 },
    portal: { issuer: PORTAL_ISSUER, keys: [{ kid: portal.kid, jwk: portal.publicJwk }] },
    ...(opts.maxFrameBytes ? { maxFrameBytes: opts.maxFrameBytes } : {}),
  });
  writeFileSync(homePaths(home).config, JSON.stringify(config));
  await createIdentity(homePaths(home).identity);
  const log = opts.log ?? createLogger("silent");
  const open = (o: { now?: () => Date } = opts) => {
    // This token's own module copy reads its configuration from here when it initialises.
    process.env.SOFTHSM2_CONF = token.conf;
    return openBridge({ home, config, pin: token.pin, log, ...(o.now ? { now: o.now } : {}) });
  };
  const t: TestBridge = {
    bridge: await open(),
    home,
    config,
    token,
    portal,
    sign: (cmd, o = {}) =>
      signCommand(cmd as BridgeCommand, portal, {
        audience: o.audience ?? config.bridgeId,
        jti: o.jti ?? randomUUID(),
        ...(o.now ? { now: o.now } : {}),
        ...(o.lifetimeSeconds ? { lifetimeSeconds: o.lifetimeSeconds } : {}),
      }),
    async verify(resultJws, commandJws) {
      const id = await loadIdentity(homePaths(home).identity, config.bridgeId);
      return verifyResult(resultJws, { trusted: [{ kid: id.thumbprint, jwk: id.publicJwk }], bridgeId: config.bridgeId, ...(commandJws ? { command: commandJws } : {}) });
    },
    async run(cmd) {
      const jws = await t.sign(cmd);
      const r = await t.bridge.execute(jws);
      return t.verify(r.jws, jws);
    },
    async reopen(o) {
      t.bridge.close();
      t.bridge = await open(o);
      return t.bridge;
    },
  };
  return t;
}
