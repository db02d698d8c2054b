import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import {
  BRIDGE_PROTOCOL_VERSION,
  BridgeError,
  MAX_COMMAND_LIFETIME_SECONDS,
  ServerFrameSchema,
  commandHash,
  signCommand,
  verifyResult,
  type BridgeCommand,
  type CommandSigner,
  type OkResultBody,
  type ResultClaims,
  type TrustedKey,
} from "@keyward/shared";

export interface BridgeEndpoint {
  url: string;
  bridgeId: string;
  /** The bridge's identity key, pinned at registration (compare its thumbprint with `init`'s output). */
  identity: TrustedKey;
}

export type ResultOf<T extends BridgeCommand["type"]> = Extract<OkResultBody, { type: T }>["result"];

/** A signed command as it is kept before sending, so that an unanswered one can be fetched by its jti. */
export interface SignedCommand {
  jws: string;
  jti: string;
  /** Unix seconds after which the bridge refuses it (and forgets its result). */
  exp: number;
  /** base64url SHA-256 of the JWS: how a result names the command it answers. */
  sha256: string;
}

export async function signForBridge(command: BridgeCommand, signer: CommandSigner, bridgeId: string, now = new Date()): Promise<SignedCommand> {
  const jti = randomUUID();
  const jws = await signCommand(command, signer, { audience: bridgeId, jti, now });
  return { jws, jti, exp: Math.floor(now.getTime() / 1000) + MAX_COMMAND_LIFETIME_SECONDS, sha256: await commandHash(jws) };
}

/** The connection failed or dropped: nothing is known about a command in flight (fetch it by jti). */
export class BridgeConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BridgeConnectionError";
  }
}

/** Something answers at the URL, but not as the registered bridge (or on another protocol version). */
export class BridgeIdentityError extends Error {
  readonly kind: "identity-mismatch" | "incompatible";
  readonly presentedThumbprint: string | undefined;
  constructor(kind: "identity-mismatch" | "incompatible", message: string, presentedThumbprint?: string) {
    super(message);
    this.name = "BridgeIdentityError";
    this.kind = kind;
    this.presentedThumbprint = presentedThumbprint;
  }
}

type Pending = { resolve: (jws: string) => void; reject: (err: Error) => void };

/**
 * The portal's side of a bridge connection: hello, signed commands, verified results. Every result is
 * checked to be signed by the pinned bridge key and to answer exactly the command that was sent.
 */
export class BridgeClient {
  private readonly pending = new Map<string, Pending>();
  private readonly ws: WebSocket;
  private readonly endpoint: BridgeEndpoint;
  private readonly signer: CommandSigner;
  private ended = false;

  private constructor(ws: WebSocket, endpoint: BridgeEndpoint, signer: CommandSigner) {
    this.ws = ws;
    this.endpoint = endpoint;
    this.signer = signer;
    ws.on("message", (data) => this.onFrame(data.toString()));
    ws.on("close", (code) => this.failAll(new BridgeConnectionError(`the bridge closed the connection (${code})`)));
    ws.on("error", (err) => this.failAll(new BridgeConnectionError(`the connection to the bridge failed: ${err.message}`)));
  }

  static async connect(endpoint: BridgeEndpoint, signer: CommandSigner, opts: { ca?: string; timeoutMs?: number } = {}): Promise<BridgeClient> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const ws = new WebSocket(endpoint.url, { ...(opts.ca ? { ca: opts.ca } : {}), handshakeTimeout: timeoutMs });
    // A bridge that accepts the socket but never answers hello must not hold a caller forever.
    const timer = setTimeout(() => ws.terminate(), timeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", (err) => reject(new BridgeConnectionError(`cannot reach the bridge at ${endpoint.url}: ${err.message}`)));
        ws.once("close", () => reject(new BridgeConnectionError(`cannot reach the bridge at ${endpoint.url}: no answer within ${timeoutMs} ms`)));
      });
      ws.send(JSON.stringify({ type: "hello", protocol: BRIDGE_PROTOCOL_VERSION, client: "keyward-portal" }));
      const welcome = await new Promise<unknown>((resolve, reject) => {
        ws.once("message", (d) => {
          try {
            resolve(JSON.parse(d.toString()));
          } catch {
            resolve(undefined);
          }
        });
        ws.once("close", (code) => reject(new BridgeConnectionError(`the bridge at ${endpoint.url} closed the connection (${code}) before answering hello`)));
      });
      const frame = ServerFrameSchema.safeParse(welcome);
      if (!frame.success || frame.data.type !== "welcome") {
        ws.close();
        if (frame.success && frame.data.type === "incompatible") throw new BridgeIdentityError("incompatible", frame.data.message);
        throw new BridgeIdentityError("identity-mismatch", `what answers at ${endpoint.url} is not a Keyward bridge (no welcome to hello)`);
      }
      if (frame.data.bridgeId !== endpoint.bridgeId || frame.data.thumbprint !== endpoint.identity.kid) {
        ws.close();
        throw new BridgeIdentityError(
          "identity-mismatch",
          `the bridge at ${endpoint.url} is not ${endpoint.bridgeId} with the registered identity: it presents itself as ${frame.data.bridgeId} with identity thumbprint ${frame.data.thumbprint}`,
          frame.data.thumbprint,
        );
      }
      return new BridgeClient(ws, endpoint, signer);
    } catch (err) {
      ws.terminate();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  get closed(): boolean {
    return this.ended || this.ws.readyState !== WebSocket.OPEN;
  }

  /** Sign a command, send it, and return the verified result; a refusal throws a BridgeError. */
  async run<T extends BridgeCommand["type"]>(command: Extract<BridgeCommand, { type: T }>): Promise<ResultOf<T>> {
    const signed = await signForBridge(command, this.signer, this.endpoint.bridgeId);
    return okResult(await this.send(signed.jws), command.type);
  }

  /** Send a signed command; the verified result, a refusal included (`ok: false`). */
  async send(jws: string): Promise<ResultClaims> {
    return this.exchange(jws, (ref) => ({ type: "command", ref, jws }));
  }

  /** Ask for the result of a command sent earlier (on this or a dropped connection) instead of resending it. */
  async fetch(command: SignedCommand): Promise<ResultClaims> {
    return this.exchange(command.jws, (ref) => ({ type: "fetch", ref, jti: command.jti }));
  }

  close(): void {
    this.ended = true;
    this.ws.close(1000);
  }

  private async exchange(commandJws: string, frame: (ref: string) => object): Promise<ResultClaims> {
    if (this.closed) throw new BridgeConnectionError("the connection to the bridge is closed");
    const ref = randomUUID();
    const resultJws = await new Promise<string>((resolve, reject) => {
      this.pending.set(ref, { resolve, reject });
      this.ws.send(JSON.stringify(frame(ref)), (err) => {
        if (err) this.settle(ref)?.reject(new BridgeConnectionError(`sending to the bridge failed: ${err.message}`));
      });
    });
    return verifyResult(resultJws, { trusted: [this.endpoint.identity], bridgeId: this.endpoint.bridgeId, command: commandJws });
  }

  private settle(ref: string): Pending | undefined {
    const p = this.pending.get(ref);
    this.pending.delete(ref);
    return p;
  }

  private onFrame(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return;
    }
    const frame = ServerFrameSchema.safeParse(json);
    if (!frame.success) return;
    const f = frame.data;
    if (f.type === "result") this.settle(f.ref)?.resolve(f.jws);
    else if (f.type === "error" && f.ref) this.settle(f.ref)?.reject(new BridgeError(f.code, f.message));
  }

  private failAll(err: Error): void {
    this.ended = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** The result of an answered command, or its refusal thrown as a BridgeError. */
export function okResult<T extends BridgeCommand["type"]>(claims: ResultClaims, type: T): ResultOf<T> {
  if (!claims.ok) throw new BridgeError(claims.error.code, claims.error.message);
  if (claims.type !== type) throw new BridgeError("MALFORMED_COMMAND", `the bridge answered ${claims.type} to ${type}`);
  // verifyResult parsed the body against the protocol's schema and the type was checked just above.
  return (claims as { result: unknown }).result as ResultOf<T>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A bridge reached over a connection that is made on demand and remade when it drops. A command is sent
 * once; after a drop its result is fetched by jti (resending would be refused as a replay). Only a
 * command the bridge never received — it says so, and the command is still valid — is sent again.
 */
export class ReconnectingBridge {
  private client: BridgeClient | undefined;
  private connecting: Promise<BridgeClient> | undefined;
  private closed = false;
  readonly endpoint: BridgeEndpoint;
  private readonly signer: CommandSigner;
  private readonly opts: { ca?: string; timeoutMs?: number; attempts?: number; retryDelayMs?: number };

  constructor(endpoint: BridgeEndpoint, signer: CommandSigner, opts: { ca?: string; timeoutMs?: number; attempts?: number; retryDelayMs?: number } = {}) {
    this.endpoint = endpoint;
    this.signer = signer;
    this.opts = opts;
  }

  sign(command: BridgeCommand): Promise<SignedCommand> {
    return signForBridge(command, this.signer, this.endpoint.bridgeId);
  }

  /**
   * The verified result of a signed command. `sent`: it may already have reached the bridge (a command
   * recorded as sent before the portal stopped), so ask for its result first.
   */
  async execute(command: SignedCommand, opts: { sent?: boolean } = {}): Promise<ResultClaims> {
    let sent = opts.sent ?? false;
    const attempts = this.opts.attempts ?? 5;
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep((this.opts.retryDelayMs ?? 500) * attempt);
      if (this.closed) throw new BridgeConnectionError("the connection to the bridge was closed by the portal");
      try {
        const client = await this.connection();
        if (!sent) {
          sent = true;
          return await client.send(command.jws);
        }
        return await client.fetch(command);
      } catch (err) {
        if (err instanceof BridgeConnectionError) {
          lastError = err;
          this.drop();
          continue;
        }
        if (err instanceof BridgeError && err.code === "SHUTTING_DOWN") {
          // Refused before it was run (nor remembered): the same command goes again once the bridge is back.
          lastError = new BridgeConnectionError(`the bridge at ${this.endpoint.url} is shutting down`);
          sent = false;
          this.drop();
          continue;
        }
        if (err instanceof BridgeError && err.code === "RESULT_PENDING" && Date.now() / 1000 < command.exp + 60) {
          lastError = err;
          attempt--; // still running on the bridge: wait, without spending an attempt
          await sleep(this.opts.retryDelayMs ?? 500);
          continue;
        }
        if (err instanceof BridgeError && err.code === "RESULT_UNAVAILABLE" && command.exp > Date.now() / 1000 + 5) {
          // Never received (the bridge remembers every jti it saw until expiry), so sending is no replay.
          sent = false;
          attempt--;
          continue;
        }
        throw err;
      }
    }
    throw lastError ?? new BridgeConnectionError(`cannot reach the bridge at ${this.endpoint.url}`);
  }

  async run<T extends BridgeCommand["type"]>(command: Extract<BridgeCommand, { type: T }>): Promise<ResultOf<T>> {
    return okResult(await this.execute(await this.sign(command)), command.type);
  }

  /** Ends every retry too: a portal that is stopping leaves unanswered commands to the next process. */
  close(): void {
    this.closed = true;
    this.drop();
  }

  private async connection(): Promise<BridgeClient> {
    if (this.client && !this.client.closed) return this.client;
    this.connecting ??= BridgeClient.connect(this.endpoint, this.signer, this.opts).finally(() => {
      this.connecting = undefined;
    });
    this.client = await this.connecting;
    return this.client;
  }

  private drop(): void {
    this.client?.close();
    this.client = undefined;
  }
}
