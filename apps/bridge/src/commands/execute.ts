import {
  BridgeError,
  commandHash,
  signResult,
  verifyCommand,
  type BridgeCommand,
  type Kek,
  type WrapResult,
  type OkResultBody,
  type ResultBody,
  type TrustedKey,
} from "@keyward/shared";
import type { Capabilities } from "../hsm/capabilities.js";
import type { KeyDirectory } from "../hsm/directory.js";
import { createCustodianKey, findCustodianKey } from "../hsm/custodian-key.js";
import { generateKey } from "../hsm/generate.js";
import { listKeys } from "../hsm/objects.js";
import { wrapForKms } from "../hsm/kms-wrap.js";
import { beginRecovery, combineRecovery, endRecovery } from "../hsm/recovery-key.js";
import { reencryptShare, rehearseShare } from "../hsm/share.js";
import { importKek, releaseKek, wrapForKek, wrapWithKek } from "../hsm/wrap.js";
import type { Identity } from "../identity.js";
import type { Logger } from "../log.js";
import { fromPkcs11 } from "../pkcs11/errors.js";
import type { Token } from "../pkcs11/token.js";
import type { ReplayGuard } from "./replay.js";
import type { ResultStore } from "./results.js";

export interface ExecutionContext {
  bridgeId: string;
  portal: { issuer: string; keys: readonly TrustedKey[] };
  identity: Identity;
  token: Token;
  capabilities: Capabilities;
  directory: KeyDirectory;
  replay: ReplayGuard;
  results: ResultStore;
  maxFrameBytes: number;
  generator: string;
  log: Logger;
  /** Settable for tests of expiry; the service uses the wall clock. */
  now?: () => Date;
}

async function dispatch(ctx: ExecutionContext, command: BridgeCommand, now: Date): Promise<OkResultBody> {
  const shares = { path: ctx.capabilities.oaepSha256, log: ctx.log };
  switch (command.type) {
    case "hsm.describe":
      return { ok: true, type: command.type, result: ctx.capabilities.report };
    case "key.list":
      return { ok: true, type: command.type, result: { keys: await ctx.token.withSession(async (s) => listKeys(s)) } };
    case "key.generate":
      return { ok: true, type: command.type, result: await ctx.token.withSession((s) => generateKey(s, command.label, command.key)) };
    case "byok.wrapBatch":
      return { ok: true, type: command.type, result: { items: await wrapBatch(ctx, command.targets, command.kek) } };
    case "byok.wrap":
      return {
        ok: true,
        type: command.type,
        result: await ctx.token.withSession((s) => wrapForKek(s, command.target, command.kek, { kwp: ctx.capabilities.kwp, generator: ctx.generator, directory: ctx.directory })),
      };
    case "kms.wrapMaterial":
      return {
        ok: true,
        type: command.type,
        result: await ctx.token.withSession((s) =>
          wrapForKms(s, command, { kwp: ctx.capabilities.kwp, directory: ctx.directory, available: ctx.capabilities.report.kms.wrappingAlgorithms }),
        ),
      };
    case "custodian.createKey":
      return { ok: true, type: command.type, result: await ctx.token.withSession((s) => createCustodianKey(s, command, now)) };
    case "custodian.certificate":
      return { ok: true, type: command.type, result: await ctx.token.withSession(async (s) => findCustodianKey(s, command.label).certificate) };
    case "sd.share.rehearse":
      return { ok: true, type: command.type, result: await ctx.token.withSession((s) => rehearseShare(s, command, shares)) };
    case "sd.share.reencrypt":
      return { ok: true, type: command.type, result: await ctx.token.withSession((s) => reencryptShare(s, command, shares)) };
    case "sd.recovery.begin":
      return { ok: true, type: command.type, result: await ctx.token.withSession((s) => beginRecovery(s, command.label)) };
    case "sd.recovery.combine":
      return { ok: true, type: command.type, result: await ctx.token.withSession((s) => combineRecovery(s, shares.path, command)) };
    case "sd.recovery.end":
      return { ok: true, type: command.type, result: await ctx.token.withSession((s) => endRecovery(s, command.label)) };
  }
}

const YIELD_EVERY_MS = 5;

/** Wrap every target of a batch, or refuse the whole batch naming the first target that failed. */
async function wrapBatch(ctx: ExecutionContext, targets: readonly string[], kek: Kek): Promise<WrapResult[]> {
  return ctx.token.withSession(async (s) => {
    const results: WrapResult[] = [];
    ctx.directory.prefetch(s, targets);
    let lastYield = performance.now();
    // The KEK goes into the token once for the whole batch.
    const sessionKek = importKek(s, kek);
    try {
      for (const label of targets) {
        try {
          results.push(await wrapWithKek(s, label, sessionKek, { kwp: ctx.capabilities.kwp, generator: ctx.generator, directory: ctx.directory }));
        } catch (err) {
          const e = err instanceof BridgeError ? err : fromPkcs11(err);
          throw new BridgeError(e.code, `target "${label}": ${e.message}; no key of the batch was returned`);
        }
        // Let other connections' frames through every few milliseconds: a batch of 256 must not hold
        // the socket, and a turn of the event loop after every key would cost more than some wraps.
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
    } finally {
      releaseKek(s, sessionKek);
    }
    return results;
  });
}

/**
 * Run one signed command and answer with a signed result — always, even for a refusal, so the portal
 * can tell which command failed and why. Order matters: signature and claims first, then the command's
 * shape, then replay; only then is the HSM touched.
 */
export async function executeCommand(ctx: ExecutionContext, jws: string): Promise<{ jws: string; body: ResultBody }> {
  const now = ctx.now?.() ?? new Date();
  let cmdJti: string | null = null;
  let sha256: string | null = null;
  let claimed: { jti: string; exp: number } | null = null;
  let type: string | null = null;
  let body: ResultBody;
  const started = Date.now();
  try {
    if (Buffer.byteLength(jws) > ctx.maxFrameBytes) throw new BridgeError("FRAME_TOO_LARGE", `the command is larger than ${ctx.maxFrameBytes} bytes`);
    const verified = await verifyCommand(jws, { trusted: ctx.portal.keys, audience: ctx.bridgeId, issuer: ctx.portal.issuer, now }).catch((err: unknown) => {
      // An unknown or malformed command whose signature was good still names its jti in the refusal.
      if (err instanceof BridgeError && (err.code === "UNKNOWN_COMMAND" || err.code === "INVALID_COMMAND" || err.code === "UNSUPPORTED_KEY")) {
        cmdJti = readJti(jws);
      }
      throw err;
    });
    cmdJti = verified.claims.jti;
    sha256 = verified.sha256;
    type = verified.command.type;
    ctx.replay.claim(verified.claims.jti, verified.claims.exp);
    claimed = { jti: verified.claims.jti, exp: verified.claims.exp };
    body = await dispatch(ctx, verified.command, now);
    ctx.log.info({ event: "command", type, jti: cmdJti, ms: Date.now() - started }, "command executed");
  } catch (err) {
    const error = err instanceof BridgeError ? err : fromPkcs11(err);
    if (error.code === "INTERNAL") ctx.log.error({ event: "command_failed", type, jti: cmdJti, err }, "internal error");
    else ctx.log.warn({ event: "command_refused", type, jti: cmdJti, code: error.code }, error.message);
    body = { ok: false, type, error: error.toBody() };
  }
  const signed = await signResult(body, ctx.identity.signer, { cmdJti, cmdSha256: sha256 ?? (await commandHash(jws)), audience: ctx.portal.issuer, now });
  // Kept before it is sent: if the connection drops now, the portal can still fetch it.
  if (claimed) ctx.results.save(claimed.jti, claimed.exp, signed);
  return { jws: signed, body };
}

function readJti(jws: string): string | null {
  try {
    const payload = JSON.parse(Buffer.from(jws.split(".")[1] ?? "", "base64url").toString("utf8")) as { jti?: unknown };
    return typeof payload.jti === "string" ? payload.jti : null;
  } catch {
    return null;
  }
}
