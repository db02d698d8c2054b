import type { BridgeConfig } from "@keyward/shared";
import { executeCommand, type ExecutionContext } from "./commands/execute.js";
import { ReplayGuard } from "./commands/replay.js";
import { ResultStore } from "./commands/results.js";
import { useSoftHsmConfig } from "./env.js";
import { probeCapabilities } from "./hsm/capabilities.js";
import { KeyDirectory } from "./hsm/directory.js";
import { homePaths } from "./home.js";
import { loadIdentity } from "./identity.js";
import type { Logger } from "./log.js";
import { Token } from "./pkcs11/token.js";
import { BRIDGE_VERSION } from "./version.js";

/** A running bridge: one token, one identity, one replay memory, and the command pipeline over them. */
export interface Bridge {
  ctx: ExecutionContext;
  execute(jws: string): ReturnType<typeof executeCommand>;
  close(): void;
}

export async function openBridge(opts: { home: string; config: BridgeConfig; pin: string; log: Logger; now?: () => Date }): Promise<Bridge> {
  const { config, log } = opts;
  const paths = homePaths(opts.home);
  if (config.pkcs11.softhsm2Conf) useSoftHsmConfig(config.pkcs11.softhsm2Conf);
  const identity = await loadIdentity(paths.identity, config.bridgeId);
  const replay = await ReplayGuard.open(paths.jti);
  const token = Token.open({ module: config.pkcs11.module, label: config.pkcs11.tokenLabel, pin: opts.pin });
  try {
    const capabilities = await probeCapabilities(token);
    const t = capabilities.report.token;
    const ctx: ExecutionContext = {
      bridgeId: config.bridgeId,
      portal: config.portal,
      identity,
      token,
      capabilities,
      directory: new KeyDirectory(),
      replay,
      results: new ResultStore(paths.results),
      maxFrameBytes: config.maxFrameBytes,
      generator: `Keyward bridge ${BRIDGE_VERSION}; ${t.manufacturer} ${t.model} firmware ${t.firmware}`,
      log,
      ...(opts.now ? { now: opts.now } : {}),
    };
    log.info({ event: "token_ready", token: t.label, model: t.model, byokPath: capabilities.report.byok.path, shareDecryption: capabilities.oaepSha256 }, "token ready");
    return { ctx, execute: (jws) => executeCommand(ctx, jws), close: () => token.close() };
  } catch (err) {
    token.close();
    throw err;
  }
}
