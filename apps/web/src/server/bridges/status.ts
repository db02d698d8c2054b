import { BridgeError, TargetError, type Bridge, type BridgeKeys, type BridgePreflight, type BridgeStatus, type CommandSigner, type DescribeResult, type TokenKey } from "@keyward/shared";
import { BridgeClient, BridgeConnectionError, BridgeIdentityError } from "../bridge/client";
import { endpointOf } from "./registry";

/** How long a status is reused: the list page polls, and every check opens a connection to the bridge. */
const CACHE_MS = 5_000;
const TIMEOUT_MS = 3_000;

export function preflightOf(d: DescribeResult): BridgePreflight {
  const { label, manufacturer, model, serial } = d.token;
  return { token: { label, manufacturer, model, serial }, byokPath: d.byok.path, byokNote: d.byok.note, generate: d.generate };
}

/** A ceremony can wrap a token key only if its type is one Keyward knows and it may leave the HSM wrapped. */
export const usable = (k: TokenKey) => k.spec !== null && k.extractable;

/**
 * Live status of registered bridges: connect, hello with the pinned identity, `hsm.describe` — within a
 * short timeout, cached a few seconds. Also the one place that opens a short-lived connection to a
 * bridge for a question (token keys), turning every failure into words.
 */
export class BridgeStatusService {
  private readonly cache = new Map<string, { at: number; status: Promise<BridgeStatus> }>();
  private readonly signer: CommandSigner;
  private readonly timeoutMs: number;

  constructor(signer: CommandSigner, opts: { timeoutMs?: number } = {}) {
    this.signer = signer;
    this.timeoutMs = opts.timeoutMs ?? TIMEOUT_MS;
  }

  status(bridge: Bridge, opts: { fresh?: boolean } = {}): Promise<BridgeStatus> {
    const cached = this.cache.get(bridge.bridgeId);
    if (!opts.fresh && cached && Date.now() - cached.at < CACHE_MS) return cached.status;
    const status = this.check(bridge);
    this.cache.set(bridge.bridgeId, { at: Date.now(), status });
    return status;
  }

  forget(bridgeId: string): void {
    this.cache.delete(bridgeId);
  }

  /** A question to the bridge over a connection of its own; an unreachable or impostor bridge is a 503/400 in words. */
  async ask<T>(bridge: Bridge, fn: (client: BridgeClient) => Promise<T>): Promise<T> {
    let client: BridgeClient;
    try {
      client = await BridgeClient.connect(endpointOf(bridge), this.signer, { timeoutMs: this.timeoutMs });
    } catch (err) {
      throw connectRefusal(bridge, err);
    }
    try {
      return await fn(client);
    } catch (err) {
      if (err instanceof BridgeConnectionError) throw new TargetError("ServiceUnavailable", `bridge ${bridge.bridgeId}: ${err.message}`);
      if (err instanceof BridgeError) throw new TargetError("BadParameter", `bridge ${bridge.bridgeId} refused: ${err.code}: ${err.message}`);
      throw err;
    } finally {
      client.close();
    }
  }

  async keys(bridge: Bridge): Promise<BridgeKeys> {
    const { keys } = await this.ask(bridge, (c) => c.run({ type: "key.list" }));
    return { keys: keys.map((k) => ({ ...k, usable: usable(k) })) };
  }

  private async check(bridge: Bridge): Promise<BridgeStatus> {
    const started = Date.now();
    const base = { bridgeId: bridge.bridgeId };
    const checkedAt = () => new Date().toISOString();
    let client: BridgeClient;
    try {
      client = await BridgeClient.connect(endpointOf(bridge), this.signer, { timeoutMs: this.timeoutMs });
    } catch (err) {
      if (err instanceof BridgeIdentityError) {
        return { ...base, state: err.kind, checkedAt: checkedAt(), message: err.message, ...(err.presentedThumbprint ? { presentedThumbprint: err.presentedThumbprint } : {}) };
      }
      return { ...base, state: "offline", checkedAt: checkedAt(), message: err instanceof Error ? err.message : "cannot reach the bridge" };
    }
    try {
      const described = await withTimeout(client.run({ type: "hsm.describe" }), this.timeoutMs, `bridge ${bridge.bridgeId} did not answer hsm.describe within ${this.timeoutMs} ms`);
      const preflight = preflightOf(described);
      return {
        ...base,
        state: "online",
        checkedAt: checkedAt(),
        latencyMs: Date.now() - started,
        presentedThumbprint: bridge.thumbprint,
        preflight,
        ...(preflight.byokPath === null ? { message: `the token cannot wrap for BYOK: ${preflight.byokNote}` } : {}),
      };
    } catch (err) {
      const message = err instanceof BridgeError ? `the preflight was refused: ${err.code}: ${err.message}` : err instanceof Error ? err.message : "the preflight failed";
      return { ...base, state: "error", checkedAt: checkedAt(), message };
    } finally {
      client.close();
    }
  }
}

/** Why a connection to a registered bridge failed, as a refusal for the API. */
export function connectRefusal(bridge: Bridge, err: unknown): TargetError {
  if (err instanceof BridgeIdentityError) return new TargetError("BadParameter", err.message, err.kind === "incompatible" ? "BridgeIncompatible" : "BridgeIdentityMismatch");
  const why = err instanceof Error ? err.message : "no answer";
  return new TargetError("ServiceUnavailable", `bridge ${bridge.bridgeId} is not reachable: ${why}`, "BridgeOffline");
}

async function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
